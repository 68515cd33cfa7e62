import { describe, expect, it } from 'vitest';
import type { ConversationMessage } from './agent.types';
import { extractProfile, questionFields } from './profile.extractor';

const NOW = '2026-11-23';
const lead = (text: string): ConversationMessage => ({ from: 'lead', text });
const agent = (text: string): ConversationMessage => ({ from: 'agent', text });

describe('extractProfile', () => {
  it('reads every field from one message', () => {
    expect(extractProfile([lead('Hi, 2 bedroom apartment in Dubai Marina, up to 2.5M AED. Cash buyer, moving within 2 months.')], 'AE', NOW)).toEqual({
      persona: 'buyer', city: 'Dubai', areas: ['Dubai Marina'], propertyType: 'apartment', bedsMin: 2, bedsMax: 2,
      budgetMin: null, budgetMax: 2_500_000, currency: 'AED', budgetPeriod: 'total', timeline: '0-3m', finance: 'cash', contactValid: false,
    });
  });

  it('reads bare answers against the question asked before them', () => {
    const p = extractProfile([
      lead('Hi, saw your ad for villas'), agent('Which area are you interested in?'), lead('Arabian Ranches or Dubai Hills'),
      agent('How many bedrooms do you need?'), lead('4'), agent('What is your budget?'), lead('7m max'),
      agent('When are you planning to buy?'), lead('asap'), agent('Are you pre-approved for a mortgage?'), lead('yes'),
    ], 'AE', NOW);
    expect(p).toMatchObject({ persona: 'buyer', propertyType: 'villa', areas: ['Arabian Ranches', 'Dubai Hills Estate'], bedsMin: 4, bedsMax: 4, budgetMax: 7_000_000, timeline: '0-3m', finance: 'preapproved' });
  });

  it('reads "3" as months after a timing question and as bedrooms after a bedroom question', () => {
    expect(extractProfile([lead('buy in JVC'), agent('When are you hoping to move?'), lead('3')], 'AE', NOW)).toMatchObject({ timeline: '0-3m', bedsMin: null });
    expect(extractProfile([lead('buy in JVC'), agent('How many bedrooms?'), lead('3')], 'AE', NOW)).toMatchObject({ bedsMin: 3, timeline: null });
  });

  it('reads yes and no against the finance question', () => {
    const base = [lead('buy 2 bed in JLT')];
    expect(extractProfile([...base, agent('Will this be a cash purchase?'), lead('yes')], 'AE', NOW).finance).toBe('cash');
    expect(extractProfile([...base, agent('Will this be a cash purchase?'), lead('no')], 'AE', NOW).finance).toBe('mortgage');
    expect(extractProfile([...base, agent('Will you need a mortgage?'), lead('nope')], 'AE', NOW).finance).toBe('cash');
    expect(extractProfile([...base, agent('Are you pre-approved?'), lead('not yet')], 'AE', NOW).finance).toBe('mortgage');
  });

  it('lets later statements override earlier ones', () => {
    const p = extractProfile([lead('2 bed in Downtown, 3M'), agent('Noted. Anything else?'), lead('actually make it 3 bedrooms and up to 5.5M')], 'AE', NOW);
    expect(p).toMatchObject({ bedsMin: 3, bedsMax: 3, budgetMax: 5_500_000, areas: ['Downtown Dubai'] });
    expect(extractProfile([lead('JVC please'), agent('ok'), lead('actually Business Bay instead')], 'AE', NOW).areas).toEqual(['Business Bay']);
    expect(extractProfile([lead('Marina or JBR'), agent('ok'), lead('not JBR after all')], 'AE', NOW).areas).toEqual(['Dubai Marina']);
    expect(extractProfile([lead('$500k in Downtown'), agent('ok'), lead('actually up to 600k')], 'AE', NOW)).toMatchObject({ budgetMax: 600_000, currency: 'USD' });
  });

  it('keeps a timeline when "not sure" answers a different question', () => {
    const p = extractProfile([lead('buy in JVC within 2 months'), agent('Cash or mortgage?'), lead('not sure yet')], 'AE', NOW);
    expect(p).toMatchObject({ timeline: '0-3m', finance: null });
  });

  it('reads Lead Ads key: value lines in any reasonable language', () => {
    const text = 'budget: 1,500,000 - 2,000,000\npreferred_area: Dubai Hills\nbedrooms: 2\nwhen_do_you_plan_to_buy: 3-6 months\nfinancing: mortgage pre-approved';
    expect(extractProfile([lead(text)], 'AE', NOW)).toMatchObject({ persona: 'buyer', areas: ['Dubai Hills Estate'], bedsMin: 2, budgetMin: 1_500_000, budgetMax: 2_000_000, timeline: '3-6m', finance: 'preapproved' });
    const es = 'presupuesto: 2M\nzona_preferida: JLT\ndormitorios: 3\ncuando_planea_comprar: 6-12 meses\nfinanciación: cash\npropósito: investment';
    expect(extractProfile([lead(es)], 'AE', NOW)).toMatchObject({ persona: 'investor', areas: ['Jumeirah Lake Towers'], bedsMin: 3, budgetMax: 2_000_000, finance: 'cash' });
  });

  it('reads a formAnswers record', () => {
    const p = extractProfile([], 'GB', NOW, { budget: '£600k', area: 'Clapham', bedrooms: '2', timeline: '0-3 months', full_name: 'Jo Bloggs' });
    expect(p).toMatchObject({ city: 'London', areas: ['Clapham'], bedsMin: 2, budgetMax: 600_000, currency: 'GBP', timeline: '0-3m' });
  });

  it('applies the persona rules', () => {
    expect(extractProfile('looking to rent a 1BR in JVC, 75k', 'AE', NOW)).toMatchObject({ persona: 'tenant', budgetPeriod: 'year', propertyType: 'apartment' });
    expect(extractProfile('off-plan investment, good rental yield, 1.5M', 'AE', NOW).persona).toBe('investor');
    expect(extractProfile('buy-to-let in Manchester', 'GB', NOW).persona).toBe('investor');
    expect(extractProfile('currently renting, want to buy in Brooklyn', 'US', NOW).persona).toBe('buyer');
    expect(extractProfile('2 bed flat in Clapham to rent, 2,400', 'GB', NOW)).toMatchObject({ persona: 'tenant', budgetPeriod: 'month' });
  });

  it('applies the property type and bedroom rules', () => {
    expect(extractProfile('3 bed house in Mirdif', 'AE', NOW).propertyType).toBe('villa');
    expect(extractProfile('3 bed house in Wimbledon', 'GB', NOW).propertyType).toBeNull();
    expect(extractProfile('studio in JLT', 'AE', NOW)).toMatchObject({ propertyType: 'apartment', bedsMin: 0, bedsMax: 0 });
    expect(extractProfile('2 or 3 bedrooms', 'AE', NOW)).toMatchObject({ bedsMin: 2, bedsMax: 3 });
    expect(extractProfile('two bedrooms', 'AE', NOW)).toMatchObject({ bedsMin: 2, bedsMax: 2 });
    expect(extractProfile('at least 3 bedrooms', 'AE', NOW)).toMatchObject({ bedsMin: 3, bedsMax: null });
    expect(extractProfile('3+ beds', 'AE', NOW)).toMatchObject({ bedsMin: 3, bedsMax: null });
    expect(extractProfile("4 bed + maid's room villa", 'AE', NOW)).toMatchObject({ bedsMin: 4, bedsMax: 4 });
    expect(extractProfile('penthouse in Downtown', 'AE', NOW).propertyType).toBe('penthouse');
    expect(extractProfile('townhouse in Town Square', 'AE', NOW).propertyType).toBe('townhouse');
    expect(extractProfile('Whitefield 3bhk villa 2.5 crore', 'IN', NOW)).toMatchObject({ propertyType: 'villa', bedsMin: 3, budgetMax: 25_000_000 });
    expect(extractProfile('2bhk andheri rent 45k', 'IN', NOW)).toMatchObject({ propertyType: 'apartment', persona: 'tenant', budgetPeriod: 'month' });
  });

  it('returns an empty profile for small talk', () => {
    expect(extractProfile('hi', 'AE', NOW)).toMatchObject({ persona: null, city: null, areas: [], budgetMax: null, currency: null, timeline: null });
  });
});

