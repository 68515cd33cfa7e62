// Digits and number words outside ASCII and English. Leads in the Gulf and India type
// Arabic-Indic (٠-٩), Persian (۰-۹) and Devanagari (०-९) digits as often as 0-9, and the
// Arabic decimal and thousands separators (٫ ٬); every parser reads ASCII digits only.

const ARABIC_INDIC_ZERO = 0x0660;
const PERSIAN_ZERO = 0x06f0;
const DEVANAGARI_ZERO = 0x0966;

const NON_ASCII_DIGIT_RE = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u066b\u066c]/g;

/** Arabic-Indic, Persian and Devanagari digits to 0-9; ٫ to "." and ٬ to ",". Same length out. */
export function asciiDigits(text: string): string {
  return text.replace(NON_ASCII_DIGIT_RE, (ch) => {
    const c = ch.charCodeAt(0);
    if (c === 0x066b) return '.';
    if (c === 0x066c) return ',';
    if (c >= DEVANAGARI_ZERO) return String(c - DEVANAGARI_ZERO);
    if (c >= PERSIAN_ZERO) return String(c - PERSIAN_ZERO);
    return String(c - ARABIC_INDIC_ZERO);
  });
}

/**
 * Arabic number words, folded (see foldArabic: ا for أ/إ/آ, ه for ة, ي for ى), MSA and Gulf
 * spellings. Feminine/masculine forms both listed; "ست" is also "lady" but never next to a
 * property word.
 */
export const ARABIC_NUMBER_WORDS: Readonly<Record<string, number>> = {
  صفر: 0, واحد: 1, واحده: 1, وحده: 1, اثنين: 2, اثنان: 2, ثنين: 2, اثنتين: 2, ثنتين: 2,
  ثلاث: 3, ثلاثه: 3, تلات: 3, تلاته: 3, اربع: 4, اربعه: 4, خمس: 5, خمسه: 5, ست: 6, سته: 6, سبع: 7, سبعه: 7,
  ثمان: 8, ثماني: 8, ثمانيه: 8, تمن: 8, تمانيه: 8, تسع: 9, تسعه: 9, عشر: 10, عشره: 10,
  عشرين: 20, عشرون: 20, ثلاثين: 30, اربعين: 40, خمسين: 50, ستين: 60, سبعين: 70, ثمانين: 80, تسعين: 90,
  ميه: 100, مية: 100, مئه: 100, مائه: 100, ميتين: 200, مئتين: 200, مائتين: 200, ثلاثميه: 300, ثلاثمئه: 300, ثلاثمائه: 300,
  اربعميه: 400, اربعمئه: 400, اربعمائه: 400, خمسميه: 500, خمسمئه: 500, خمسمائه: 500, ستميه: 600, ستمئه: 600, ستمائه: 600,
  سبعميه: 700, سبعمئه: 700, سبعمائه: 700, ثمانميه: 800, ثمانمئه: 800, ثمانمائه: 800, تسعميه: 900, تسعمئه: 900, تسعمائه: 900,
};

/** Arabizi (Arabic in Latin letters) number words. */
export const ARABIZI_NUMBER_WORDS: Readonly<Record<string, number>> = {
  wa7ed: 1, wahed: 1, wahid: 1, ithnain: 2, ethnain: 2, thnain: 2, ithnen: 2, itnen: 2, tnen: 2,
  thalath: 3, talata: 3, thalatha: 3, tlata: 3, arba3: 4, arba: 4, arba3a: 4, khamsa: 5, '5amsa': 5, khams: 5,
  sitta: 6, sabe3: 7, sab3a: 7, thamanya: 8, tamanya: 8, tis3a: 9, '3ashra': 10, ashra: 10,
};

/** Hindi number words, Devanagari and romanised (the small ones only: beds, months, crores). */
export const HINDI_NUMBER_WORDS: Readonly<Record<string, number>> = {
  एक: 1, दो: 2, तीन: 3, चार: 4, पांच: 5, पाँच: 5, छह: 6, छः: 6, सात: 7, आठ: 8, नौ: 9, दस: 10, बारह: 12,
  डेढ़: 1.5, डेढ: 1.5, ढाई: 2.5,
  ek: 1, do: 2, teen: 3, tin: 3, char: 4, chaar: 4, paanch: 5, panch: 5, paach: 5, chhe: 6, chhah: 6, che: 6, saat: 7, aath: 8, nau: 9, das: 10,
  barah: 12, dedh: 1.5, dhai: 2.5, dhaai: 2.5, adhai: 2.5,
};
