import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { type AgentTurnInput } from '../../domain/agent.types';
import { MARKET_CURRENCY } from '../../domain/budget.parser';
import { detectLanguage, type LeadLanguage } from '../../domain/language.detector';
import { replyLanguageRule } from '../../domain/reply-copy';
import { type LeadProfile } from '../../domain/profile.schema';

// What the model is told about the lead and the turn, beside the conversation itself.

const MAX_HISTORY = 40;
const MAX_MESSAGE_CHARS = 2000;
const MAX_MEMORIES = 30;

export function toChat(input: AgentTurnInput): ChatCompletionMessageParam[] {
  const msgs = (Array.isArray(input.messages) ? input.messages : []).filter((m) => m && typeof m.text === 'string').slice(-MAX_HISTORY);
  return msgs.map((m): ChatCompletionMessageParam => {
    const text = m.text.slice(0, MAX_MESSAGE_CHARS);
    if (m.from === 'lead') return { role: 'user', content: text };
    return { role: 'assistant', content: m.from === 'broker' ? `[a human consultant wrote] ${text}` : text };
  });
}

export function leadContext(input: AgentTurnInput, contactValid: boolean, language: LeadLanguage): string {
  const first = input.contact?.name?.trim().split(/\s+/)[0] ?? null;
  const lines = [
    `Market: ${input.market} (default currency ${MARKET_CURRENCY[input.market]}).`,
    `Channel: ${input.channel}.`,
    replyLanguageRule(language),
    `Lead's first name: ${first ?? 'unknown'}.`,
    `Contact details valid: ${contactValid ? 'yes' : 'no'}.`,
  ];
  const form = input.formAnswers && typeof input.formAnswers === 'object'
    ? Object.entries(input.formAnswers).filter(([, v]) => typeof v === 'string').map(([k, v]) => `- ${k}: ${v.slice(0, 200)}`)
    : [];
  if (form.length) lines.push('Form answers the lead already gave:', ...form);
  // memories outlive the history window below (and continue-as-new): what the lead said long ago
  const memories = (Array.isArray(input.memories) ? input.memories : []).filter((m) => m && typeof m.text === 'string').slice(0, MAX_MEMORIES);
  if (memories.length) lines.push('What the lead told us earlier (use it; do not ask again):', ...memories.map((m) => `- ${m.text.slice(0, 200)}`));
  return lines.join('\n');
}

export function recalledPreferences(input: AgentTurnInput): string[] {
  return (Array.isArray(input.memories) ? input.memories : []).filter((m) => m && m.kind === 'preference' && typeof m.text === 'string').map((m) => m.text);
}

export function turnContext(now: string, det: LeadProfile): string {
  const known = Object.entries(det).filter(([k, v]) => k !== 'contactValid' && v !== null && !(Array.isArray(v) && v.length === 0));
  return [
    `Today: ${now.slice(0, 10)}.`,
    `Parser reading of the conversation so far (correct; keep these values): ${known.length ? JSON.stringify(Object.fromEntries(known)) : 'nothing yet'}.`,
    'Now use tools if needed, then give your LeadQualification JSON answer.',
  ].join('\n');
}

/**
 * A reply to an Arabic or Hindi lead must be in their script (a model drifts to English when the
 * history or the units are in English). English and Hinglish share Latin letters, so a model's
 * mix of the two is not judged here.
 */
export function scriptProblem(reply: string, language: LeadLanguage): string | null {
  if (language !== 'ar' && language !== 'hi') return null;
  if (detectLanguage(reply)?.language === language) return null;
  return language === 'ar'
    ? 'the reply must be written in Arabic script (the lead writes Arabic)'
    : 'the reply must be written in Hindi in Devanagari script (the lead writes Hindi)';
}

