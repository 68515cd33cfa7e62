import { toPivotText } from './lead-text.normalizer';

// Lead Ads field_data and WhatsApp Flow answers arrive as key/value pairs whose keys are
// whatever the form builder typed: "budget", "purchase_timeline", "الميزانية", "बजट", "¿Cuándo?".
// Each answer is mapped to the one profile field its key asks about, or kept as a note: ratings,
// scores, tracking, consent, addresses and codes ("purchase_rating: 2", "zip: 94301") never feed
// the profile, so a number in them cannot become a budget nor a word a persona. An answer to a
// question we do not recognise is read as the lead's own words when it has words, else a note.

export type FormField = 'persona' | 'city' | 'area' | 'propertyType' | 'beds' | 'budget' | 'timeline' | 'finance';
export type FormKeyKind = FormField | 'contact' | 'freeText' | 'note' | 'unknown';

const KEY_RULES: ReadonlyArray<[FormKeyKind, RegExp]> = [
  // scores and ratings first: "purchase_rating", "lead_score", "how likely are you to buy (1-5)"
  ['note', /rating|score|scale|how likely|likelihood|stars?\b|nps|satisfaction|campaign|utm|ad ?set|ad ?name|form ?id|ad ?id|lead source|\bsource\b(?! of)|\breferr|zip|post ?code|postal|pin ?code|address|street|building|unit (?:no|number)|\bref\b|reference|agent ?id|lead ?id|created|timestamp|platform|disclaimer|consent|agree|terms|privacy|opt ?in|gdpr|marketing/],
  ['contact', /\bname\b|first name|last name|full name|surname|phone|mobile|e-?mail|correo|telefono|téléphone|\bnom\b|الاسم|اسم|هاتف|جوال|موبايل|بريد|ايميل|whatsapp|नाम|फ़ोन|फोन|मोबाइल|ईमेल/],
  ['freeText', /comment|message|notes?\b|anything else|additional|requirements?|tell us|describe|details|remarks|what are you looking for|your request|ملاحظات|تفاصيل|رساله|टिप्पणी|संदेश/],
  ['budget', /budget|price|(?:max(?:imum)?|monthly|annual|yearly|weekly) (?:monthly |annual |yearly )?rent|rent (?:budget|amount|pcm|pm|per)|rental budget|presupuesto|precio|prix|preis|orçamento|how much|afford|spend|السعر|बजट|कीमत/],
  ['beds', /bed|rooms?\b|bhk|configuration|unit size|habitaciones|dormitorios|chambres|pièces|zimmer|quartos|कमरे|बेडरूम/],
  ['timeline', /when|timeline|time ?frame|how soon|how quickly|urgency|move|moving|plan(?:ning)? to (?:buy|purchase|rent)|purchase (?:date|time)|cuando|cuándo|quand|wann|quando|कब|समय/],
  ['finance', /financ|mortgage|payment|cash|loan|funding|pago|financiación|financement|pre-?approv|approval in principle|\baip\b|लोन|भुगतान/],
  ['propertyType', /type|property|tipo|propiedad|\bbien\b|immobilie|प्रॉपर्टी|प्रकार/],
  ['area', /area|location|community|neighbo|district|zona|ubicación|barrio|quartier|lieu|gegend|where|locality|इलाका|क्षेत्र|जगह|स्थान|लोकेशन/],
  ['city', /city|ciudad|ville|stadt|cidade|emirate|शहर/],
  ['persona', /purpose|intent|looking to|looking for|interested in|buy or rent|rent or buy|objetivo|propósito|usage|\buse\b|end ?user|الغرض|الهدف|غرض|उद्देश्य|मकसद/],
];

/** What a form key asks about. */
export function classifyFormKey(key: string): FormKeyKind {
  const k = toPivotText(key.replace(/[_-]+/g, ' ')).toLowerCase().replace(/\s+/g, ' ').trim();
  for (const [kind, re] of KEY_RULES) if (re.test(k)) return kind;
  return 'unknown';
}

/** An answer to an unknown question: free text when it has words, a note when it is a bare figure or code. */
export function unknownAnswerKind(value: string): 'freeText' | 'note' {
  return /\p{L}{2}/u.test(value) ? 'freeText' : 'note';
}

/** A form option value as words: "0-3_months" → "0-3 months", "1_000_000" → "1,000,000", "5m_-_6.5m" → "5m - 6.5m". */
export function formValueText(value: string): string {
  return value
    .replace(/(\d)_(?=\d{3}(?!\d))/g, '$1,')
    .replace(/(\d(?:\.\d+)?[a-z]{0,2})_(?=\d)/gi, '$1-')
    .replace(/_+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const KEY_PERIOD_RE = /(?:^|[^a-z])(per month|monthly|a month|pcm|per year|yearly|annual|annually|per annum|a year)(?![a-z])/;
const KEY_CURRENCY_RE = /(?:^|[^a-z])(aed|usd|gbp|eur|inr|dirhams?|dollars?|pounds?|rupees?)(?![a-z])|([$£€₹])/;
const VALUE_CURRENCY_RE = /(?:^|[^a-z])(?:aed|dhs?|dirhams?|usd|dollars?|gbp|pounds?|quid|eur|euros?|inr|rupees?|rs\.?|crores?|lakhs?|lacs?)(?![a-z])|[$£€₹]/;
const VALUE_PERIOD_RE = /(?:^|[^a-z])(?:per|a|each|monthly|yearly|annual|annually|pcm|p\.?a|pm|\/)\s?(?:month|year|annum|mo|yr)?(?![a-z])/;

/** "budget_per_year (AED)": "120k" → "120k aed per year". The unit a budget key names applies to a bare value. */
export function budgetWithKeyUnits(value: string, key: string): string {
  const k = key.toLowerCase().replace(/[_()-]+/g, ' ');
  const v = value.toLowerCase();
  let out = value;
  const cur = KEY_CURRENCY_RE.exec(k);
  if (cur && !VALUE_CURRENCY_RE.test(v)) out = `${out} ${cur[1] ?? cur[2]}`;
  const per = KEY_PERIOD_RE.exec(k);
  if (per && !VALUE_PERIOD_RE.test(v)) out = `${out} ${per[1]}`;
  return out;
}

export interface MappedFormAnswers {
  /** Answers to a profile question, in form order. */
  fields: Array<{ field: FormField; key: string; value: string }>;
  /** Free-text boxes: the lead's own words, read like a message. */
  freeText: string[];
  /** Everything else (ratings, tracking, consent, contact details), kept for the broker, never parsed. */
  notes: Array<{ key: string; value: string }>;
}

export function mapFormAnswers(answers: Record<string, string> | undefined): MappedFormAnswers {
  const out: MappedFormAnswers = { fields: [], freeText: [], notes: [] };
  if (!answers || typeof answers !== 'object') return out;
  for (const [key, raw] of Object.entries(answers)) {
    if (typeof raw !== 'string' || !raw.trim()) continue;
    const value = raw.trim();
    const found = classifyFormKey(key);
    const kind = found === 'unknown' ? unknownAnswerKind(value) : found;
    if (kind === 'freeText') out.freeText.push(value);
    else if (kind === 'note' || kind === 'contact') out.notes.push({ key, value });
    else out.fields.push({ field: kind, key, value: formValueText(value) });
  }
  return out;
}
