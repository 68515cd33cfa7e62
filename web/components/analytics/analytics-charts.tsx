import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsReport } from '../../../domain/analytics.schema';

// The two charts of the analytics page. ResponsiveContainer measures its box in the browser
// (on the server it renders the initial size), so the charts fit a phone without scrolling.
// The tables beside them carry the same numbers for screen readers, so the SVGs are hidden
// from assistive technology (and recharts' keyboard layer is off: nothing focusable inside them).

const ACCENT = '#0f766e';

export function FunnelChart({ funnel }: { funnel: AnalyticsReport['funnel'] }) {
  return (
    <div className="analytics-chart" aria-hidden="true" data-testid="funnel-chart">
      <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 320, height: 260 }}>
        <BarChart accessibilityLayer={false} data={funnel} layout="vertical" margin={{ left: 8, right: 16, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="stage" width={72} />
          <Tooltip />
          <Bar dataKey="count" fill={ACCENT} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ScoreChart({ buckets }: { buckets: AnalyticsReport['scores']['buckets'] }) {
  const data = buckets.map((b) => ({ bucket: `${b.from}–${b.to}`, count: b.count }));
  return (
    <div className="analytics-chart" aria-hidden="true" data-testid="score-chart">
      <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 320, height: 220 }}>
        <BarChart accessibilityLayer={false} data={data} margin={{ left: 0, right: 8, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" interval="preserveStartEnd" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} width={32} />
          <Tooltip />
          <Bar dataKey="count" fill={ACCENT} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
