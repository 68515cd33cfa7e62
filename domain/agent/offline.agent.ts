import {
  MAX_TOOL_CALLS,
  type Agent,
  type AgentIntent,
  type AgentTools,
  type AgentTurnInput,
  type AgentTurnResult,
  type ToolCallRecord,
  type UnitMatch,
} from '../agent.types';
import { normalizeBudget } from '../budget.parser';
import { contactValidity } from '../contact.validator';
import { geoMatch } from '../geo.matcher';
import { conversationLanguage } from '../language.detector';
import { scoreLead } from '../lead.scorer';
import { pinnedArea, readableLeadText } from '../lead-message.reader';
import { extractProfileDetailed, questionFields, type Field } from '../profile.extractor';
import { type LeadProfile, type Market, type Qualification } from '../profile.schema';
import {
  LOCAL_ACCEPT_RE,
  LOCAL_DECLINE_RE,
  LOCAL_HANDOFF_CONFIRMED,
  LOCAL_HANDOFF_NOTES,
  LOCAL_HANDOFF_OFFERS,
  LOCAL_THANKS_RE,
  replyCopy,
} from '../reply-copy';
import { isOptOut } from '../opt-out.detector';
import { optOutConfirmation } from '../lead-opt-out.rules';
import { contactDetailsIn } from '../contact-details.extractor';
import { detectLeadActions } from '../lead-intent.detector';
import { CONTACT_ASKS, callbackAck, contactAsk, viewingAck } from '../reply-copy-actions';
import { askedFeatures, whyItFits } from '../unit-features.matcher';
import { listingOf, profileQuery } from './profile-query.builder';
import { englishNonTextReply, firstName, list, money, pick, sentenceCase, summary, unitLine, withWhy } from './offline-agent.phrasing';
import {
  AFTER_HANDOFF,
  type Ask,
  CALL_TIME_ACK,
  FINANCE_ACK,
  HANDOFF_CONFIRMED,
  HANDOFF_NOTES,
  HANDOFF_OFFERS,
  HUMAN_AR,
  humanEn,
  NOT_INTERESTED_AR,
  notInterestedEn,
  QUESTIONS,
  TIMELINE_ACK,
} from './offline-agent.copy';
import {
  ACCEPT_RE,
  ARABIC_HUMAN_RE,
  ARABIC_NOT_INTERESTED_RE,
  ARABIC_RE,
  DECLINE_RE,
  HUMAN_RE,
  nextAsk,
  nonText,
  NOT_INTERESTED_RE,
  OFFER_RE,
  POSITIVE_EMOJI_RE,
  THANKS_RE,
} from './offline-agent.rules';

// The default agent: deterministic, no network, no key. It reads the whole conversation with
// the same domain code the evals measure, searches stock through the tools it is given, scores
// the lead and writes the next message the way a good human agent would on WhatsApp.

/** The zone a market's leads live in when the lead's own is not known. */
const MARKET_TIME_ZONE: Readonly<Record<Market, string>> = { AE: 'Asia/Dubai', GB: 'Europe/London', US: 'America/New_York', IN: 'Asia/Kolkata' };

