import { describe, expect, it } from 'vitest';
import { toPivotText } from './lead-text.normalizer';
import { asciiDigits } from './numerals';

// The gloss turns what the lead wrote into the English the parsers read; these pin the readings
// that carry a profile fact. English passes through unchanged.

describe('asciiDigits', () => {
  it('reads Arabic-Indic, Persian and Devanagari digits and the Arabic separators', () => {
    expect(asciiDigits('٢٫٥ مليون، ١٢٠٬٠٠٠')).toBe('2.5 مليون، 120,000');
    expect(asciiDigits('۳ غرف')).toBe('3 غرف');
    expect(asciiDigits('बजट ९० लाख')).toBe('बजट 90 लाख');
  });
});

describe('toPivotText: Arabic', () => {
  it.each([
    ['مرحبا، أبحث عن فيلا 4 غرف نوم في دبي هيلز بميزانية 8 مليون درهم، الدفع نقداً', 'hi, looking for villa 4 bedrooms in دبي هيلز in budget 8 million aed, payment cash'],
    ['من ٢ إلى ٣ ملايين درهم', 'from 2 to 3 million aed'],
    ['خلال ٣ أشهر', 'within 3 months'],
    ['لا، خليها ٣ غرف', 'no, make it 3 bedrooms'],
    ['شقة غرفتين وصالة للايجار', 'apartment 2 bedrooms for rent'],
    ['مليونين ونص', '2.5 million'],
    ['نص مليون', '0.5 million'],
    ['السنة الجاية في شهر 6', 'next year in june'],
    ['الربع الثاني من السنة الجاية', 'q2 of next year'],
    ['نهاية السنة الجاية', 'end of next year'],
    ['ما أبي ديرة', "don't want ديره"],
  ])('%s', (text, pivot) => {
    expect(toPivotText(text)).toBe(pivot);
  });

  it('keeps whole place names as written, even when their words are in the lexicon', () => {
    expect(toPivotText('في المدينة العالمية')).toBe('in المدينه العالميه');
    expect(toPivotText('جي في سي أو جي في تي')).toBe('جي في سي or جي في تي');
  });

  it('reads Arabizi', () => {
    expect(toPivotText('abgha sha2a 2 ghoraf fi JVC, milyon w nos')).toBe('want apartment 2 bedrooms in JVC, 1.5 million');
    expect(toPivotText('fila ijar, el shahr el jay')).toBe('villa rent, next month');
  });
});

describe('toPivotText: Hindi and Hinglish', () => {
  it.each([
    ['मुझे पवई में 2 BHK फ्लैट चाहिए, बजट 80 लाख तक', 'i पवई mein 2 BHK flat want, budget 80 lakh tak'],
    ['do BHK chahiye', '2 BHK chahiye'],
    ['2 mahine mein', 'within 2 months'],
    ['6 mahine baad', 'in 6 months'],
    ['agle saal ke end tak', 'by end of next year'],
    ['agle mahine', 'next month'],
    ['dedh crore se do crore', '1.5 crore se 2 crore'],
    ['sadhe teen crore', '3.5 crore'],
    ['kiraye pe dena hai', 'rent it out hai'],
    ['loan nahi chahiye', 'no mortgage needed'],
    ['3 se 4 BHK', '3 to 4 BHK'],
  ])('%s', (text, pivot) => {
    expect(toPivotText(text)).toBe(pivot);
  });

  it('reads nukta letters however they were typed', () => {
    expect(toPivotText('50 हज़ार')).toBe(toPivotText('50 हज़ार'));
    expect(toPivotText('50 हज़ार')).toBe('50 thousand');
  });
});

describe('toPivotText: English', () => {
  it.each([
    'Hi, I want to do a 2 bed in Dubai Marina, budget 2.5M, moving in 3 months',
    'Is it a teen-friendly area? Char-grilled food nearby?',
    'budget 1.2 million, cash buyer, Q2 next year',
  ])('passes %s through unchanged', (text) => {
    expect(toPivotText(text)).toBe(text);
  });
});
