// One opt-out detector for every path (AI-owned or broker-owned lead, every channel), so a
// person who says STOP is never messaged again because the wrong list was consulted.
// Carrier keywords follow Twilio's defaults (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT;
// START/UNSTOP to opt back in; HELP/INFO for help); phrases cover English, Arabic and Hindi
// (Devanagari and romanised).

export type OptOutKeyword = 'stop' | 'start' | 'help';

const POLITE = String.raw`(?:please|pls|plz|now|thanks|thank you|thx|من فضلك|لو سمحت|شكرا|شكراً|कृपया|please\s+now)`;

/** A whole message that is only a stop keyword (with a polite word around it). */
const STOP_WORD = new RegExp(
  String.raw`^\s*(?:${POLITE}\s*[,!.]?\s*)?(?:stop|stop\s*all|stopall|unsubscribe|opt[ -]?out|cancel|end|quit|remove me|stop messages|stop messaging me|stop texting me|` +
    String.raw`توقف|وقف|قف|إلغاء الاشتراك|الغاء الاشتراك|الغاء|إلغاء|ايقاف|إيقاف|` +
    String.raw`बंद करो|बंद|रुको|रोको|band karo|bandh karo|band kar do|ruko)\s*[,!.]?\s*(?:${POLITE})?\s*[.!]*\s*$`,
  'iu',
);

/** A stop request inside a longer message. */
const STOP_PHRASE = new RegExp(
  String.raw`(?:^|[^\p{L}])(?:unsubscribe|opt me out|opt[ -]out|stop (?:messaging|texting|contacting|sending|writing to|calling) me|` +
    String.raw`don'?t (?:message|text|contact|whatsapp|call) me(?: again| anymore)?|do not (?:message|text|contact) me|remove me from (?:your|the) list|no more messages|` +
    String.raw`أوقف الرسائل|اوقف الرسائل|لا ترسل|توقف عن|لا تراسلني|لا تتصل بي|` +
    String.raw`मैसेज मत (?:करो|भेजो|करें)|संदेश मत भेजो|मुझे मैसेज मत|message mat (?:karo|bhejo|karna)|msg mat (?:karo|bhejo)|mujhe message mat)(?![\p{L}])`,
  'iu',
);

const START_WORD = /^\s*(?:start|unstop|subscribe|ابدأ|ابدا|शुरू)\s*[.!]*\s*$/iu;
const HELP_WORD = /^\s*(?:help|info|مساعدة|मदद)\s*[?.!]*\s*$/iu;

/** The opt-out keyword a message carries, if any. STOP wins over everything. */
export function detectOptOut(text: string): OptOutKeyword | null {
  const t = text.normalize('NFKC');
  if (STOP_WORD.test(t) || STOP_PHRASE.test(t)) return 'stop';
  if (START_WORD.test(t)) return 'start';
  if (HELP_WORD.test(t)) return 'help';
  return null;
}

/** True when the message asks to stop all messages. */
export function isOptOut(text: string): boolean {
  return detectOptOut(text) === 'stop';
}