describe('questionFields', () => {
  it('finds what the last question asks', () => {
    expect(questionFields('Great! Which area are you interested in?')).toEqual(['area']);
    expect(questionFields('How many bedrooms do you need?')).toEqual(['beds']);
    expect(questionFields('Noted. What budget do you have in mind?')).toEqual(['budget']);
    expect(questionFields('When are you planning to buy?')).toContain('timeline');
    expect(questionFields('Will you be paying cash or using a mortgage?')).toEqual(['finance']);
    expect(questionFields(undefined)).toEqual([]);
  });

  it('reads bedroom ranges with a studio or with the bed word written twice', () => {
    expect(extractProfile('Studio or 1 bed in Discovery Gardens, rent', 'AE', NOW)).toMatchObject({ bedsMin: 0, bedsMax: 1, propertyType: 'apartment' });
    expect(extractProfile('1 BHK ya 2 BHK in Powai', 'IN', NOW)).toMatchObject({ bedsMin: 1, bedsMax: 2 });
    expect(extractProfile('2 bed / 3 bed in JVC', 'AE', NOW)).toMatchObject({ bedsMin: 2, bedsMax: 3 });
  });

  it('reads a negated pre-approval as needing a mortgage', () => {
    expect(extractProfile('I need mortgage, not pre approved yet', 'AE', NOW).finance).toBe('mortgage');
    expect(extractProfile("haven't got my AIP yet", 'GB', NOW).finance).toBe('mortgage');
    expect(extractProfile('mortgage pre-approved', 'AE', NOW).finance).toBe('preapproved');
  });

  it('answers a form question with a yes or no', () => {
    const form = 'How many bedrooms?: 3\nDo you have a mortgage in principle?: Yes';
    expect(extractProfile(form, 'GB', NOW).finance).toBe('preapproved');
    expect(extractProfile('Are you a cash buyer?: Yes', 'GB', NOW).finance).toBe('cash');
  });

  it('reads bare "land" and "office" as property types, but not the verb or a workplace', () => {
    expect(extractProfile('Looking for land in Jumeirah, 20M+', 'AE', NOW).propertyType).toBe('land');
    expect(extractProfile('need office in JLT, to buy, 1.5M', 'AE', NOW).propertyType).toBe('office');
    expect(extractProfile('when I land in Dubai I will call, 2 bed in JLT', 'AE', NOW).propertyType).not.toBe('land');
    expect(extractProfile('a 2 bed flat near my office in DIFC', 'AE', NOW).propertyType).toBe('apartment');
  });

  it('reads everyday misspellings of property words', () => {
    expect(extractProfile('need an appartment in Dubai Marina', 'AE', NOW).propertyType).toBe('apartment');
    expect(extractProfile('vila in Arabian Ranches', 'AE', NOW).propertyType).toBe('villa');
    expect(extractProfile('pentouse in Downtown', 'AE', NOW).propertyType).toBe('penthouse');
    expect(extractProfile('it is vital to be near a school', 'AE', NOW).propertyType).toBeNull();
  });

  it('keeps the other areas when a correction swaps one of them', () => {
    const convo: ConversationMessage[] = [
      { from: 'lead', text: 'Palm or Marina, 2 bed to buy, 3M' },
      { from: 'lead', text: 'actually Bluewaters instead of Marina' },
    ];
    expect(extractProfile(convo, 'AE', NOW).areas).toEqual(['Palm Jumeirah', 'Bluewaters Island']);
  });

  it('reads a bare bedroom answer that starts with a correction word', () => {
    const p = extractProfile([
      lead('Hi I need a 2 bed in Dubai Hills'), agent('Buy or rent?'), lead('buy'),
      agent('How many bedrooms did you want again?'), lead('actually 3'),
    ], 'AE', NOW);
    expect(p).toMatchObject({ bedsMin: 3, bedsMax: 3 });
    expect(extractProfile([agent('How many bedrooms?'), lead('ok, 4')], 'AE', NOW)).toMatchObject({ bedsMin: 4, bedsMax: 4 });
  });

  it('reads "yes" to a question about an approval in principle or a lender', () => {
    expect(questionFields('Do you have an approval in principle from a lender?')).toContain('finance');
    const p = extractProfile([
      lead('2 bed in Canary Wharf to buy, 650k'), agent('Do you have an approval in principle from a lender?'), lead('yes'),
    ], 'GB', NOW);
    expect(p.finance).toBe('preapproved');
  });

  it('takes the named city the wanted areas are in, across messages', () => {
    const p = extractProfile([
      lead('I sold my place in Manchester, now want to buy in London'), agent('Which area?'), lead('Islington'),
    ], 'GB', NOW);
    expect(p).toMatchObject({ city: 'London', areas: ['Islington'] });
    // a city named on its own still wins over an area in a city never named
    expect(extractProfile('Abu Dhabi please, or maybe Dubai Marina', 'AE', NOW).city).toBe('Abu Dhabi');
  });

  it('reads an open bedroom count written around the figure ("3 or more bedrooms", "a minimum of 2 bedrooms")', () => {
    expect(extractProfile('3 or more bedrooms in Dubai Hills', 'AE', NOW)).toMatchObject({ bedsMin: 3, bedsMax: null });
    expect(extractProfile('4 plus beds, villa', 'AE', NOW)).toMatchObject({ bedsMin: 4, bedsMax: null });
    expect(extractProfile('a minimum of 2 bedrooms in Astoria', 'US', NOW)).toMatchObject({ bedsMin: 2, bedsMax: null });
  });
});

