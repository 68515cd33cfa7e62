import { describe, expect, it } from 'vitest';
import { normalizeBudget } from './budget.parser';
import type { Market } from './profile.schema';

type Row = [text: string, market: Market, min: number | null, max: number | null, currency: string, period: string];

const rows: Row[] = [
  ['budget up to 2.5M AED', 'AE', null, 2_500_000, 'AED', 'total'],
  ['1.2M', 'AE', null, 1_200_000, 'AED', 'total'],
  ['1.2m', 'AE', null, 1_200_000, 'AED', 'total'],
  ['1.2 million', 'AE', null, 1_200_000, 'AED', 'total'],
  ['1.2mn', 'AE', null, 1_200_000, 'AED', 'total'],
  ['1.2 mil', 'AE', null, 1_200_000, 'AED', 'total'],
  ['1,200,000', 'AE', null, 1_200_000, 'AED', 'total'],
  ['800k', 'GB', null, 800_000, 'GBP', 'total'],
  ['800K', 'US', null, 800_000, 'USD', 'total'],
  ['800 thousand', 'AE', null, 800_000, 'AED', 'total'],
  ['1.5 crore', 'IN', null, 15_000_000, 'INR', 'total'],
  ['80 lakh', 'IN', null, 8_000_000, 'INR', 'total'],
  ['80 lakhs', 'IN', null, 8_000_000, 'INR', 'total'],
  ['80L', 'IN', null, 8_000_000, 'INR', 'total'],
  ['Rs 45 lakhs', 'IN', null, 4_500_000, 'INR', 'total'],
  ['1-1.5M', 'AE', 1_000_000, 1_500_000, 'AED', 'total'],
  ['between 1M and 1.5M', 'AE', 1_000_000, 1_500_000, 'AED', 'total'],
  ['1M to 1.5M', 'AE', 1_000_000, 1_500_000, 'AED', 'total'],
  ['1.2 to 1.8 million', 'AE', 1_200_000, 1_800_000, 'AED', 'total'],
  ['$700k-$900k', 'US', 700_000, 900_000, 'USD', 'total'],
  ['1,500,000 - 2,000,000', 'AE', 1_500_000, 2_000_000, 'AED', 'total'],
  ['between 1,200,000 and 1.8 million dirhams', 'AE', 1_200_000, 1_800_000, 'AED', 'total'],
  ['900-1.2M', 'AE', 900_000, 1_200_000, 'AED', 'total'],
  ['up to 650k', 'AE', null, 650_000, 'AED', 'total'],
  ['7m max', 'AE', null, 7_000_000, 'AED', 'total'],
  ['under 2M', 'AE', null, 2_000_000, 'AED', 'total'],
  ['no more than 1.1M', 'AE', null, 1_100_000, 'AED', 'total'],
  ['around £750k', 'GB', null, 750_000, 'GBP', 'total'],
  ['~ 40M', 'AE', null, 40_000_000, 'AED', 'total'],
  ['approx 2m', 'AE', null, 2_000_000, 'AED', 'total'],
  ['at least 2M', 'AE', 2_000_000, null, 'AED', 'total'],
  ['from 800k', 'AE', 800_000, null, 'AED', 'total'],
  ['over 5M', 'AE', 5_000_000, null, 'AED', 'total'],
  ['budget 30M+', 'AE', 30_000_000, null, 'AED', 'total'],
  ['budget around $500k', 'AE', null, 500_000, 'USD', 'total'],
  ['500k euros', 'GB', null, 500_000, 'EUR', 'total'],
  ['€400k', 'GB', null, 400_000, 'EUR', 'total'],
  ['two million dollars', 'US', null, 2_000_000, 'USD', 'total'],
  ['half a million', 'GB', null, 500_000, 'GBP', 'total'],
  ['500k quid', 'GB', null, 500_000, 'GBP', 'total'],
  ['₹95 lakh', 'IN', null, 9_500_000, 'INR', 'total'],
  ['around 75k a year', 'AE', null, 75_000, 'AED', 'year'],
  ['120k yearly', 'AE', null, 120_000, 'AED', 'year'],
  ['Dhs 280,000 per annum', 'AE', null, 280_000, 'AED', 'year'],
  ['90k p.a.', 'AE', null, 90_000, 'AED', 'year'],
  ['max £2,800 pcm', 'GB', null, 2_800, 'GBP', 'month'],
  ['$4,000/mo', 'US', null, 4_000, 'USD', 'month'],
  ['15000 dirhams monthly', 'AE', null, 15_000, 'AED', 'month'],
  ['5000 per month', 'IN', null, 5_000, 'INR', 'month'],
  ['£500 pw', 'GB', null, 2_167, 'GBP', 'month'],
  ['rent 1 bed marina budget 110k', 'AE', null, 110_000, 'AED', 'year'],
  ['rent 2br in Brickell 4k', 'US', null, 4_000, 'USD', 'month'],
  ['2.5M, actually make it 3M', 'AE', null, 3_000_000, 'AED', 'total'],
];

