import { ARABIC_NUMBER_WORDS, ARABIZI_NUMBER_WORDS } from './numerals';
import { foldArabic } from './text.util';

// Arabic (MSA and Gulf) and Arabizi read into the plain English the parsers already know:
// "فيلا 4 غرف نوم في دبي هيلز بميزانية 8 مليون درهم" becomes "villa 4 bedrooms in دبي هيلز in
// budget 8 million aed". Place names stay in Arabic: areas.json carries Arabic aliases, so the
// geo matcher finds them as written. This is a gloss, not a translation: only the words that
// carry a profile fact (numbers, units, property words, time, money, negation, corrections) are
// rendered; the rest passes through untouched and is ignored by the parsers as before.

const L = String.raw`\p{L}\p{M}`;
// patterns are written as Arabic is spelled and folded like the text they run on
const word = (src: string): RegExp => new RegExp(String.raw`(?<![${L}])(?:${foldArabic(src)})(?![${L}])`, 'gu');
const re = (src: string): RegExp => new RegExp(foldArabic(src), 'gu');

/** Multi-word and order-changing rules, on folded text with clitics split off ("ب الشهر"). */
const PHRASES: ReadonlyArray<[RegExp, string]> = [
  // adjective after the noun: "the month the coming" is next month
  [word(String.raw`(?:ال)?شهر (?:ال)?(?:جاي|قادم|مقبل|ياي|اللي جاي)`), ' next month '],
  [word(String.raw`(?:ال)?(?:سنه|عام) (?:ال)?(?:جايه|قادمه|مقبله|يايه|جاي|قادم|مقبل|ياي|اللي جايه)`), ' next year '],
  [word(String.raw`(?:ال)?اسبوع (?:ال)?(?:جاي|قادم|مقبل|ياي)`), ' next week '],
  [word(String.raw`(?:ال)?(صيف|شتاء|شتا|ربيع|خريف) (?:ال)?(?:جاي|قادم|مقبل|ياي)`), ' next $1 '],
  [word(String.raw`(?:هذا|هذه|هذي|هاذا|هاذي) (?:ال)?شهر|هالشهر`), ' this month '],
  [word(String.raw`(?:هذا|هذه|هذي|هاذا|هاذي) (?:ال)?(?:سنه|عام)|هالسنه|هالعام`), ' this year '],
  [word(String.raw`(?:هذا|هذه|هذي) (?:ال)?ربع|هالربع`), ' this quarter '],
  [word(String.raw`(?:ال)?ربع (?:ال)?(?:جاي|قادم|مقبل)`), ' next quarter '],
  [word(String.raw`(?:ال)?ربع (?:ال)?(?:اول|1)`), ' q1 '],
  [word(String.raw`(?:ال)?ربع (?:ال)?(?:ثاني|تاني|2)`), ' q2 '],
  [word(String.raw`(?:ال)?ربع (?:ال)?(?:ثالث|تالت|3)`), ' q3 '],
  [word(String.raw`(?:ال)?ربع (?:ال)?(?:رابع|اخير|4)`), ' q4 '],
  [/(q[1-4]) (?:من|في) /gu, '$1 of '],
  [word(String.raw`(?:كانون (?:ال)?ثاني)`), ' january '],
  [word(String.raw`(?:كانون (?:ال)?اول)`), ' december '],
  [word(String.raw`(?:تشرين (?:ال)?اول)`), ' october '],
  [word(String.raw`(?:تشرين (?:ال)?ثاني)`), ' november '],
  // Gulf speech names months by number: "شهر 6" is June
  [re(String.raw`(?<![\p{L}\p{M}])(?:في )?(?:ال)?شهر (1[0-2]|0?[1-9])(?![\d.]|\s?(?:شهر|شهور|اشهر|month))`), ' in month#$1 '],
  // time spans and "now"
  [word(String.raw`في اسرع وقت(?: ممكن)?|ب ?اسرع وقت(?: ممكن)?|اسرع وقت ممكن|في اقرب وقت(?: ممكن)?|ب ?اقرب وقت(?: ممكن)?|على طول|ع طول|فورا|فوري|حالا|باسرع ما يمكن`), ' asap '],
  [word(String.raw`ما ادري|مادري|ماادري|ما اعرف|لا اعرف|لا ادري|مش عارف|مو عارف|مب عارف|مو متاكد|مش متاكد|غير متاكد|لست متاكد|مب متاكد|مو اكيد|مش اكيد|ما قررت|لم اقرر|ما حددت|لم احدد|ما عندي فكره|ماعندي فكره`), ' not sure '],
  [word(String.raw`(?:بس|فقط) (?:اتفرج|اطالع|اشوف)|اتفرج(?: بس| فقط)?|استكشف`), ' just browsing '],
  [word(String.raw`في غضون|خلال|في خلال|ضمن`), ' within '],
  [re(String.raw`(within|in) (?:ال)?(سنه|عام)(?![\p{L}\p{M}])`), '$1 1 year '],
  [re(String.raw`(within|in) (?:ال)?شهر(?![\p{L}\p{M}])`), '$1 1 month '],
  [re(String.raw`(?<![\p{L}\p{M}])بعد(?= ?(?:\d|شهر|شهرين|سنه|سنتين|اسبوع|اسبوعين|ثلاث|اربع|خمس|ست|سبع|ثمان|تسع|عشر|كم))`), ' in '],
  [word(String.raw`نهايه|اخر|آخر|بنهايه`), ' end of '],
  [word(String.raw`بدايه|بدايات|مطلع|اوائل|اول`), ' beginning of '],
  [re(String.raw`(?<![\p{L}\p{M}])(?:منتصف|نص)(?= (?:ال)?(?:سنه|عام|next|this|20\d\d|\p{L}+ير|\p{L}+و)(?![\p{L}\p{M}]))`), ' mid '],
  // money: "a million and a half", "half a million", a bare "million" is one million
  [word('مليونين|مليونان'), ' 2 million '],
  [re(String.raw`(\d+(?:\.\d+)?) (?:مليون|ملايين|million) و ?نص`), ' $1.5 million '],
  [re(String.raw`(\d+) و ?نص (?:مليون|ملايين)`), ' $1.5 million '],
  [word(String.raw`مليون و ?نص`), ' 1.5 million '],
  [word(String.raw`مليون و ?ربع`), ' 1.25 million '],
  [word(String.raw`نص مليون|نصف مليون`), ' 0.5 million '],
  [word(String.raw`ربع مليون`), ' 0.25 million '],
  [re(String.raw`(?<![\d.]\s?)(?<![\p{L}\p{M}])(?:مليون)(?![\p{L}\p{M}])`), ' 1 million '],
  [word('الفين|الفان'), ' 2 thousand '],
  [word(String.raw`ب ?حدود|في حدود|حدود|تقريبا|حوالي|حوالى|في الحدود`), ' around '],
  [word(String.raw`ك ?حد اقصى|ب ?حد اقصى|حد اقصى|اقصى حد|اقصى شي|ماكس`), ' max '],
  [word(String.raw`ك ?حد ادنى|حد ادنى|على الاقل|ع الاقل|ب الاقل`), ' at least '],
  [word(String.raw`(?:ما|لا) (?:يزيد|تزيد|يتعدى|تتعدى|يتجاوز|تتجاوز)(?: عن| على)?|اقل من|تحت|دون`), ' under '],
  [word(String.raw`اكثر من|اعلى من|فوق`), ' over '],
  [word(String.raw`(?:ال)?سنويا|(?:ال)?سنوي|(?:ال)?سنويه|ب السنه|في السنه|كل سنه|لل ?سنه`), ' per year '],
  [word(String.raw`(?:ال)?شهريا|(?:ال)?شهري|(?:ال)?شهريه|ب الشهر|في الشهر|كل شهر|لل ?شهر`), ' per month '],
  // bedrooms: "4 غرف نوم", "غرفتين وصالة" (Gulf 2BHK), a lone singular room is one bedroom
  [word(String.raw`غرفه (?:ال)?(?:خادمه|خدم|شغاله|سائق|خادمات)`), ' maid room '],
  [re(String.raw`(\d+) ?غرف(?:ه)?(?: نوم)?(?: و ?صاله| مع صاله)?(?![\p{L}\p{M}])`), ' $1 bedrooms '],
  [word(String.raw`غرفتين(?: نوم)?(?: و ?صاله)?|غرفتي نوم|غرفتان`), ' 2 bedrooms '],
  [re(String.raw`(?<!(?:\d|كم) ?)(?<![\p{L}\p{M}])غرفه(?: نوم)? ?(?:واحده|وحده|1)?(?: و ?صاله)?(?![\p{L}\p{M}])`), ' 1 bedroom '],
  [word(String.raw`غرف نوم|غرف`), ' bedrooms '],
  // "غرفتين أو ثلاث": the bed word written once, after the first figure
  [re(String.raw`(\d+) (bedrooms?) (?:او|الى|لين|-) (\d+)(?! ?(?:bedroom|غرف|الف|مليون|thousand|million))`), ' $1-$3 $2 '],
  // finance, before the single words
  [word(String.raw`(?:ما|لا|مو|مش|مب) (?:احتاج|نحتاج|محتاج|محتاجين|ابي|ابغى|ابغي|نبي|بدي|اريد) (?:ال)?(?:تمويل|قرض|رهن)|بدون (?:ال)?(?:تمويل|قرض|رهن)|من غير (?:ال)?(?:تمويل|قرض)`), ' without a mortgage '],
  [word(String.raw`(?:ال)?موافقه (?:ال)?(?:مبدئيه|مسبقه|اوليه|بنك|ال بنك)|معتمد مسبقا|(?:ال)?تمويل (?:ال)?(?:معتمد|موافق عليه)`), ' pre-approved '],
  [word(String.raw`(?:ال)?عائد (?:ال)?(?:ايجاري|سنوي)|(?:ال)?دخل (?:ال)?ايجاري|(?:ال)?عوائد`), ' rental yield '],
  [word(String.raw`اعاده (?:ال)?بيع`), ' resell '],
  [word(String.raw`(?:ا|او|ن)?[اؤ]?جرها|تاجيرها|اجارها`), ' rent it out '],
  [word(String.raw`تاون هاوس|تاون هوم`), ' townhouse '],
  [word(String.raw`بنت هاوس|بينت هاوس`), ' penthouse '],
  [word(String.raw`قطعه ارض|قطعه`), ' plot '],
  [word(String.raw`محل تجاري|محلات تجاريه`), ' retail '],
  // negation and corrections
  [word(String.raw`(?:ما|لا|مو|مش|مب) (?:ابي|ابغى|ابغي|اريد|بدي|نبي|نبغى|نريد|حاب|احب|يناسبني)|مابي|مابغى|مابدي`), " don't want "],
  [word(String.raw`بدلا من|بدلا عن|بدل|بدال|عوضا عن`), ' instead of '],
  [word(String.raw`غيرت رايي|غيرت راي`), ' changed my mind '],
  [word(String.raw`في الحقيقه|بالاحرى|بالاصح|ب الاحرى|ب الاصح`), ' actually '],
  [word(String.raw`ما عدا|ماعدا|باستثناء|ب استثناء|عدا|الا`), ' except '],
  [word(String.raw`قريب من|قريبه من|جنب|بجانب|ب جانب|قرب|عند`), ' near '],
  [word(String.raw`ابحث عن|ادور على|ادور|ابحث|نبحث عن|نبحث|نشوف`), ' looking for '],
  [word(String.raw`السلام عليكم|مساء الخير|صباح الخير`), ' hi '],
  [word(String.raw`يعطيك العافيه`), ' thanks '],
];