export function createOfflineAgent(): Agent {
  return {
    name: 'offline',
    async turn(input: AgentTurnInput, tools: AgentTools): Promise<AgentTurnResult> {
      const toolCalls: ToolCallRecord[] = [];
      const call = async <T>(name: string, fn: () => T | Promise<T>, fallback: T): Promise<T> => {
        if (toolCalls.length >= MAX_TOOL_CALLS) return fallback;
        const t0 = performance.now();
        try {
          const v = await fn();
          toolCalls.push({ name, ok: true, ms: Math.round((performance.now() - t0) * 100) / 100 });
          return v;
        } catch {
          toolCalls.push({ name, ok: false, ms: Math.round((performance.now() - t0) * 100) / 100 });
          return fallback;
        }
      };
      const market: Market = input.market;
      const messages = Array.isArray(input.messages) ? input.messages : [];
      const leadMsgs = messages.filter((m) => m.from === 'lead');
      const agentMsgs = messages.filter((m) => m.from !== 'lead');
      const last = leadMsgs[leadMsgs.length - 1]?.text ?? '';
      const arabic = ARABIC_RE.test(last);
      // replies follow the lead's language (domain/reply-copy.ts); English copy stays below
      const language = conversationLanguage(messages);
      const L = replyCopy(language);
      const name = firstName(input.contact?.name);
      const seed = `${input.leadId}:${messages.length}`;
      const contactOk = contactValidity(input.contact, market).valid;

      const details = extractProfileDetailed(messages, market, input.now, input.formAnswers);
      const profile: LeadProfile = { ...details.profile, contactValid: contactOk };
      // The home's features the lead asked for, in their words: recalled memories (which outlive a
      // continue-as-new and a long transcript) first, then the conversation.
      const recalled = (Array.isArray(input.memories) ? input.memories : []).filter((m) => m && m.kind === 'preference' && typeof m.text === 'string').map((m) => m.text);
      const asked = askedFeatures([...recalled, ...leadMsgs.map((m) => m.text)]);

      // A web chat lead has no number we know: before a person takes over, ask how to reach them
      // (once). Details typed in the chat count (contact-details.extractor.ts).
      const claimed = contactDetailsIn(messages, market);
      const reachable = contactOk || claimed.phone !== null || claimed.email !== null;
      const askedContact = agentMsgs.some((m) => CONTACT_ASKS.some((a) => m.text.includes(a)));
      const finish = (reply: string, intents: AgentIntent[], matches: UnitMatch[], qualification: Qualification, askedFor: string | null): AgentTurnResult => {
        const closing = intents.some((i) => i.kind === 'opt_out' || i.kind === 'not_interested');
        if (input.channel === 'web' && !reachable && !askedContact && !closing && (intents.some((i) => i.kind === 'handoff') || qualification.qualified)) {
          const held: AgentIntent[] = [...intents.filter((i) => i.kind !== 'handoff'), { kind: 'await_contact' }];
          return { reply: `${reply}\n\n${contactAsk(language)}`.trim(), profile, qualification, matches, intents: held, toolCalls, askedFor: 'contact', agent: 'offline', language };
        }
        return { reply, profile, qualification, matches, intents, toolCalls, askedFor, agent: 'offline', language };
      };

      // Opt-out is honoured before anything else, with a one-line confirmation.
      if (isOptOut(last)) {
        return finish(optOutConfirmation(last), [{ kind: 'opt_out' }], [], scoreLead(profile, [], null, market), null);
      }

      if (NOT_INTERESTED_RE.test(last) || ARABIC_NOT_INTERESTED_RE.test(last)) {
        const reply = L ? pick(L.notInterested(name), seed) : arabic ? NOT_INTERESTED_AR : pick(notInterestedEn(name), seed);
        return finish(reply, [{ kind: 'not_interested' }], [], scoreLead(profile, [], null, market), null);
      }

      // The tools: the two parsers on the newest message, the stock search, the score.
      const lastBudget = await call('normalize_budget', () => normalizeBudget(last, market), null);
      const lastGeo = await call('geo_match', () => geoMatch(last, market, profile.city), null);
      void lastBudget;
      void lastGeo;
      const listing = listingOf(profile, details.listing);
      let matches: UnitMatch[] = [];
      const canSearch = profile.city !== null || profile.areas.length > 0;
      if (canSearch) {
        const query = profileQuery(profile, listing, asked.text);
        matches = await call('inventory_search', () => tools.inventorySearch(query), []);
      }
      const qualification = await call('lead_score', () => scoreLead(profile, matches, input.contact, market), scoreLead(profile, [], null, market));

      // The answer to our contact question: the held handoff goes ahead (with or without the details).
      const lastAgentText = agentMsgs[agentMsgs.length - 1]?.text ?? '';
      if (input.channel === 'web' && CONTACT_ASKS.some((a) => lastAgentText.includes(a))) {
        const thanks = reachable ? pick(L?.handoffConfirmed ?? HANDOFF_CONFIRMED, seed) : pick(L?.afterHandoff ?? AFTER_HANDOFF, seed);
        return finish(sentenceCase(thanks), [{ kind: 'handoff', reason: qualification.qualified ? 'qualified' : 'asked_for_human', deferred: true }], matches, qualification, null);
      }

      // A viewing or a call at a time: the workflow makes the broker's task and the handoff; the reply confirms it.
      const action = detectLeadActions([{ providerId: 'last', channel: input.channel, kind: 'text', text: last, receivedAt: input.now }], {
        nowMs: Date.parse(input.now),
        timeZone: input.timeZone ?? MARKET_TIME_ZONE[market],
      }).find((a) => a.kind === 'viewing' || a.kind === 'callback');
      if (action?.kind === 'viewing' || action?.kind === 'callback') {
        const when = action.time ? `${action.time.after ? (language === 'en' ? 'after ' : '') : ''}${action.time.label.replace(/ \([^)]*\)$/, '')}` : null;
        const text = action.kind === 'viewing' ? viewingAck(language, when) : callbackAck(language, when!);
        return finish(text, [], matches, qualification, null);
      }

      const wantsHuman = HUMAN_RE.test(last) || ARABIC_HUMAN_RE.test(last);
      if (wantsHuman) {
        const reply = L ? pick(L.human(name), seed) : arabic ? HUMAN_AR : pick(humanEn(name), seed);
        return finish(reply, [{ kind: 'handoff', reason: 'asked_for_human' }], matches, qualification, null);
      }

      const askedCounts = new Map<Field, number>();
      for (const m of agentMsgs) for (const f of questionFields(m.text)) askedCounts.set(f, (askedCounts.get(f) ?? 0) + 1);
      const known = summary(profile);
      const nothingYet = !known && profile.persona === null && profile.timeline === null && profile.finance === null;
      const reply = (text: string, intents: AgentIntent[], askedFor: string | null): AgentTurnResult =>
        finish(sentenceCase(text), intents, matches, qualification, askedFor);
      const missingKey = nextAsk(profile, askedCounts, details.unsure);
      const question = (ask: Ask): string => pick((L?.questions ?? QUESTIONS)[ask], `${seed}:q:${ask}`);
      const lastAgent = agentMsgs[agentMsgs.length - 1]?.text ?? '';
      // only a reply that ends with our call offer is waiting for a yes; "I'll have a specialist call, when
      // are you moving?" is waiting for the timing
      const offerPending = [...HANDOFF_OFFERS, ...LOCAL_HANDOFF_OFFERS].some((o) => lastAgent.includes(o)) || (OFFER_RE.test(lastAgent) && questionFields(lastAgent).length === 0 && /\?\s*$/.test(lastAgent));
      const callTimeAsked = [...HANDOFF_CONFIRMED, ...LOCAL_HANDOFF_CONFIRMED].some((c) => lastAgent.includes(c));
      const handedOff = agentMsgs.some((m) => [...HANDOFF_CONFIRMED, ...LOCAL_HANDOFF_CONFIRMED, ...HANDOFF_NOTES, ...LOCAL_HANDOFF_NOTES].some((c) => m.text.includes(c)));
      const offeredBefore = agentMsgs.some((m) => OFFER_RE.test(m.text) || [...HANDOFF_OFFERS, ...LOCAL_HANDOFF_OFFERS].some((o) => m.text.includes(o)));
      const special = nonText(last);
      const hi = L ? pick(L.hi(name), `${seed}:hi`) : name ? pick([`Hi ${name}!`, `Hello ${name}!`, `Hi ${name}, thanks for getting in touch!`], `${seed}:hi`) : pick(['Hi there!', 'Hello!', 'Hi, thanks for getting in touch!'], `${seed}:hi`);

      // The lead accepts (or turns down) the call we offered: answer that, nothing else.
      const accepted = offerPending && (ACCEPT_RE.test(last) || LOCAL_ACCEPT_RE.test(last) || (special?.kind === 'reaction' && POSITIVE_EMOJI_RE.test(special.detail)));
      if (accepted) return reply(pick(L?.handoffConfirmed ?? HANDOFF_CONFIRMED, seed), [{ kind: 'handoff', reason: 'qualified' }], null);
      if (offerPending && (DECLINE_RE.test(last) || LOCAL_DECLINE_RE.test(last))) {
        const rest = missingKey ? ` ${question(missingKey)}` : L?.keepLooking ?? ' I will keep an eye out and send you anything new that fits.';
        return reply(`${pick(L?.declined ?? ['No problem at all, we can carry on here.', "Of course, no pressure. Let's keep going here."], seed)}${rest}`, [], missingKey);
      }

      // acknowledge only what the newest message changed, so the chat never reads like a form
      const lastLead = leadMsgs[leadMsgs.length - 1];
      const before = lastLead && (leadMsgs.length > 1 || agentMsgs.length > 0)
        ? extractProfileDetailed(messages.slice(0, messages.lastIndexOf(lastLead)), market, input.now, input.formAnswers).profile
        : null;
      const changed = before === null || summary(before) !== known;
      const newFacts = changed || (before !== null && (before.timeline !== profile.timeline || before.finance !== profile.finance));

      if (callTimeAsked && !special && !newFacts) {
        const meanwhile = missingKey ? ` ${L ? L.meanwhile(question(missingKey)) : `Meanwhile, one quick thing: ${question(missingKey).charAt(0).toLowerCase()}${question(missingKey).slice(1)}`}` : '';
        return reply(`${pick(L?.callTimeAck ?? CALL_TIME_ACK, seed)}${meanwhile}`, [], missingKey);
      }

      // Photos, voice notes, pins and reactions get a human answer, then the conversation moves on.
      // a pin inside a known area is the lead naming it (even one we had), otherwise we ask its name
      const pin = special?.kind === 'location' ? pinnedArea(last) : null;
      // a pin's address and name are not the lead's words (they carry no facts): a first message
      // that is only a pin far from every known area is still asked for the area by name
      const pinFacts = special?.kind === 'location' && (pin !== null || (newFacts && before !== null));
      if (special && (!readableLeadText(last).trim() || special.kind === 'reaction' || !newFacts) && !pinFacts) {
        const next = missingKey ? question(missingKey) : null;
        const greet = agentMsgs.length === 0 ? `${hi} ` : '';
        let text: string;
        let ask: Ask | null = missingKey;
        if (L) {
          const kind = special.kind === 'reaction' || special.kind === 'sticker' ? 'reaction' : special.kind;
          if (kind === 'voice') ask = null;
          if (kind === 'location') ask = 'area';
          text = /removed/.test(last) ? next ?? '' : `${greet}${pick(L.special(kind, next, handedOff), seed)}`;
          return reply(text, [], ask);
        }
        ({ text, ask } = englishNonTextReply(special, { last, greet, next, handedOff, seed, ask }));
        return reply(text, [], ask);
      }

      // First contact with nothing to go on: greet by name and ask the first question.
      if (agentMsgs.length === 0 && nothingYet) {
        const ask = missingKey ?? 'persona';
        return reply(`${hi} ${pick(['👋 ', '😊 ', ''], `${seed}:e`)}${question(ask)}`.replace(/[^\S\n]+/g, ' '), [], ask);
      }

      const parts: string[] = [];
      const ackLead = agentMsgs.length === 0 && L ? `${pick(L.ackLead(name), `${seed}:o`)} ` : agentMsgs.length === 0 ? `${name ? pick([`Thanks, ${name}!`, `Hi ${name}!`, `Hello ${name}!`], `${seed}:o`) : pick(['Thanks for getting in touch!', 'Hi there!'], `${seed}:o`)} ` : '';
      if (pin || (known && changed && special?.kind === 'location' && profile.areas.length > 0)) {
        const pinned = pin ? [pin.area] : profile.areas;
        parts.push(`${ackLead}${L ? L.pinAck(pinned) : `Thanks for the pin, that's ${list(pinned)}.`}`);
      } else if (known && changed && before && !before.persona && profile.persona && summary({ ...before, persona: profile.persona }) === known) {
        parts.push(L ? pick(L.personaAck[profile.persona], seed) : profile.persona === 'tenant' ? pick(['Great, renting it is.', 'Renting, got it.'], seed)
          : profile.persona === 'investor' ? pick(['An investment, great.', 'Investing, lovely.'], seed)
            : pick(['Great, buying it is.', 'Buying, lovely.'], seed));
      } else if (known && changed) {
        const lines = L ? L.summaryLines(L.summary(profile), agentMsgs.length === 0) : agentMsgs.length === 0
          ? [`So you're looking for ${known}.`, `You're after ${known}, noted.`, `I've noted ${known}.`]
          : [`Great, so that's ${known}.`, `Perfect, ${known}.`, `Got it: ${known}.`, `Lovely, I've noted ${known}.`];
        parts.push(`${ackLead}${pick(lines, `${seed}:s`)}`);
      } else if (before && profile.timeline !== before.timeline && profile.timeline) {
        parts.push(pick((L?.timelineAck ?? TIMELINE_ACK)[profile.timeline] ?? ['Noted.'], seed));
      } else if (before && profile.finance !== before.finance && profile.finance) {
        parts.push(pick((L?.financeAck ?? FINANCE_ACK)[profile.finance] ?? ['Noted.'], seed));
      } else if (agentMsgs.length === 0) {
        parts.push(`${hi}`);
      } else if (THANKS_RE.test(last) || LOCAL_THANKS_RE.test(last)) {
        parts.push(pick(L?.thanksReply ?? ['My pleasure!', "You're welcome!", 'Anytime!'], seed));
      } else {
        parts.push(pick(L?.genericAck ?? ['Thanks!', 'Noted, thank you.', 'Got it.', 'Thanks for that.'], seed));
      }

      const strongEnough = canSearch && (profile.propertyType !== null || profile.bedsMin !== null || profile.budgetMax !== null || profile.budgetMin !== null || asked.concepts.length > 0);
      const shownBefore = matches.length > 0 && agentMsgs.some((m) => (m.text.includes(matches[0]!.unit.area) && m.text.includes(money(matches[0]!.unit.price, matches[0]!.unit.currency))) || (L !== null && m.text.includes(L.unitLine(matches[0]!.unit, 0).slice(3))));
      if (strongEnough && matches.length > 0 && !shownBefore) {
        const good = matches.filter((m) => m.score >= 50).slice(0, 3);
        const close = (good[0]?.score ?? 0) >= 80;
        const intro = L ? pick(L.matchesIntro(close), `${seed}:m`) : close ? pick(['Here are a few that fit nicely:', 'Here are some options you might like:', 'Some good matches right now:'], `${seed}:m`)
          : pick(['Nothing spot on yet, but these are the closest I have:', 'These are the closest options I have right now:'], `${seed}:m`);
        const line = (m: UnitMatch, i: number) => withWhy(L ? L.unitLine(m.unit, i) : unitLine(m.unit, i), whyItFits(m.unit, asked.concepts), L === null);
        if (good.length > 0) parts.push(`${intro}\n${good.map(line).join('\n')}`);
      } else if (strongEnough && matches.length === 0 && profile.areas.length > 0 && changed) {
        parts.push(pick(L?.noMatch ?? ["Nothing listed there right this minute, but new stock comes in often and I'll keep an eye out.", "I don't have a perfect match there today, but our team often hears of units before they're listed."], `${seed}:m`));
      }

      const intents: AgentIntent[] = [];
      let askedFor: string | null = null;
      if (qualification.qualified && (offeredBefore || handedOff)) {
        // the offer stands; keep filling gaps rather than repeating it
        if (missingKey) {
          askedFor = missingKey;
          parts.push(question(missingKey));
        } else parts.push(pick(L?.afterHandoff ?? AFTER_HANDOFF, seed));
      } else if (qualification.qualified) {
        intents.push({ kind: 'handoff', reason: 'qualified' });
        if (missingKey && (missingKey === 'timeline' || missingKey === 'finance')) {
          askedFor = missingKey;
          parts.push(`${pick(L?.handoffNotes ?? HANDOFF_NOTES, `${seed}:h`)} ${question(missingKey)}`);
        } else parts.push(`${pick(L?.greatFit ?? ['This sounds like a great fit.', 'You have given me everything I need.', 'Sounds like we can help.'], `${seed}:f`)} ${pick(L?.handoffOffers ?? HANDOFF_OFFERS, `${seed}:h`)}`);
      } else if (missingKey) {
        askedFor = missingKey;
        parts.push(question(missingKey));
      } else {
        parts.push(pick(L?.moreOptions ?? [
          'Would you like me to have one of our agents call you with more options?',
          'Shall I ask a colleague to send you a few more options and set up viewings?',
        ], `${seed}:e`));
      }
      return reply(parts.join('\n\n'), intents, askedFor);
    },
  };
}

