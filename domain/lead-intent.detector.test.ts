import { describe, expect, it } from 'vitest';
import type { InboundMessage } from './inbound-message.schema';
import { detectLeadActions, taskTitleFor } from './lead-intent.detector';
import { parseProposedTime } from './proposed-time.parser';

// Wednesday 2 December 2026, 12:00 in Dubai (08:00 UTC).
const NOW = Date.parse('2026-12-02T08:00:00Z');
const ctx = { nowMs: NOW, timeZone: 'Asia/Dubai' };
let n = 0;
const msg = (text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({ providerId: `p${++n}`, channel: 'whatsapp', kind: 'text', text, receivedAt: new Date(NOW).toISOString(), ...extra });

describe('parseProposedTime', () => {
  it.each([
    ['Saturday 11am works for the viewing', '2026-12-05T07:00:00.000Z', 'Sat 5 Dec 11:00 (Asia/Dubai)'],
    ['please call after 6pm', '2026-12-02T14:00:00.000Z', 'Wed 2 Dec 18:00 (Asia/Dubai)'],
    ['tomorrow at 10:30', '2026-12-03T06:30:00.000Z', 'Thu 3 Dec 10:30 (Asia/Dubai)'],
    ['السبت الساعة ١١ صباحا', '2026-12-05T07:00:00.000Z', 'Sat 5 Dec 11:00 (Asia/Dubai)'],
    ['بكرة الساعة 5 مساء', '2026-12-03T13:00:00.000Z', 'Thu 3 Dec 17:00 (Asia/Dubai)'],
    ['शनिवार सुबह 11 बजे', '2026-12-05T07:00:00.000Z', 'Sat 5 Dec 11:00 (Asia/Dubai)'],
    ['kal shaam 6 baje', '2026-12-03T14:00:00.000Z', 'Thu 3 Dec 18:00 (Asia/Dubai)'],
    ['at 9am', '2026-12-03T05:00:00.000Z', 'Thu 3 Dec 09:00 (Asia/Dubai)'],
  ])('%s → %s', (text, at, label) => {
    expect(parseProposedTime(text, NOW, 'Asia/Dubai')).toMatchObject({ at, label, hasTime: true });
  });

  it('reads the same words in the lead’s own zone', () => {
    expect(parseProposedTime('Saturday 11am', NOW, 'Europe/London')?.at).toBe('2026-12-05T11:00:00.000Z');
    expect(parseProposedTime('Saturday 11am', NOW, 'Asia/Kolkata')?.at).toBe('2026-12-05T05:30:00.000Z');
  });

  it('marks "after", takes a day alone at 10:00, and the next week for today’s weekday once past', () => {
    expect(parseProposedTime('call after 6pm', NOW, 'Asia/Dubai')?.after).toBe(true);
    expect(parseProposedTime('Friday works', NOW, 'Asia/Dubai')).toMatchObject({ at: '2026-12-04T06:00:00.000Z', hasTime: false, label: 'Fri 4 Dec (Asia/Dubai)' });
    expect(parseProposedTime('Wednesday 9am', NOW, 'Asia/Dubai')?.at).toBe('2026-12-09T05:00:00.000Z');
  });

  it('finds no time in budgets, bedrooms and plain numbers', () => {
    for (const text of ['2 bed at 2M', 'budget 1.5 million', '3 bedrooms in JVC', 'I have 2 kids', 'up to 120k a year']) expect(parseProposedTime(text, NOW, 'Asia/Dubai')).toBeNull();
  });
});

describe('detectLeadActions', () => {
  it('a tapped viewing button is a viewing request without a time', () => {
    expect(detectLeadActions([msg('Book a viewing', { kind: 'button', selection: { id: 'BOOK_VIEWING', title: 'Book a viewing' } })], ctx)).toEqual([{ kind: 'viewing', time: null }]);
    expect(detectLeadActions([msg('Yes please', { kind: 'interactive', selection: { id: 'visit_unit_1204', title: 'Yes please' } })], ctx)).toEqual([{ kind: 'viewing', time: null }]);
  });

  it('viewing words with a time, in English, Arabic, Hindi and Hinglish', () => {
    for (const text of ['Saturday 11am works for the viewing', 'ممكن معاينة الشقة السبت الساعة 11 صباحا', 'शनिवार सुबह 11 बजे फ्लैट देखने आ सकते हैं', 'Saturday 11 baje flat dekhna hai']) {
      const [action] = detectLeadActions([msg(text)], ctx);
      expect(action, text).toMatchObject({ kind: 'viewing', time: { at: '2026-12-05T07:00:00.000Z' } });
    }
  });

  it('a call at a time is a callback; "call me" without a time or a plain question is not', () => {
    expect(detectLeadActions([msg('please call after 6pm')], ctx)).toMatchObject([{ kind: 'callback', time: { at: '2026-12-02T14:00:00.000Z', after: true } }]);
    expect(detectLeadActions([msg('اتصل بي بعد الساعة 6 مساء')], ctx)).toMatchObject([{ kind: 'callback', time: { at: '2026-12-02T14:00:00.000Z' } }]);
    expect(detectLeadActions([msg('kal shaam 6 baje call karo')], ctx)).toMatchObject([{ kind: 'callback' }]);
    expect(detectLeadActions([msg('call me')], ctx)).toEqual([]);
    expect(detectLeadActions([msg('2 bed in Dubai Marina, sea view, up to 2M')], ctx)).toEqual([]);
  });

  it('a shared card is a referral; with words about looking for property, a new lead', () => {
    const card = msg('[shared contact: Barbara]', { kind: 'contacts', sharedContacts: [{ name: 'Barbara', phones: ['+16505559999'], waIds: ['16505559999'], emails: [] }] });
    expect(detectLeadActions([card], ctx)).toEqual([{ kind: 'referral', cards: [{ name: 'Barbara', phones: ['+16505559999'], waIds: ['16505559999'], emails: [] }], seeker: false }]);
    expect(detectLeadActions([msg('my sister is looking for a flat'), card], ctx)[0]).toMatchObject({ kind: 'referral', seeker: true });
    expect(detectLeadActions([msg('أختي تبحث عن شقة'), card], ctx)[0]).toMatchObject({ kind: 'referral', seeker: true });
  });

  it('a removed reaction alone is silent; a reaction with an emoji is not', () => {
    expect(detectLeadActions([msg('[removed a reaction]', { kind: 'reaction', reaction: { messageId: 'w' } })], ctx)).toEqual([{ kind: 'silent' }]);
    expect(detectLeadActions([msg('[reacted 👍 to a message]', { kind: 'reaction', reaction: { messageId: 'w', emoji: '👍' } })], ctx)).toEqual([]);
  });

  it('a burst of unsupported messages only asks for text; a referred lead and a system note need a person', () => {
    expect(detectLeadActions([msg('[unsupported message: poll]', { kind: 'unsupported' })], ctx)).toEqual([{ kind: 'unsupported' }]);
    expect(detectLeadActions([msg('[unsupported message: poll]', { kind: 'unsupported' }), msg('hi')], ctx)).toEqual([]);
    expect(detectLeadActions([msg('[referred]', { kind: 'referral' })], ctx)).toEqual([{ kind: 'referred' }]);
    expect(detectLeadActions([msg('[Lead Ads lead 1: not fetched]', { kind: 'system' })], ctx)).toEqual([{ kind: 'lookup', note: '[Lead Ads lead 1: not fetched]' }]);
  });

  it('titles the broker’s task', () => {
    const [viewing] = detectLeadActions([msg('Saturday 11am works for the viewing')], ctx);
    expect(taskTitleFor(viewing!)).toBe('Viewing requested for Sat 5 Dec 11:00 (Asia/Dubai): confirm with the lead');
    expect(taskTitleFor({ kind: 'silent' })).toBeNull();
  });
});