/** "key:value key:two words": a value runs until the next key; "_" also stands for a space. */
export function lexicon(src: string): Record<string, string> {
  const out: Record<string, string> = {};
  let key: string | null = null;
  for (const tok of src.trim().split(/\s+/)) {
    const at = tok.indexOf(':');
    if (at > 0) {
      key = tok.slice(0, at);
      out[key] = tok.slice(at + 1).replace(/_/g, ' ');
    } else if (key !== null) out[key] = `${out[key]} ${tok}`.trim();
  }
  return out;
}

/** Single words (folded), after the phrases. */
const WORDS: Readonly<Record<string, string>> = foldKeys(lexicon(`
شقه:apartment شقق:apartments الشقه:the apartment فيلا:villa فيله:villa فله:villa فلل:villas فيلل:villas الفيلا:the villa
تاونهاوس:townhouse بنتهاوس:penthouse دوبلكس:duplex دوبليكس:duplex مكتب:office مكاتب:offices ارض:land اراضي:land
محل:retail ستوديو:studio استوديو:studio استديو:studio بيت:house منزل:house بيوت:houses
مليون:million ملايين:million الف:thousand الاف:thousand درهم:aed دراهم:aed درهما:aed دولار:usd دولارات:usd يورو:eur
جنيه:gbp استرليني:gbp باوند:gbp روبيه:inr ميزانيه:budget الميزانيه:budget ميزانيتي:budget سعر:price السعر:price
شراء:buy اشتري:buy نشتري:buy يشتري:buy تشتري:buy الشراء:buy شرا:buy للشراء:to buy للبيع:for sale تملك:to own للتملك:to own
ايجار:rent اجار:rent الايجار:rent للايجار:for rent استئجار:rent استاجر:rent نستاجر:rent تستاجر:rent مستاجر:tenant ايجاري:rental
استثمار:investment استثماري:investment استثماريه:investment للاستثمار:for investment كاستثمار:as investment الاستثمار:investment مستثمر:investor عائد:returns
للسكن:to live in سكن:to live in اسكن:live نسكن:live ساكن:living ساكنين:living للعائله:for family
كاش:cash نقدا:cash نقدي:cash نقد:cash تمويل:mortgage التمويل:mortgage قرض:loan رهن:mortgage عقاري:
شهر:month الشهر:month شهرين:2 months شهور:months اشهر:months الشهور:months سنه:year السنه:the year عام:year العام:the year سنتين:2 years
سنين:years سنوات:years اسبوع:week اسبوعين:2 weeks اسابيع:weeks يوم:day ايام:days يومين:2 days
يناير:january جانفي:january فبراير:february فيفري:february مارس:in march اذار:in march ابريل:april افريل:april نيسان:april
مايو:in may ماي:in may ايار:in may يونيو:june يونيه:june جوان:june حزيران:june يوليو:july يوليه:july جويليه:july تموز:july
اغسطس:august اوت:august سبتمبر:september ايلول:september اكتوبر:october نوفمبر:november ديسمبر:december
الحين:now الان:now حاليا:currently مستعجل:urgent مستعجلين:urgent عاجل:urgent قريبا:soon
لا:no مو:not مش:not مب:not موب:not ليس:not ليست:not مهب:not خليها:make it خليه:make it خلها:make it خله:make it اجعلها:make it خليهم:make it
اقصد:i mean قصدي:i mean اعني:i mean اسف:sorry اسفه:sorry عفوا:sorry سوري:sorry تعديل:correction
في:in ب:in من:from الى:to لين:to لغايه:to حتى:until بين:between و:and او:or ولا:or مع:with تقريبي:around
ابي:want ابغى:want ابغي:want اريد:want بدي:want حاب:want حابب:want نبي:want نبغى:want نريد:want محتاج:need نحتاج:need احتاج:need
مرحبا:hi هلا:hi اهلا:hi مرحبتين:hi شكرا:thanks مشكور:thanks نعم:yes ايوه:yes ايوا:yes اكيد:sure تمام:ok اوكي:ok طيب:ok
الدفع:payment دفع:pay كم:how many متى:when وين:where اين:where فين:where منطقه:area المنطقه:area مناطق:areas المناطق:areas
مجتمع:community نوع:type_of عقار:property العقار:property مدينه:city المدينه:city اماره:emirate تخطط:planning تنوي:planning
تنتقل:move الانتقال:move انتقال:move تسليم:handover التسليم:handover استلام:handover جاهز:ready جاهزه:ready عقد:contract العقد:contract عقدي:my contract
ينتهي:ends تنتهي:ends يخلص:ends يخلص:ends مفروش:furnished مفروشه:furnished اطلاله:view بحر:sea غرف:bedrooms غرفه:bedroom عدد:number صيف:summer الصيف:summer شتاء:winter شتا:winter ربيع:spring خريف:autumn نطاق:range سعري:price ام:or
`));

