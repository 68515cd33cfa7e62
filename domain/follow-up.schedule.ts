import type { LeadProfile } from './profile.schema';
import { deferOutOfQuietHours, isQuietAt, type QuietHours } from './quiet-hours';

// When a lead stops answering, the workflow nudges on a decaying cadence measured from our
// last answer (the anchor): by default +10 min, +1 day, +3 days, +7 days, then monthly nurture
// up to 90 days. Every reply from the lead resets it; nudges never land in quiet hours.

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface FollowUpConfig {
  /** Offsets from the anchor, strictly increasing. */
  cadenceMs: number[];
  nurtureEveryMs: number;
  /** No nudge is due later than this after the anchor. */
  nurtureUntilMs: number;
  /**
   * Most a nudge is moved later, per lead and step, so the nudges of a campaign's leads (all
   * answered in the same minutes) do not all fall due together (#13); capped at a quarter of the
   * nudge's gap. Absent (leads started before it existed) or 0: no spread.
   */
  jitterMs?: number;
}

export const DEFAULT_FOLLOW_UP: FollowUpConfig = {
  cadenceMs: [10 * MINUTE, DAY, 3 * DAY, 7 * DAY],
  nurtureEveryMs: 30 * DAY,
  nurtureUntilMs: 90 * DAY,
};

export interface FollowUpState {
  /** Index of the next nudge in `followUpOffsets`. */
  step: number;
  /** Our last answer after the lead's last message; null while the lead has the last word. */
  anchorAt: string | null;
  lastSentAt: string | null;
  /** When the next nudge goes out (already moved out of quiet hours); null: none planned. */
  dueAt: string | null;
  /** The undeferred time when `dueAt` was moved out of quiet hours. */
  deferredFrom: string | null;
  /** Set when a nudge came due inside quiet hours (a late timer): not before this instant. */
  notBefore: string | null;
  /** Nudges sent over the lead's life (idempotency keys). */
  sent: number;
}

export function emptyFollowUp(): FollowUpState {
  return { step: 0, anchorAt: null, lastSentAt: null, dueAt: null, deferredFrom: null, notBefore: null, sent: 0 };
}

/** Every nudge's offset from the anchor: the cadence, then nurture multiples up to the limit. */
export function followUpOffsets(config: FollowUpConfig): number[] {
  const offsets = [...config.cadenceMs];
  const last = offsets[offsets.length - 1] ?? 0;
  if (config.nurtureEveryMs > 0) {
    for (let t = config.nurtureEveryMs; t <= config.nurtureUntilMs; t += config.nurtureEveryMs) if (t > last) offsets.push(t);
  }
  return offsets.filter((t) => t <= Math.max(config.nurtureUntilMs, last));
}

/** The lead replied: the cadence starts over once we have answered. */
export function resetFollowUp(f: FollowUpState): void {
  f.step = 0;
  f.anchorAt = null;
  f.lastSentAt = null;
  f.dueAt = null;
  f.deferredFrom = null;
  f.notBefore = null;
}

/** We answered the lead: the silence (and the cadence) is measured from now. */
export function anchorFollowUp(f: FollowUpState, atIso: string): void {
  resetFollowUp(f);
  f.anchorAt = atIso;
}

/** A lead's own delay for one nudge, in [0, maxMs]: stable for the same seed, spread across seeds. */
export function nudgeJitterMs(seed: string, maxMs: number): number {
  if (maxMs <= 0) return 0;
  return stableHash(seed) % (Math.floor(maxMs) + 1);
}

/**
 * When the next nudge is due, or null when none is left. A nudge is never due sooner than half
 * its planned gap after the previous one: a nudge held back by quiet hours must not pull the
 * next one right behind it. With `config.jitterMs` and a `seed` (the lead id) each nudge moves
 * later by the lead's own jitter, also past the end of quiet hours (where every deferred nudge
 * would otherwise land at the same minute), and never into quiet hours.
 */
export function nextFollowUp(args: {
  followUp: FollowUpState;
  config: FollowUpConfig;
  quiet: QuietHours;
  timeZone: string;
  seed?: string;
}): { dueAt: number; deferredFrom: number | null } | null {
  const { followUp: f, config } = args;
  if (!f.anchorAt) return null;
  const offsets = followUpOffsets(config);
  const offset = offsets[f.step];
  if (offset === undefined) return null;
  const gap = offset - (offsets[f.step - 1] ?? 0);
  const jitter = args.seed && config.jitterMs ? nudgeJitterMs(`${args.seed}:${f.step}`, Math.min(config.jitterMs, Math.floor(gap / 4))) : 0;
  let raw = Date.parse(f.anchorAt) + offset + jitter;
  if (f.lastSentAt) raw = Math.max(raw, Date.parse(f.lastSentAt) + Math.floor(gap / 2));
  if (f.notBefore) raw = Math.max(raw, Date.parse(f.notBefore));
  let dueAt = deferOutOfQuietHours(raw, args.timeZone, args.quiet);
  if (dueAt !== raw && jitter > 0 && !isQuietAt(dueAt + jitter, args.timeZone, args.quiet)) dueAt += jitter;
  return { dueAt, deferredFrom: dueAt !== raw ? raw : null };
}