describe('normalizeBudget', () => {
  it.each(rows)('%s (%s)', (text, market, min, max, currency, period) => {
    expect(normalizeBudget(text, market)).toMatchObject({ min, max, currency, period });
  });

  it.each([
    ['3 bedrooms'], ['2-3 beds'], ['3 or 4 bedrooms'], ['3+ beds'], ['within 2 months'], ['2 months'], ['in 2027'], ['moving in 2026'],
    ['call me on +971501234567'], ['my number is 050 123 4567'], ['(415) 555-2671'], ['120 m2'], ['1200 sqft'], ['I am 35 years old'],
    ['hi'], [''], ['Arabian Ranches 3'], ['meet at 10:30 on 23/11/2026'], ['5% ROI'], ['2 bathrooms'],
  ])('no budget in %j', (text) => {
    expect(normalizeBudget(text, 'AE')).toBeNull();
  });

  it('keeps the budget and ignores bedrooms, durations and phone numbers around it', () => {
    expect(normalizeBudget('2 bed in Downtown for 3 months, 3M, call +971501234567', 'AE')).toMatchObject({ max: 3_000_000 });
    expect(normalizeBudget('Arabian Ranches 3 - 3.2 mil dirhams max', 'AE')).toMatchObject({ min: null, max: 3_200_000, currency: 'AED' });
  });

  it('reads bare figures only when a budget is expected', () => {
    expect(normalizeBudget('4', 'AE')).toBeNull();
    expect(normalizeBudget('2.5', 'AE', { expectBudget: true })).toMatchObject({ max: 2_500_000 });
    expect(normalizeBudget('90000', 'AE', { expectBudget: true, listing: 'rent' })).toMatchObject({ max: 90_000, period: 'year' });
    expect(normalizeBudget('2500', 'GB', { expectBudget: true, listing: 'rent' })).toMatchObject({ max: 2_500, period: 'month' });
  });

  it('uses the rent period of the market when a tenant names none', () => {
    expect(normalizeBudget('to rent, 90k', 'AE')).toMatchObject({ period: 'year', periodStated: false });
    expect(normalizeBudget('to rent, 2,500', 'GB')).toMatchObject({ period: 'month' });
    expect(normalizeBudget('good rental yield, 1.2M', 'AE')).toMatchObject({ period: 'total' });
  });

  it('reports whether currency and period were stated', () => {
    expect(normalizeBudget('1.2M', 'AE')).toMatchObject({ currencyStated: false, periodStated: false });
    expect(normalizeBudget('AED 1.2M', 'AE')).toMatchObject({ currencyStated: true });
  });

  it('reads space-grouped thousands as one figure, but not before a unit', () => {
    expect(normalizeBudget('budget: 1 500 000 AED', 'AE')).toMatchObject({ max: 1_500_000, currency: 'AED' });
    expect(normalizeBudget('need 2 100k', 'AE')).toMatchObject({ max: 100_000 });
    expect(normalizeBudget('000 AED', 'AE')).toBeNull();
  });

  it('reads spelled-out decimals from voice notes', () => {
    expect(normalizeBudget('my budget is around one point two million', 'AE')).toMatchObject({ max: 1_200_000 });
    expect(normalizeBudget('one point five m', 'AE')).toMatchObject({ max: 1_500_000 });
    expect(normalizeBudget('about two point seven five million', 'US')).toMatchObject({ max: 2_750_000 });
  });

  it('adds amounts written in two units', () => {
    expect(normalizeBudget('budget 1 crore 20 lakh', 'IN')).toMatchObject({ max: 12_000_000, currency: 'INR' });
    expect(normalizeBudget('2 lakh 50 thousand per month', 'IN')).toMatchObject({ max: 250_000, period: 'month' });
    expect(normalizeBudget('1 million 250 thousand', 'US')).toMatchObject({ max: 1_250_000 });
  });

  it('reads Hinglish bounds and ranges (se ... tak, se upar)', () => {
    expect(normalizeBudget('rent 45,000 se 55,000 tak', 'IN')).toMatchObject({ min: 45_000, max: 55_000, period: 'month' });
    expect(normalizeBudget('1.5 cr tak', 'IN')).toMatchObject({ min: null, max: 15_000_000 });
    expect(normalizeBudget('50 lakh se upar', 'IN')).toMatchObject({ min: 5_000_000, max: null });
  });

  it('reads "nothing over" as a ceiling, not a floor', () => {
    expect(normalizeBudget('Nothing over 2M please', 'AE')).toMatchObject({ min: null, max: 2_000_000 });
    expect(normalizeBudget('nothing above £600k', 'GB')).toMatchObject({ min: null, max: 600_000 });
    expect(normalizeBudget('over 2M', 'AE')).toMatchObject({ min: 2_000_000, max: null });
  });
});

describe('numbers that are not what the lead will spend', () => {
  it.each([
    'Viewing fee for unit 1204',
    'I live in building 1204',
    'Tower 7, floor 22, apartment 2204',
    'Philz Coffee, 1 Hacker Way, Palo Alto, CA 94301',
    'P.O. Box 12345 Dubai',
    'see www.bayut.com/property/details-8871234.html',
    'bayut.com/property-999123',
    'the agency fee is 5,000 and the deposit 10,000',
  ])('%s has no budget', (text) => {
    expect(normalizeBudget(text, 'AE')).toBeNull();
  });

  it('keeps the budget next to them', () => {
    expect(normalizeBudget('unit 1204 is mine; budget 2M for the new one', 'AE')).toMatchObject({ max: 2_000_000 });
    expect(normalizeBudget('rent 90k a year; I can also cover the 5,000 agency fee', 'AE')).toMatchObject({ max: 90_000, period: 'year' });
    expect(normalizeBudget('villa 5,000,000', 'AE')).toMatchObject({ max: 5_000_000 });
  });
});
