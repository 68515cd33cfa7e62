import { describe, expect, it } from 'vitest';
import { budgetWithKeyUnits, classifyFormKey, formValueText, mapFormAnswers } from './form-answer.mapper';
import { extractProfile } from './profile.extractor';

describe('classifyFormKey', () => {
  it.each([
    ['budget', 'budget'], ['budget_range', 'budget'], ['max_rent_pcm', 'budget'], ['الميزانية', 'budget'], ['बजट', 'budget'],
    ['purchase_timeline', 'timeline'], ['when_do_you_plan_to_buy?', 'timeline'], ['how_soon', 'timeline'], ['متى تخطط للشراء؟', 'timeline'], ['कब खरीदना है', 'timeline'],
    ['preferred_area', 'area'], ['المنطقة', 'area'], ['स्थान', 'area'],
    ['bedrooms', 'beds'], ['عدد_الغرف', 'beds'], ['configuration', 'beds'],
    ['property_type', 'propertyType'], ['نوع العقار', 'propertyType'],
    ['financing', 'finance'], ['طريقة الدفع', 'finance'],
    ['looking_to', 'persona'], ['الغرض', 'persona'],
    ['purchase_rating', 'note'], ['lead_score', 'note'], ['how_likely_are_you_to_buy_(1-5)', 'note'], ['zip_code', 'note'], ['utm_campaign', 'note'],
    ['full_name', 'contact'], ['phone_number', 'contact'], ['الاسم', 'contact'],
    ['comments', 'freeText'], ['favourite_colour', 'unknown'],
  ])('%s → %s', (key, kind) => {
    expect(classifyFormKey(key)).toBe(kind);
  });
});

describe('form values', () => {
  it('reads snake_case options as words', () => {
    expect(formValueText('0-3_months')).toBe('0-3 months');
    expect(formValueText('within_3_months')).toBe('within 3 months');
    expect(formValueText('5m_-_6.5m')).toBe('5m - 6.5m');
    expect(formValueText('500k_to_750k')).toBe('500k to 750k');
    expect(formValueText('1_000_000')).toBe('1,000,000');
    expect(formValueText('3_6_months')).toBe('3-6 months');
  });

  it('applies the currency and period a budget key names to a bare value', () => {
    expect(budgetWithKeyUnits('80k - 100k', 'budget_per_year')).toBe('80k - 100k per year');
    expect(budgetWithKeyUnits('450000', 'budget_(usd)')).toBe('450000 usd');
    expect(budgetWithKeyUnits('AED 2M', 'budget_aed')).toBe('AED 2M');
  });

  it('maps each answer to its field, the lead’s words or a note', () => {
    const mapped = mapFormAnswers({ purchase_timeline: 'within_3_months', purchase_rating: '2', comments: 'need parking', full_name: 'Ali', favourite_colour: 'blue', ref_no: '12' });
    expect(mapped.fields).toEqual([{ field: 'timeline', key: 'purchase_timeline', value: 'within 3 months' }]);
    expect(mapped.freeText).toEqual(['need parking', 'blue']);
    expect(mapped.notes.map((n) => n.key)).toEqual(['purchase_rating', 'full_name', 'ref_no']);
  });
});

describe('form answers in the profile', () => {
  const NOW = '2026-11-23';
  it('reads the snake_case values of a Lead Ads form', () => {
    const p = extractProfile([], 'GB', NOW, { timeline: '0-3_months', budget: '500k_to_750k', purpose: 'buy_to_let', finance: 'agreement_in_principle' });
    expect(p).toMatchObject({ timeline: '0-3m', budgetMin: 500_000, budgetMax: 750_000, persona: 'investor', finance: 'preapproved' });
    expect(extractProfile([], 'AE', NOW, { finance: 'mortgage_pre_approved', budget: '5m_-_6.5m' })).toMatchObject({ finance: 'preapproved', budgetMin: 5_000_000, budgetMax: 6_500_000 });
  });

  it('reads Arabic keys and answers', () => {
    const p = extractProfile([], 'AE', NOW, { الميزانية: 'من ٢ إلى ٣ ملايين درهم', المنطقة: 'دبي مارينا', 'متى تخطط للشراء؟': 'خلال ٣ أشهر', 'نوع العقار': 'فيلا' });
    expect(p).toMatchObject({ budgetMin: 2_000_000, budgetMax: 3_000_000, currency: 'AED', areas: ['Dubai Marina'], city: 'Dubai', timeline: '0-3m', propertyType: 'villa' });
  });

  it('never reads a rating as a persona or a budget, in a form or in a Flow reply', () => {
    expect(extractProfile([], 'AE', NOW, { purchase_rating: '2' })).toMatchObject({ persona: null, budgetMax: null });
    expect(extractProfile('purchase_rating: 2', 'AE', NOW)).toMatchObject({ persona: null, budgetMax: null });
    expect(extractProfile('purchase_timeline: within_3_months\npurchase_rating: 2', 'AE', NOW)).toMatchObject({ timeline: '0-3m', persona: null });
  });
});
