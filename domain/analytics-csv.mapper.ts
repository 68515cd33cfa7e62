import type { AnalyticsReport } from './analytics.schema';

// The report as one long CSV table (section, dimension, key, metric, value): every part fits
// the same five columns, so a spreadsheet pivots it without parsing several tables.

type Cell = string | number | null;

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula (a campaign id is typed by
 * whoever set up the ad) gets a leading apostrophe. */
function cell(v: Cell): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function analyticsCsv(r: AnalyticsReport): string {
  const rows: Cell[][] = [['section', 'dimension', 'key', 'metric', 'value']];
  const add = (section: string, dimension: string, key: string, metrics: Record<string, Cell>) => {
    for (const [metric, value] of Object.entries(metrics)) rows.push([section, dimension, key, metric, value]);
  };
  add('range', '', '', { from: r.from, to: r.to, totalLeads: r.totalLeads });
  for (const f of r.funnel) add('funnel', 'stage', f.stage, { count: f.count, rate: f.rate });
  for (const b of r.breakdown) add('breakdown', b.dimension, b.key, { leads: b.leads, qualified: b.qualified, qualifiedShare: b.qualifiedShare });
  for (const b of r.scores.buckets) add('scores', 'bucket', `${b.from}-${b.to}`, { count: b.count });
  add('scores', 'bucket', 'unscored', { count: r.scores.unscored });
  for (const s of r.speed) {
    add('speed', s.dimension, s.key, {
      firstReplyCount: s.firstReply.count,
      firstReplyP50Seconds: s.firstReply.p50Seconds,
      firstReplyP90Seconds: s.firstReply.p90Seconds,
      timeToClaimCount: s.timeToClaim.count,
      timeToClaimP50Seconds: s.timeToClaim.p50Seconds,
      timeToClaimP90Seconds: s.timeToClaim.p90Seconds,
    });
  }
  for (const s of r.sla) add('sla', 'broker', s.brokerId, { claims: s.claims, withinSla: s.withinSla, compliance: s.compliance });
  add('aiOnly', '', '', { conversations: r.aiOnly.conversations, aiOnly: r.aiOnly.aiOnly, share: r.aiOnly.share });
  for (const f of r.followUps.steps) add('followUps', 'nudgeStep', String(f.step), { sent: f.sent, replied: f.replied, replyRate: f.replyRate });
  add('followUps', '', '', { replyWindowHours: r.followUps.replyWindowHours });
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
