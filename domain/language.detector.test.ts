import { describe, expect, it } from 'vitest';
import { baseLanguage, conversationLanguage, detectLanguage, spokenLanguage } from './language.detector';

describe('detectLanguage', () => {
  it.each([
    ['مرحبا، أبحث عن فيلا 4 غرف نوم في دبي هيلز', 'ar'],
    ['ابغى شقة في JVC', 'ar'],
    ['abgha sha2a 2 ghoraf fi Dubai Marina', 'ar'],
    ['मुझे पवई में 2 BHK फ्लैट चाहिए', 'hi'],
    ['mujhe Andheri mein 2 BHK chahiye, budget 50 hazar tak', 'hi-Latn'],
    ['do BHK chahiye Powai mein', 'hi-Latn'],
    ['Hi, looking for a 2 bed apartment in Dubai Marina', 'en'],
    ['I need a flat in Powai, 2 BHK, budget 80 lakh', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)?.language).toBe(lang);
  });

  it('gives no language to bare figures, codes, names and emoji', () => {
    for (const t of ['3', '2.5M', 'JVC', '👍', 'ok', '٣', '', '   ']) expect(detectLanguage(t)).toBeNull();
  });
});

describe('conversationLanguage', () => {
  const lead = (text: string) => ({ from: 'lead' as const, text });
  const agent = (text: string) => ({ from: 'agent' as const, text });

  it('keeps the last language the lead wrote in through bare answers and markers', () => {
    expect(conversationLanguage([lead('أبحث عن شقة للإيجار'), agent('How many bedrooms?'), lead('٣'), lead('[photo]')])).toBe('ar');
    expect(conversationLanguage([lead('Powai mein flat chahiye'), agent('Kitne BHK?'), lead('2')])).toBe('hi-Latn');
  });

  it('follows the lead when they switch language, and defaults to English', () => {
    expect(conversationLanguage([lead('مرحبا'), agent('Hi!'), lead('Actually I prefer English, looking to rent in JLT')])).toBe('en');
    expect(conversationLanguage([])).toBe('en');
    expect(conversationLanguage([lead('👍')], 'ar')).toBe('ar');
  });

  it('says nothing (null) until the lead wrote words with a language: the contact keeps what it had', () => {
    expect(spokenLanguage([])).toBeNull();
    expect(spokenLanguage([lead('👍'), lead('[photo]'), agent('Hello! Are you looking to buy or rent?'), lead('3')])).toBeNull();
    expect(spokenLanguage([lead('नमस्ते, 2 बेडरूम फ्लैट चाहिए'), agent('Budget?'), lead('3')])).toBe('hi');
  });

  it('maps Hinglish to Hindi as the base language', () => {
    expect(baseLanguage('hi-Latn')).toBe('hi');
    expect(baseLanguage('ar')).toBe('ar');
  });
});
