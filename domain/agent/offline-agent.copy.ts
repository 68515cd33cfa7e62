
// The offline agent's English copy: questions, acknowledgements and hand-off lines, several
// of each so replies vary (picked stably per lead and turn).

export type Ask = 'persona' | 'area' | 'propertyType' | 'beds' | 'budget' | 'timeline' | 'finance';

export const TIMELINE_ACK: Readonly<Record<string, readonly string[]>> = {
  '0-3m': ['Moving soon, noted.', 'Great, so fairly soon.', 'Noted, in the next couple of months.'],
  '3-6m': ['Noted, in the next few months.', 'Great, that gives us a bit of time to find the right one.'],
  '6-12m': ['Noted, sometime in the next year.', 'Good to know, so no rush.'],
  '12m+': ['Noted, a longer-term plan.', 'Good to know, so plenty of time to look around.'],
};
export const FINANCE_ACK: Readonly<Record<string, readonly string[]>> = {
  cash: ['Cash, perfect.', 'A cash purchase, great, that keeps things simple.'],
  preapproved: ['Great that you are pre-approved, that helps a lot.', 'Pre-approved, perfect.'],
  mortgage: ['No problem, we work with mortgage advisers who can help with that.', 'Noted, a mortgage. Happy to put you in touch with an adviser too.'],
};

export const QUESTIONS: Readonly<Record<Ask, readonly string[]>> = {
  persona: [
    'Are you looking to buy, rent, or invest?',
    'Is this to buy, to rent, or an investment?',
    'Just so I point you the right way: are you buying, renting or investing?',
  ],
  area: [
    'Which area do you have in mind?',
    'Any particular area or community you like?',
    'Where would you ideally like to be? Happy to suggest areas too.',
  ],
  propertyType: [
    'What type of property works for you (apartment, villa, townhouse) and how many bedrooms?',
    'Are you thinking apartment, villa or townhouse, and with how many bedrooms?',
  ],
  beds: [
    'How many bedrooms do you need?',
    'How many bedrooms would suit you?',
  ],
  budget: [
    'What budget do you have in mind?',
    'Roughly what budget are you working with?',
    'What price range should I look in?',
  ],
  timeline: [
    'When are you hoping to move?',
    'What timeline are you working to?',
    'When would you ideally like to move?',
  ],
  finance: [
    'Will you be paying cash or using a mortgage?',
    'How are you planning to fund it: cash or a mortgage?',
  ],
};

export const HANDOFF_OFFERS: readonly string[] = [
  "I'd love to have one of our property consultants call you to set up viewings. Does that work for you?",
  'Shall I have one of our property consultants give you a call to arrange viewings?',
  'Would you like one of our specialists to call you and line up viewings?',
];
export const HANDOFF_NOTES: readonly string[] = [
  "I'm also asking one of our property consultants to reach out to you about viewings.",
  "I'll have one of our specialists get in touch too, so you can see these in person.",
];
export const HANDOFF_CONFIRMED: readonly string[] = [
  'Perfect! One of our property consultants will call you shortly. Is there a time that suits you best?',
  "Great, I've passed your details to a property consultant, who will call you soon. When is a good time to reach you?",
  "Wonderful. A colleague will be in touch shortly to arrange viewings. Any time of day that works best for a call?",
];
export const AFTER_HANDOFF: readonly string[] = [
  'Our consultant will be in touch very soon. Anything else I can help with meanwhile?',
  "You're in good hands, and our consultant will call you shortly.",
  'If anything else comes to mind, just message me here.',
];
export const CALL_TIME_ACK: readonly string[] = [
  "Noted, I'll let them know. Speak soon!",
  "Perfect, I'll pass that on so they call at a good time.",
];

/** Copy for the two languages the offline agent wrote before the localised copy (reply-copy.ts) existed. */
export const NOT_INTERESTED_AR = 'لا مشكلة أبداً، شكراً لوقتك. إذا احتجت أي شيء لاحقاً نحن هنا.';
export const notInterestedEn = (name: string | null): readonly string[] => [
  `No problem at all${name ? `, ${name}` : ''}. Thanks for letting me know, and if anything changes I'm just a message away.`,
  `Totally understood${name ? `, ${name}` : ''}. I'll leave it there; feel free to reach out any time.`,
];
export const HUMAN_AR = 'بالتأكيد، سأوصلك بأحد مستشارينا الآن وسيتواصل معك قريباً.';
export const humanEn = (name: string | null): readonly string[] => [
  `Of course${name ? `, ${name}` : ''}! I'm connecting you with one of our property consultants now; they'll be in touch shortly.`,
  `Sure thing. I've asked a colleague to pick this up personally; expect a message or call from them very soon.`,
];