describe('only the lead\'s own words', () => {
  it('reads a pin by its coordinates, never by its name or address', () => {
    expect(extractProfile([lead('[location: Philz Coffee, 1 Hacker Way, Palo Alto, CA 94301 (37.44, -122.16)]')], 'US', NOW)).toMatchObject({ budgetMax: null, areas: [] });
    expect(extractProfile([lead('[location: Dubai Mall, Downtown Dubai (25.0590, 55.2090)]')], 'AE', NOW)).toMatchObject({ areas: ['Jumeirah Village Circle'], city: 'Dubai' });
  });

  it('reads an order by its note only, and a shared contact not at all', () => {
    expect(extractProfile([lead('[order: 1 × di9ozbzfi4 @ 30 USD; 2 × nqryix03ez @ 25 USD] — Viewing fee for unit 1204')], 'US', NOW)).toMatchObject({ budgetMax: null, currency: null });
    expect(extractProfile([lead('[order: 1 × pack @ 30 USD] — looking to rent a 1 bed in Brickell')], 'US', NOW)).toMatchObject({ persona: 'tenant', areas: ['Brickell'], budgetMax: null });
    expect(extractProfile([lead('[shared contact: Barbara Johnson, +16505559999, 1 Hacker Way 94301]')], 'US', NOW)).toMatchObject({ budgetMax: null, areas: [] });
  });

  it('reads Arabic and Hindi bare answers against our own Arabic and Hindi questions', () => {
    expect(extractProfile([lead('أبحث عن شقة للإيجار'), agent('كم غرفة نوم تحتاج؟'), lead('٣')], 'AE', NOW)).toMatchObject({ bedsMin: 3, bedsMax: 3 });
    expect(extractProfile([lead('Powai mein flat chahiye'), agent('Kitne BHK chahiye?'), lead('do')], 'IN', NOW)).toMatchObject({ bedsMin: 2, bedsMax: 2 });
    expect(extractProfile([lead('شقة للشراء'), agent('هل لديك موافقة مبدئية على التمويل؟'), lead('نعم')], 'AE', NOW)).toMatchObject({ finance: 'preapproved' });
  });
});
