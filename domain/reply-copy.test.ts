import { describe, expect, it } from 'vitest';
import { LEAD_LANGUAGES } from './language.detector';
import { emptyProfile } from './profile.defaults';
import { questionFields } from './profile.extractor';
import { LOCAL_ACCEPT_RE, LOCAL_DECLINE_RE, replyCopy } from './reply-copy';
import type { Ask } from './reply-copy.types';

const FIELD: Readonly<Record<Ask, string>> = { persona: 'persona', area: 'area', propertyType: 'propertyType', beds: 'beds', budget: 'budget', timeline: 'timeline', finance: 'finance' };

describe('reply copy', () => {
  it('has copy for Arabic, Hindi and Hinglish, and leaves English to the agent', () => {
    expect(replyCopy('en')).toBeNull();
    for (const lang of LEAD_LANGUAGES.filter((l) => l !== 'en')) expect(replyCopy(lang)?.language).toBe(lang);
  });

  // the next bare answer ("٣", "do", "2 saal") is read against the question we asked
  it.each(LEAD_LANGUAGES.filter((l) => l !== 'en'))('every %s question is read back as the field it asks about', (lang) => {
    const copy = replyCopy(lang)!;
    for (const [ask, variants] of Object.entries(copy.questions) as Array<[Ask, readonly string[]]>) {
      for (const q of variants) expect(questionFields(q), `${lang} ${ask}: ${q}`).toContain(FIELD[ask]);
    }
  });

  it('starts every Arabic line with Arabic, so WhatsApp lays it out right to left', () => {
    const ar = replyCopy('ar')!;
    const p = { ...emptyProfile(), persona: 'buyer' as const, areas: ['Dubai Marina'], city: 'Dubai', propertyType: 'apartment' as const, bedsMin: 2, bedsMax: 2, budgetMax: 2_500_000, currency: 'AED', budgetPeriod: 'total' as const };
    const lines = [
      ...Object.values(ar.questions).flat(), ar.optOut, ...ar.handoffOffers, ...ar.handoffConfirmed, ...ar.handoffNotes, ...ar.afterHandoff,
      ...ar.summaryLines(ar.summary(p), true), ar.pinAck(['Dubai Marina']), ...ar.matchesIntro(true), ...ar.special('voice', null, false), ...ar.special('location', null, false),
    ];
    for (const line of lines) expect(line, line).toMatch(/^[\u0600-\u06ff]/);
    expect(ar.summary(p)).toBe('شقة من غرفتي نوم للشراء في دبي مارينا، بميزانية حتى 2.5 مليون درهم');
  });

  it('writes amounts the way each language reads them', () => {
    const p = { ...emptyProfile(), persona: 'tenant' as const, areas: ['Powai'], city: 'Mumbai', bedsMin: 2, bedsMax: 2, propertyType: 'apartment' as const, budgetMax: 50_000, currency: 'INR', budgetPeriod: 'month' as const };
    expect(replyCopy('hi-Latn')!.summary(p)).toBe('Powai mein 2 BHK flat rent pe, budget ₹50k tak per month');
    expect(replyCopy('hi')!.summary({ ...p, budgetMax: 8_000_000, persona: 'buyer', budgetPeriod: 'total' })).toBe('पवई में 2 BHK फ्लैट खरीदने के लिए, बजट ₹80 लाख तक');
  });

  it('recognises yes and no in Arabic and Hindi', () => {
    for (const yes of ['نعم', 'أكيد', 'تمام', 'हाँ', 'haan ji', 'theek hai']) expect(LOCAL_ACCEPT_RE.test(yes), yes).toBe(true);
    for (const no of ['لا شكراً', 'مو الحين', 'नहीं', 'abhi nahi']) expect(LOCAL_DECLINE_RE.test(no), no).toBe(true);
    expect(LOCAL_ACCEPT_RE.test('لا')).toBe(false);
  });
});
