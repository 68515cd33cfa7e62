import { areaNameIn } from './geo.matcher';
import type { LeadProfile, PropertyType, Unit } from './profile.schema';
import { localMoney, type ReplyCopy } from './reply-copy.types';

// Arabic replies: warm, short, Gulf-friendly Modern Standard Arabic, as a good agent writes on
// WhatsApp. Every line opens with Arabic so the message lays out right-to-left; Latin names
// appear only where an area has no Arabic alias.

const TYPE: Readonly<Record<PropertyType, string>> = {
  apartment: 'شقة', villa: 'فيلا', townhouse: 'تاون هاوس', penthouse: 'بنتهاوس', duplex: 'دوبلكس', office: 'مكتب', retail: 'محل تجاري', land: 'أرض',
};
const WORDS = { million: 'مليون', thousand: 'ألف', lakh: 'لاك', crore: 'كرور', currency: { AED: 'درهم', USD: 'دولار', GBP: 'جنيه إسترليني', EUR: 'يورو', INR: 'روبية' } };
const money = (amount: number, currency: string): string => localMoney(amount, currency, WORDS);

function area(name: string): string {
  return areaNameIn(name, 'Arabic') ?? name;
}

function areas(names: readonly string[]): string {
  return names.map(area).join(' أو ');
}

/** Arabic counts agree with the noun: غرفة نوم واحدة، غرفتا نوم، ٣-١٠ غرف نوم، ١١+ غرفة نوم. */
function bedrooms(n: number): string {
  if (n === 1) return 'غرفة نوم واحدة';
  if (n === 2) return 'غرفتي نوم';
  if (n <= 10) return `${n} غرف نوم`;
  return `${n} غرفة نوم`;
}

function bedsPhrase(p: LeadProfile): string {
  if (p.bedsMin === 0 && p.bedsMax === 0) return '';
  if (p.bedsMin !== null && p.bedsMax !== null && p.bedsMin !== p.bedsMax) return `من ${p.bedsMin === 0 ? 'استوديو' : p.bedsMin} إلى ${bedrooms(p.bedsMax)}`;
  if (p.bedsMin !== null && p.bedsMax === null) return `${bedrooms(p.bedsMin)} أو أكثر`;
  return p.bedsMin !== null ? bedrooms(p.bedsMin) : '';
}

function summary(p: LeadProfile): string {
  const studio = p.bedsMin === 0 && p.bedsMax === 0;
  const type = studio ? 'استوديو' : p.propertyType ? TYPE[p.propertyType] : '';
  const beds = bedsPhrase(p);
  const what = type && beds ? `${type} من ${beds}` : type || (beds ? `عقار من ${beds}` : '');
  const purpose = p.persona === 'tenant' ? 'للإيجار' : p.persona === 'buyer' ? 'للشراء' : p.persona === 'investor' ? 'للاستثمار' : '';
  const where = p.areas.length ? `في ${areas(p.areas)}` : p.city ? `في ${area(p.city)}` : '';
  const head = [what || (purpose ? 'عقار' : where ? 'عقار' : ''), purpose, where].filter(Boolean).join(' ');
  const bits = head ? [head] : [];
  if (p.currency && (p.budgetMax !== null || p.budgetMin !== null)) {
    const per = p.budgetPeriod === 'year' ? ' سنوياً' : p.budgetPeriod === 'month' ? ' شهرياً' : '';
    if (p.budgetMin !== null && p.budgetMax !== null) bits.push(`بميزانية من ${money(p.budgetMin, p.currency)} إلى ${money(p.budgetMax, p.currency)}${per}`);
    else if (p.budgetMax !== null) bits.push(`بميزانية حتى ${money(p.budgetMax, p.currency)}${per}`);
    else bits.push(`بميزانية من ${money(p.budgetMin!, p.currency)}${per} فأكثر`);
  }
  return bits.join('، ');
}

function unitLine(u: Unit, i: number): string {
  const what = u.beds === 0 ? 'استوديو' : `${TYPE[u.propertyType]} من ${bedrooms(u.beds)}`;
  const period = u.listing === 'rent' ? (u.rentPeriod === 'month' ? ' شهرياً' : ' سنوياً') : '';
  const facts = [`${money(u.price, u.currency)}${period}`, u.areaM2 ? `${Math.round(u.areaM2)} م²` : null, u.completion === 'off-plan' ? 'على الخارطة' : null]
    .filter((x): x is string => Boolean(x));
  return `${i + 1}. *${what} في ${area(u.area)}*: ${facts.join(' · ')}`;
}