function foldKeys(lex: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(lex).map(([k, v]) => [foldArabic(k), v]));
}

/** Arabizi words (Latin letters, digits for Arabic sounds). */
const ARABIZI: Readonly<Record<string, string>> = lexicon(`
sha2a:apartment sha2ah:apartment shaqqa:apartment shaqqah:apartment shaqa:apartment shu2a2:apartments shoqaq:apartments
fila:villa filla:villa fella:villa fellah:villa ghorfa:bedroom ghorfah:bedroom ghurfa:bedroom ghoraf:bedrooms ghuraf:bedrooms ghoref:bedrooms
ghorftain:2_bedrooms ghorfiten:2_bedrooms ghorfteen:2_bedrooms ghurftain:2_bedrooms ghorftein:2_bedrooms
milyon:million malyoon:million malyon:million melyon:million milion:million malayeen:million malayin:million
milyonain:2_million malyoonain:2_million milyonen:2_million alf:thousand alaf:thousand aalaf:thousand
darahim:aed dirham:aed derham:aed drhm:aed kash:cash naqdan:cash na2dan:cash tamweel:mortgage tamwil:mortgage qard:loan
ijar:rent eejar:rent ejar:rent 2ijar:rent ta2jeer:rent tajeer:rent ta2jir:rent ista2jer:rent asta2jer:rent
shira:buy shera2:buy sherah:buy ashtri:buy ashtari:buy ashtiri:buy neshtri:buy nshtri:buy estethmar:investment istithmar:investment
esteshmar:investment isteshmar:investment khilal:within 5ilal:within 5elal:within khelal:within
shahr:month shaher:month ashhor:months shohour:months shhoor:months shuhur:months shahrain:2_months shahren:2_months shahrin:2_months
sana:year sanah:year sanawi:per_year sanawiyan:per_year sanawyan:per_year shahri:per_month shahriyan:per_month al7een:now el7een:now alhin:now 7alan:asap halan:asap fawran:asap 3ayez:want 3ayza:want abgha:want abghi:want
abi:want ab8a:want biddi:want badi:want mish:not mesh:not mub:not fi:in marhaba:hi
`);

