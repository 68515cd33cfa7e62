import { Card } from '~/components/ui/card';
import { money } from '~/lib/format';

const PROFILE_LABELS: Array<[string, string]> = [
  ['persona', 'Persona'],
  ['city', 'City'],
  ['areas', 'Areas'],
  ['propertyType', 'Type'],
  ['beds', 'Bedrooms'],
  ['budget', 'Budget'],
  ['timeline', 'Timeline'],
  ['finance', 'Finance'],
];

function profileValue(profile: Record<string, unknown> | null, key: string): string {
  if (!profile) return '—';
  if (key === 'beds') {
    const [min, max] = [profile.bedsMin, profile.bedsMax] as Array<number | null>;
    if ((min ?? null) === null && (max ?? null) === null) return '—';
    if (min === max) return min === 0 ? 'Studio' : String(min);
    return `${min ?? '?'}–${max ?? '+'}`;
  }
  if (key === 'budget') {
    const { budgetMin, budgetMax, currency, budgetPeriod } = profile as Record<string, number | string | null>;
    if ((budgetMin ?? null) === null && (budgetMax ?? null) === null) return '—';
    const range = [budgetMin, budgetMax].map((v) => (v === null || v === undefined ? '…' : money(Number(v), currency as string))).join(' – ');
    return budgetPeriod && budgetPeriod !== 'total' ? `${range} / ${budgetPeriod}` : range;
  }
  const v = profile[key];
  if (Array.isArray(v)) return v.length ? v.join(', ') : '—';
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

export function ProfileCard({ profile }: { profile: Record<string, unknown> | null }) {
  return (
    <Card title="Profile">
      <dl className="kv" data-testid="profile">
        {PROFILE_LABELS.map(([key, label]) => (
          <div key={key} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd>{profileValue(profile, key)}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
