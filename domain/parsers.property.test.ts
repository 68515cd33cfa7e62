import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeBudget } from './budget.parser';
import { contactValidity } from './contact.validator';
import { geoMatch } from './geo.matcher';
import { extractProfile } from './profile.extractor';
import type { Market } from './profile.schema';
import { parseTimeline } from './timeline.parser';

// No parser may throw on any input, and each must finish on 100 kB of hostile text: the
// regexes are written to be linear, and these inputs are the ones that break backtracking ones.

const NOW = '2026-11-23';
const markets = fc.constantFrom<Market>('AE', 'GB', 'US', 'IN');
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('مرحبا أريد شقة في دبي مارينا', '🏠🏠🏠 2 bed 💰 1.2M 🙏', '<div><script>alert(1)</script>2 bed</div>', '\u0000\uffff\ud800', 'توقف'),
);

function runAll(text: string, market: Market): void {
  normalizeBudget(text, market);
  normalizeBudget(text, market, { expectBudget: true });
  geoMatch(text, market);
  parseTimeline(text, NOW);
  parseTimeline(text, NOW, { expectTimeline: true });
  extractProfile([{ from: 'lead', text }], market, NOW);
  contactValidity({ name: text, phone: text, email: text }, market);
}

describe('parsers on arbitrary input', () => {
  it('never throw', () => {
    fc.assert(fc.property(nasty, markets, (text, market) => {
      expect(() => runAll(text, market)).not.toThrow();
    }), { numRuns: 300 });
  });

  const big = (unit: string): string => unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);
  it.each([
    ['digits', big('1')],
    ['digit groups', big('1,0')],
    ['zeros and spaces', big('0 ')],
    ['decimals', big('1.1.')],
    ['plus signs', big('+0 ')],
    ['letters', big('a')],
    ['words', big('marina jumeirah village ')],
    ['mixed budget words', big('up to 1.2m aed, ')],
    ['dashes', big('1-')],
    ['at signs', big('a@')],
    ['emoji', big('🏠💰')],
    ['arabic', big('مرحبا ')],
    ['html', big('<p class="x">2 bed</p>')],
    ['months', big('in 3 months or ')],
    ['bedrooms', big('2 or ')],
  ])('finish on 100 kB of %s', (_name, text) => {
    expect(text.length).toBe(100_000);
    expect(() => runAll(text, 'AE')).not.toThrow();
    expect(Array.isArray(geoMatch(text, 'AE').areas)).toBe(true);
  });
});

describe('generated budgets parse back to their value', () => {
  const amount = fc.integer({ min: 1, max: 9_999 }).map((n) => n * 1_000);
  const forms = (v: number): fc.Arbitrary<string> => {
    const opts: string[] = [v.toLocaleString('en-US'), `${v / 1000}k`, `${v / 1000}K`, `${v / 1000} thousand`];
    if (v % 100_000 === 0 && v >= 1_000_000) opts.push(`${v / 1e6}M`, `${v / 1e6}m`, `${v / 1e6} million`, `${v / 1e6}mn`, `${v / 1e6} mil`);
    return fc.constantFrom(...opts);
  };
  const currency = fc.constantFrom(
    ['AED ', '', 'AED'], ['', ' AED', 'AED'], ['', ' dirhams', 'AED'], ['Dhs ', '', 'AED'], ['$', '', 'USD'], ['', ' USD', 'USD'], ['', ' dollars', 'USD'],
    ['£', '', 'GBP'], ['', ' pounds', 'GBP'], ['', ' GBP', 'GBP'], ['€', '', 'EUR'], ['', ' euros', 'EUR'], ['₹', '', 'INR'], ['', ' rupees', 'INR'], ['', '', null],
  );
  const bound = fc.constantFrom(['up to ', 'max'], ['under ', 'max'], ['around ', 'max'], ['about ', 'max'], ['', 'max'], ['budget ', 'max'], ['at least ', 'min'], ['from ', 'min'], ['minimum ', 'min'], ['over ', 'min']);

  it('single figures', () => {
    fc.assert(fc.property(amount.chain((v) => fc.tuple(fc.constant(v), forms(v))), currency, bound, markets, ([v, form], [pre, post, cur], [b, side], market) => {
      const text = `${b}${pre}${form}${post}`;
      const r = normalizeBudget(text, market);
      expect(r, text).not.toBeNull();
      expect(side === 'max' ? r!.max : r!.min, text).toBe(v);
      expect(r!.currency, text).toBe(cur ?? { AE: 'AED', GB: 'GBP', US: 'USD', IN: 'INR' }[market]);
    }), { numRuns: 400 });
  });

  it('ranges with the unit written once or twice', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom('-', ' - ', ' to '), fc.boolean(), (a, d, sep, twice) => {
      const lo = a / 2;
      const hi = (a + d) / 2;
      const text = `${lo}${twice ? 'M' : ''}${sep}${hi}M`;
      const r = normalizeBudget(text, 'AE');
      expect(r, text).toMatchObject({ min: Math.round(lo * 1e6), max: Math.round(hi * 1e6) });
    }), { numRuns: 200 });
  });

  it('crore and lakh', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99 }), fc.constantFrom('lakh', 'lakhs', 'L', 'crore', 'cr'), (n, unit) => {
      const r = normalizeBudget(`${n} ${unit}`.replace(' L', 'L'), 'IN');
      expect(r?.max).toBe(n * (/^(crore|cr)$/.test(unit) ? 1e7 : 1e5));
      expect(r?.currency).toBe('INR');
    }), { numRuns: 150 });
  });
});