const ARABIZI_PHRASES: ReadonlyArray<[RegExp, string]> = [
  [/\b(\d+(?:\.\d+)?) ?(?:milyon|malyoon|malyon|melyon|million) (?:w|wa|o|u) ?(?:nos|nus|nuss|noss)\b/gi, '$1.5 million'],
  [/\b(?:milyon|malyoon|malyon|melyon|million) (?:w|wa|o|u) ?(?:nos|nus|nuss|noss)\b/gi, '1.5 million'],
  [/\b(?:nos|nus|nuss|noss) (?:milyon|malyoon|malyon|melyon|million)\b/gi, '0.5 million'],
  [/(?<!\d\s?)\b(?:milyon|malyoon|malyon|melyon)\b/gi, '1 million'],
  [/\b(?:ghorfa|ghurfa|ghorfah) (?:wa7da|wahda|wa7eda|wahida|w sala|wa sala|w salla)\b/gi, '1 bedroom'],
  [/\b(?:bel|fel|fil|kol|kel) (?:sana|sanah)\b/gi, 'per year'],
  [/\b(?:bel|fel|fil|kol|kel) (?:shahr|shaher)\b/gi, 'per month'],
  [/\b(ba3d|khilal|5ilal|5elal|khelal) (?:sana|sanah)\b/gi, '$1 1 year'],
  [/\b(?:el|al|l)[ -]?shahr (?:el|al|l)[ -]?(?:jay|jaay|gay|qadem|2adem)\b/gi, 'next month'],
  [/\b(?:el|al|l)[ -]?sana (?:el|al|l)[ -]?(?:jaya|jaaya|gaya|qadma|2adma)\b/gi, 'next year'],
  [/\bba3d(?= ?(?:\d|shahr|shahrain|sana|usbu3|ishr))/gi, 'in'],
];

