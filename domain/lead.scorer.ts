import type { UnitMatch } from './agent.types';
import { contactValidity } from './contact.validator';
import { convertAmount, priceFit } from './inventory.matcher';
import type { Contact, LeadProfile, Market, Qualification, ScorePart, Unit } from './profile.schema';

// Transparent lead score (../shared/DESIGN.md): Fit 40 (location 20 + type/beds/size 20),
// Budget alignment 25, Intent and urgency 20 (timeline 12 + specificity 8), Readiness 15
// (contact validity 8 + finance 7). Qualified at 60 or more. Fit and budget alignment are
// measured against the matched inventory, so a lead asking for stock we do not have scores lower.

export const QUALIFIED_AT = 60;

const MARKET_OF_CURRENCY: Readonly<Record<string, Market>> = { AED: 'AE', GBP: 'GB', USD: 'US', INR: 'IN' };
const TIMELINE_POINTS: Readonly<Record<string, number>> = { '0-3m': 12, '3-6m': 9, '6-12m': 5, '12m+': 2 };

function part(key: string, label: string, points: number, max: number, reason: string): ScorePart {
  return { key, label, points: Math.max(0, Math.min(max, Math.round(points))), max, reason };
}

function bedsOk(p: LeadProfile, beds: number): boolean {
  return beds >= (p.bedsMin ?? 0) && beds <= (p.bedsMax ?? Infinity);
}

/** How well a unit's price fits the lead's budget (currency and rent period converted). */
export function unitBudgetFit(p: LeadProfile, unit: Unit): number {
  const conv = (v: number | null): number | null => {
    if (v === null) return null;
    let x = p.currency ? convertAmount(v, p.currency, unit.currency) : v;
    if (unit.listing === 'rent' && unit.rentPeriod && p.budgetPeriod && p.budgetPeriod !== 'total' && p.budgetPeriod !== unit.rentPeriod) {
      x = p.budgetPeriod === 'month' ? x * 12 : x / 12;
    }
    return x;
  };
  return priceFit(unit.price, conv(p.budgetMin), conv(p.budgetMax));
}

function fmt(n: number | null, cur: string | null): string {
  if (n === null) return '';
  const s = n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : String(n);
  return cur ? `${cur} ${s}` : s;
}