const lower = (q: string): string => q;

export const AR_COPY: ReplyCopy = {
  language: 'ar',
  hi: (name) => (name ? [`أهلاً ${name}!`, `مرحباً ${name}!`, `أهلاً ${name}، شكراً لتواصلك معنا!`] : ['أهلاً وسهلاً!', 'مرحباً!', 'أهلاً، شكراً لتواصلك معنا!']),
  ackLead: (name) => (name ? [`شكراً ${name}!`, `أهلاً ${name}!`] : ['شكراً لتواصلك معنا!', 'أهلاً وسهلاً!']),
  questions: {
    persona: ['هل تبحث عن شراء أو إيجار أو استثمار؟', 'حتى أوجّهك صح: هل ترغب بالشراء أم الإيجار أم الاستثمار؟'],
    area: ['أي منطقة تفضّل؟', 'هل في بالك منطقة أو مجتمع معيّن؟', 'وين تحب تكون؟ ويسعدني أقترح عليك مناطق أيضاً.'],
    propertyType: ['ما نوع العقار الذي يناسبك (شقة، فيلا، تاون هاوس) وكم غرفة نوم؟', 'هل تفكّر في شقة أم فيلا أم تاون هاوس، وكم غرفة نوم؟'],
    beds: ['كم غرفة نوم تحتاج؟', 'كم عدد غرف النوم المناسب لك؟'],
    budget: ['ما هي الميزانية التي في بالك؟', 'تقريباً كم ميزانيتك؟', 'في حدود أي سعر تحب أبحث لك؟'],
    timeline: ['متى تخطط للانتقال؟', 'متى تحب تنتقل تقريباً؟', 'متى تخطط تنتقل أو تشتري؟'],
    finance: ['هل سيكون الدفع كاش أم عن طريق تمويل عقاري؟', 'كيف تخطط للدفع: كاش أم تمويل بنكي؟'],
  },
  optOut: 'تم إلغاء اشتراكك، ولن نرسل لك رسائل أخرى. شكراً لك.',
  notInterested: (name) => [`لا مشكلة أبداً${name ? ` يا ${name}` : ''}، شكراً لوقتك. وإذا احتجت أي شيء لاحقاً نحن هنا.`, `تمام${name ? ` يا ${name}` : ''}، أتفهّم ذلك تماماً. تواصل معنا في أي وقت.`],
  human: (name) => [`بالتأكيد${name ? ` يا ${name}` : ''}! سأوصلك الآن بأحد مستشارينا العقاريين وسيتواصل معك قريباً.`, 'أكيد، طلبت من أحد زملائي متابعة طلبك شخصياً، وسيتواصل معك قريباً جداً.'],
  handoffOffers: ['يسعدني أن يتصل بك أحد مستشارينا العقاريين لترتيب المعاينات. هل يناسبك ذلك؟', 'هل تحب أن يتصل بك أحد مستشارينا لترتيب مواعيد المعاينة؟'],
  handoffNotes: ['وسأطلب من أحد مستشارينا العقاريين التواصل معك بخصوص المعاينات.', 'وسيتواصل معك أحد مختصينا أيضاً لترى هذه الخيارات على الطبيعة.'],
  handoffConfirmed: ['ممتاز! سيتصل بك أحد مستشارينا العقاريين قريباً. ما هو الوقت الأنسب للاتصال بك؟', 'رائع، أرسلت بياناتك لأحد المستشارين وسيتصل بك قريباً. متى يناسبك الاتصال؟'],
  afterHandoff: ['مستشارنا سيتواصل معك قريباً جداً. هل هناك شيء آخر أقدر أساعدك فيه؟', 'أنت في أيدٍ أمينة، ومستشارنا سيتصل بك قريباً.', 'إذا خطر في بالك أي شيء، راسلني هنا.'],
  callTimeAck: ['تمام، سأبلغهم بذلك. نتحدث قريباً!', 'ممتاز، سأنقل ذلك حتى يتصلوا في الوقت المناسب.'],
  meanwhile: (q) => `وفي الأثناء، سؤال سريع: ${lower(q)}`,
  declined: ['لا مشكلة أبداً، نكمل هنا.', 'أكيد، بدون أي ضغط. لنكمل هنا.'],
  keepLooking: ' سأبقى أتابع لك وأرسل أي جديد يناسبك.',
  thanksReply: ['العفو!', 'بكل سرور!', 'في الخدمة دائماً!'],
  genericAck: ['شكراً!', 'تمام، شكراً لك.', 'وصلت، شكراً.', 'ممتاز، شكراً.'],
  personaAck: { tenant: ['تمام، إيجار إذاً.', 'إيجار، وصلت.'], investor: ['استثمار، ممتاز.', 'استثمار، رائع.'], buyer: ['رائع، شراء إذاً.', 'شراء، ممتاز.'] },
  timelineAck: {
    '0-3m': ['تمام، قريباً إذاً.', 'وصلت، خلال الشهرين أو الثلاثة القادمة.'],
    '3-6m': ['تمام، خلال الأشهر القليلة القادمة.', 'ممتاز، هذا يعطينا وقتاً لنجد الأنسب.'],
    '6-12m': ['تمام، خلال السنة القادمة.', 'جيد، يعني بدون استعجال.'],
    '12m+': ['تمام، خطة على المدى الأطول.', 'جيد، يعني عندك وقت كافٍ للبحث.'],
  },
  financeAck: {
    cash: ['كاش، ممتاز.', 'شراء كاش، رائع، هذا يسهّل الأمور.'],
    preapproved: ['رائع أن لديك موافقة مبدئية، هذا يساعد كثيراً.', 'موافقة مبدئية، ممتاز.'],
    mortgage: ['لا مشكلة، نتعامل مع مستشاري تمويل يقدرون يساعدونك.', 'تمام، تمويل عقاري. ويسعدني أوصلك بمستشار تمويل أيضاً.'],
  },
  summary,
  summaryLines: (known, first) => (first ? [`فهمت أنك تبحث عن ${known}.`, `تمام، تبحث عن ${known}.`] : [`ممتاز، يعني ${known}.`, `تمام: ${known}.`, `وصلت: ${known}.`]),
  pinAck: (names) => `شكراً على الموقع، هذا في ${areas(names)}.`,
  matchesIntro: (close) => (close ? ['إليك بعض الخيارات المناسبة:', 'هذه بعض الخيارات التي قد تعجبك:', 'خيارات جيدة متوفرة الآن:'] : ['لا يوجد تطابق تام حالياً، لكن هذه أقرب الخيارات:', 'هذه أقرب الخيارات المتوفرة لدي الآن:']),
  noMatch: ['لا يوجد شيء متاح هناك في هذه اللحظة، لكن تصلنا وحدات جديدة باستمرار وسأبقى أتابع لك.', 'ما عندي تطابق تام هناك اليوم، لكن فريقنا يسمع عن وحدات قبل عرضها.'],
  unitLine,
  greatFit: ['يبدو أن هذا مناسب جداً لك.', 'أعطيتني كل ما أحتاجه.', 'أقدر أساعدك في هذا بالتأكيد.'],
  moreOptions: ['هل تحب أن يتصل بك أحد وكلائنا بخيارات أكثر؟', 'هل أطلب من زميل أن يرسل لك خيارات أكثر ويرتّب لك معاينات؟'],
  special: (kind, next, handedOff) => {
    switch (kind) {
      case 'voice': return ['عذراً، لا أستطيع تشغيل الرسائل الصوتية هنا. ممكن تكتبها لي؟', 'للأسف الرسائل الصوتية لا تصلني. هل تمانع إرسالها كتابةً؟'];
      case 'photo': return [`شكراً على الصورة! لا أستطيع فتح المرفقات هنا، ${next ?? 'ممكن تخبرني باختصار عمّا تبحث عنه؟'}`];
      case 'document': return [`شكراً على الإرسال! لا أستطيع فتح المرفقات هنا، ${next ?? 'ممكن تخبرني باختصار عمّا تبحث عنه؟'}`];
      case 'location': return ['شكراً على الموقع! ما اسم المنطقة أو المجتمع حتى أبحث حوله؟', 'شكراً على الموقع! ما اسم هذه المنطقة؟ سأبحث عن خيارات قريبة.'];
      case 'contact': return [`شكراً على مشاركة جهة الاتصال، سأرسلها للفريق.${next ? ` ${next}` : ''}`];
      default: return [`👍${next ? ` ${next}` : handedOff ? ' مستشارنا سيتواصل معك قريباً.' : ' هل تحب أن أرسل لك خيارات أكثر؟'}`, `ممتاز!${next ? ` ${next}` : handedOff ? ' مستشارنا سيتواصل معك قريباً.' : ' هل تحب أن أرسل لك خيارات أكثر؟'}`];
    }
  },
};