const ARABIC_RUN_RE = /[\p{Script=Arabic}\p{M}]+/gu;
const PREFIXES = ['وبال', 'وال', 'بال', 'فال', 'كال', 'لل', 'وب', 'ول', 'فب', 'و', 'ف', 'ب', 'ل', 'ك'];
const PREFIX_GLOSS: Readonly<Record<string, string>> = { و: 'و', ف: 'و', ب: 'ب', ل: 'ل', ك: 'ك' };

/** Words the splitter may reveal under a clitic: the lexicon, numbers, and what the phrases start with. */
const PHRASE_WORDS = new Set(foldArabic(`غرفتي غرفتان شهر سنه عام اسبوع ربع صيف شتاء ربيع خريف غرفه غرف غرفتين نص حدود حد اقصى ادنى الاقل اسرع اقرب حدود
يزيد موافقه عائد دخل اعاده تاون بنت قطعه محل بدل نهايه بدايه منتصف الشهر السنه العام الاسبوع الاقل استثناء جانب`).split(/\s+/));

function known(w: string, isPlaceWord: (w: string) => boolean): boolean {
  return w in WORDS || w in ARABIC_NUMBER_WORDS || PHRASE_WORDS.has(w) || isPlaceWord(w);
}

/** "بميزانية" → "ب ميزانيه", "وللايجار" → "و لل ايجار"... only when what is left is a word we know. */
function splitClitics(w: string, isPlaceWord: (w: string) => boolean): string {
  if (known(w, isPlaceWord)) return w;
  for (const p of PREFIXES) {
    if (!w.startsWith(p) || w.length - p.length < 2) continue;
    const rest = w.slice(p.length);
    const withArticle = p.endsWith('ال') || p === 'لل' ? `ال${rest}` : null;
    const lead = [...p.replace(/ال$/, '').replace(/^لل$/, 'ل')].map((c) => PREFIX_GLOSS[c] ?? c).join(' ');
    if (withArticle && known(withArticle, isPlaceWord)) return `${lead} ${withArticle}`;
    if (known(rest, isPlaceWord)) return `${lead} ${rest}`;
    // "بميزانيتي": a clitic in front and a possessive behind
    const poss = /ت(?:ي|ك|كم|نا|ه|ها|هم)$/.exec(rest);
    if (poss && known(`${rest.slice(0, poss.index)}ه`, isPlaceWord)) return `${lead} ${rest.slice(0, poss.index)}ه`;
  }
  const poss = /ت(?:ي|ك|كم|نا|ه|ها|هم)$/.exec(w);
  if (poss && known(`${w.slice(0, poss.index)}ه`, isPlaceWord)) return `${w.slice(0, poss.index)}ه`;
  return w;
}