export function scoreLead(
  profile: LeadProfile,
  matches: readonly UnitMatch[],
  contact?: Contact | null,
  market?: Market,
): Qualification {
  const top = matches.slice(0, 10).map((m) => m.unit);
  const parts: ScorePart[] = [];

  // Fit: location
  if (profile.areas.length > 0) {
    const inArea = top.filter((u) => profile.areas.includes(u.area));
    parts.push(inArea.length > 0
      ? part('location', 'Location', 20, 20, `Wants ${profile.areas.join(', ')}; we have ${inArea.length} matching unit${inArea.length > 1 ? 's' : ''} there`)
      : part('location', 'Location', 12, 20, `Wants ${profile.areas.join(', ')}; no current stock there`));
  } else if (profile.city) {
    const inCity = top.some((u) => u.city === profile.city);
    parts.push(part('location', 'Location', inCity ? 10 : 6, 20, `City ${profile.city} known, no specific area yet`));
  } else {
    parts.push(part('location', 'Location', 0, 20, 'No location yet'));
  }

  // Fit: type, beds and size
  {
    let pts = 0;
    const bits: string[] = [];
    const typed = profile.propertyType !== null;
    const bedsKnown = profile.bedsMin !== null || profile.bedsMax !== null;
    if (typed) {
      const ok = top.some((u) => u.propertyType === profile.propertyType);
      pts += ok ? 8 : 4;
      bits.push(ok ? `${profile.propertyType} in stock` : `${profile.propertyType} wanted, none matched`);
    }
    if (bedsKnown) {
      const ok = top.some((u) => bedsOk(profile, u.beds));
      pts += ok ? 8 : 4;
      bits.push(ok ? 'bedroom count available' : 'bedroom count not in stock');
    }
    if (typed && bedsKnown && top.some((u) => u.propertyType === profile.propertyType && bedsOk(profile, u.beds))) {
      pts += 4;
      bits.push('a unit matches type and size');
    }
    parts.push(part('type', 'Type, beds and size', pts, 20, bits.length ? bits.join('; ') : 'Type and bedrooms not stated'));
  }

  // Budget alignment
  if (profile.budgetMin === null && profile.budgetMax === null) {
    parts.push(part('budget', 'Budget alignment', 0, 25, 'No budget yet'));
  } else {
    const stated = profile.budgetMin !== null && profile.budgetMax !== null
      ? `${fmt(profile.budgetMin, profile.currency)}-${fmt(profile.budgetMax, null)}`
      : profile.budgetMax !== null ? `up to ${fmt(profile.budgetMax, profile.currency)}` : `from ${fmt(profile.budgetMin, profile.currency)}`;
    if (top.length === 0) {
      parts.push(part('budget', 'Budget alignment', 10, 25, `Budget ${stated}; no stock to compare yet`));
    } else {
      const fits = top.map((u) => unitBudgetFit(profile, u));
      const inside = fits.filter((f) => f === 1).length;
      const best = Math.max(...fits);
      if (inside > 0) parts.push(part('budget', 'Budget alignment', 25, 25, `Budget ${stated}; ${inside} matching unit${inside > 1 ? 's' : ''} within it`));
      else if (best >= 0.5) parts.push(part('budget', 'Budget alignment', 15, 25, `Budget ${stated}; closest units slightly above or below`));
      else parts.push(part('budget', 'Budget alignment', 6, 25, `Budget ${stated}; matching stock is priced well outside it`));
    }
  }

  // Intent and urgency
  parts.push(part('timeline', 'Timeline', profile.timeline ? TIMELINE_POINTS[profile.timeline] ?? 0 : 0, 12,
    profile.timeline ? `Wants to move or buy within ${profile.timeline}` : 'No timeline yet'));
  {
    const known = [profile.persona !== null, profile.areas.length > 0 || profile.city !== null, profile.propertyType !== null,
      profile.bedsMin !== null || profile.bedsMax !== null, profile.budgetMin !== null || profile.budgetMax !== null];
    const n = known.filter(Boolean).length;
    parts.push(part('specificity', 'Specificity', (8 * n) / known.length, 8, `${n} of ${known.length} key details given`));
  }

  // Readiness
  {
    const m = market ?? MARKET_OF_CURRENCY[profile.currency ?? ''] ?? null;
    const valid = contact && m ? contactValidity(contact, m).valid : profile.contactValid;
    parts.push(part('contact', 'Contact validity', valid ? 8 : 0, 8, valid ? 'Reachable phone or e-mail' : 'No valid phone or e-mail'));
  }
  if (profile.persona === 'tenant') {
    const hasBudget = profile.budgetMin !== null || profile.budgetMax !== null;
    parts.push(part('finance', 'Finance', hasBudget ? 5 : 2, 7, hasBudget ? 'Renting with a stated budget: no financing needed' : 'Renting; budget not confirmed'));
  } else {
    const f = profile.finance;
    const pts = f === 'cash' || f === 'preapproved' ? 7 : f === 'mortgage' ? 3 : 0;
    const reason = f === 'cash' ? 'Cash buyer' : f === 'preapproved' ? 'Mortgage pre-approved' : f === 'mortgage' ? 'Needs a mortgage, not yet approved' : 'Finance not discussed';
    parts.push(part('finance', 'Finance', pts, 7, reason));
  }

  const score = Math.max(0, Math.min(100, parts.reduce((s, p) => s + p.points, 0)));
  const qualified = score >= QUALIFIED_AT;
  const reasons = [
    `${qualified ? 'Qualified' : 'Not qualified yet'}: ${score}/100 (qualifies at ${QUALIFIED_AT})`,
    ...parts.filter((p) => p.points > 0).sort((a, b) => b.points - a.points).slice(0, 3).map((p) => p.reason),
    ...parts.filter((p) => p.points === 0).map((p) => p.reason),
  ];
  return { score, qualified, breakdown: parts, reasons };
}