/** A nudge went out: move to the next step. */
export function markNudgeSent(f: FollowUpState, atIso: string): void {
  f.step += 1;
  f.sent += 1;
  f.lastSentAt = atIso;
  f.dueAt = null;
  f.deferredFrom = null;
  f.notBefore = null;
}

// ---- Nudge texts: friendly, varied, and about what the lead actually asked for. ----

/** FNV-1a: a stable small hash so the same lead and step always get the same wording. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function pick<T>(options: readonly T[], seed: string): T {
  return options[stableHash(seed) % options.length]!;
}

const TYPE_WORD: Record<string, string> = {
  apartment: 'apartment',
  villa: 'villa',
  townhouse: 'townhouse',
  penthouse: 'penthouse',
  duplex: 'duplex',
  office: 'office',
  retail: 'retail unit',
  land: 'plot',
};

/** "2-bed apartment in Dubai Marina", "villa in Dubai", or null when nothing is known. */
export function describeWish(profile: LeadProfile): string | null {
  const beds = profile.bedsMin !== null ? (profile.bedsMin === 0 ? 'studio' : `${profile.bedsMin}-bed`) : null;
  const type = profile.propertyType ? TYPE_WORD[profile.propertyType] ?? profile.propertyType : null;
  const where = profile.areas.length > 0 ? profile.areas.slice(0, 2).join(' or ') : profile.city;
  let what: string | null;
  if (beds === 'studio') what = 'studio';
  else if (beds && type) what = `${beds} ${type}`;
  else if (type) what = type;
  else if (beds) what = `${beds} place`;
  else what = null;
  if (!what && !where) return null;
  if (!what) return `place in ${where}`;
  return where ? `${what} in ${where}` : what;
}

function article(phrase: string): string {
  return /^[aeiou]/i.test(phrase) && !/^(?:uni|one)/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

const ARABIC = /[\u0600-\u06FF]/;

/**
 * The nudge for `step` (0-based). Early nudges are light check-ins, later ones offer something
 * concrete, nurture ones are low-pressure. Arabic when the lead wrote in Arabic.
 */
export function nudgeText(args: { profile: LeadProfile; step: number; cadenceSteps: number; seed: string; lastLeadText?: string | null }): string {
  const { profile, step } = args;
  const seed = `${args.seed}:${step}`;
  if (args.lastLeadText && ARABIC.test(args.lastLeadText)) {
    return pick(
      [
        'مرحباً 👋 هل ما زلت تبحث عن عقار؟ يسعدني مساعدتك في أي وقت.',
        'أهلاً! وصلتنا وحدات جديدة قد تناسبك. هل تود أن أرسل لك بعض الخيارات؟',
        'نتمنى أن تكون بخير. إذا كنت لا تزال مهتماً، أخبرني وسأرتب لك المعاينات.',
      ],
      seed,
    );
  }
  const wish = describeWish(profile);
  const forWish = wish ? ` for ${article(wish)}` : '';
  const budget = profile.budgetMax !== null && profile.currency ? ` within your budget` : '';
  if (step === 0) {
    return pick(
      [
        `Just checking in: are you still looking${forWish}? Happy to help whenever suits you.`,
        `Hi again! Did you get a chance to think it over? I'm here if you have any questions${wish ? ` about ${article(wish)}` : ''}.`,
        `No rush at all. Whenever you're ready, I can share a few options${forWish}.`,
      ],
      seed,
    );
  }
  if (step < args.cadenceSteps) {
    return pick(
      [
        `Hi! A few new listings came in${budget}${wish ? ` that could suit ${article(wish)}` : ''}. Shall I send them over?`,
        `Quick one: would a short call or a viewing help you decide${wish ? ` on ${article(wish)}` : ''}? I can set it up around your schedule.`,
        `Still keen${forWish}? The market moves quickly, so I'm happy to flag good options as soon as they appear.`,
      ],
      seed,
    );
  }
  return pick(
    [
      `Hope all is well! If you're still thinking about ${wish ? article(wish) : 'a move'}, I'd be glad to share what's new this month.`,
      `Hello from the team 👋 Just a monthly note: new options${wish ? ` like ${article(wish)}` : ''} keep coming in. Reply any time and I'll pick up where we left off.`,
      `Hi! Whenever the timing is right for you, I'm here to help you find the right place. Just reply to this message.`,
    ],
    seed,
  );
}