export interface PlaceLookup {
  isPlaceWord(w: string): boolean;
  isPlaceAlias(phrase: string): boolean;
  maxAliasWords(): number;
}

const NO_PLACES: PlaceLookup = { isPlaceWord: () => false, isPlaceAlias: () => false, maxAliasWords: () => 1 };

/** "المدينة العالمية" stays International City: whole place names are set aside before the lexicon runs. */
function protectPlaces(t: string, places: PlaceLookup, kept: string[]): string {
  const words = t.split(' ');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let taken = 0;
    if (/^[\u0621-\u064a]/.test(words[i] ?? '')) {
      for (let n = Math.min(places.maxAliasWords(), words.length - i); n >= 1; n--) {
        const phrase = words.slice(i, i + n);
        if (!phrase.every((w) => /^[\u0621-\u064a\d]+$/.test(w))) continue;
        if (!places.isPlaceAlias(phrase.join(' '))) continue;
        kept.push(phrase.join(' '));
        out.push(`\u0001${kept.length - 1}\u0001`);
        taken = n;
        break;
      }
    }
    if (taken) i += taken - 1;
    else out.push(words[i]!);
  }
  return out.join(' ');
}

/** Arabic and Arabizi facts in English words; other text is returned as it was. */
export function glossArabic(text: string, places: PlaceLookup = NO_PLACES): string {
  const isPlaceWord = (w: string): boolean => places.isPlaceWord(w);
  const hasArabic = /[\u0600-\u06ff]/.test(text);
  let t = text;
  if (hasArabic) {
    t = foldArabic(t)
      // "3غرف", "بـ8": digits and letters written together
      .replace(/(\d)(?=[\u0621-\u064a])/g, '$1 ').replace(/([\u0621-\u064a])(?=\d)/g, '$1 ')
      .replace(ARABIC_RUN_RE, (run) => splitClitics(run, isPlaceWord))
      .replace(ARABIC_RUN_RE, (run) => (run in ARABIC_NUMBER_WORDS ? String(ARABIC_NUMBER_WORDS[run]) : run));
    const kept: string[] = [];
    t = protectPlaces(t.replace(/([;:!?()]|(?<!\d)[,.]|[,.](?!\d))/g, ' $1 ').replace(/ {2,}/g, ' '), places, kept);
    for (const [rule, to] of PHRASES) t = t.replace(rule, to).replace(/ {2,}/g, ' ');
    t = t.replace(ARABIC_RUN_RE, (run) => {
      // "الغرف", "المدينه": the article on a word the lexicon has bare
      const g = WORDS[run] ?? (run.startsWith('ال') ? WORDS[run.slice(2)] : undefined);
      return g !== undefined ? ` ${g} ` : run;
    });
    t = t.replace(/month#(\d{1,2})/g, (_m, n: string) => MONTH_NAMES[Number(n) - 1] ?? _m)
      .replace(/\u0001(\d+)\u0001/g, (_m, n: string) => kept[Number(n)] ?? '');
  }
  if (/[a-z][23578][a-z]|\b(?:sha|fil|fel|gho|ghu|mil|mal|mel|ala|alf|dar|kas|tam|ija|eej|eja|ta2|shi|she|ash|nes|est|ist|khi|5i|5e|sha|sana|al7|el7|3ay|abg|abi|bid|mis|mes|mub|fi|mar|el|al)/i.test(t)) {
    for (const [re, to] of ARABIZI_PHRASES) t = t.replace(re, to);
    t = t.replace(/[a-z0-9]+/gi, (w) => {
      const g = ARABIZI[w.toLowerCase()];
      if (g !== undefined) return g;
      const n = ARABIZI_NUMBER_WORDS[w.toLowerCase()];
      return n !== undefined ? String(n) : w;
    });
  }
  return hasArabic ? t.replace(/[ \t]{2,}/g, ' ').replace(/ ([,.?!;:])/g, '$1').trim() : t;
}

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
