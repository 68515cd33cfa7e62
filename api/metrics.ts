import type { MikroORM } from '@mikro-orm/postgresql';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(orm?: MikroORM) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (orm) {
    // Alerts are raised by the API (delivery statuses) and by workers (sends, media, Lead Ads):
    // counted from the timeline they are all written to, so one scrape sees every process's.
    new Counter({
      name: 'leadline_lead_alerts_total',
      help: 'Alerts raised on leads (failed sends and deliveries, unreachable leads, Lead Ads fetches, media, failed activities), by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        const rows = await orm.em
          .fork()
          .getConnection()
          .execute<{ kind: string | null; n: string }[]>(`select meta->>'kind' as kind, count(*)::text as n from timeline_entries where type = 'alert' group by 1`);
        this.reset();
        for (const r of rows) this.inc({ kind: r.kind ?? 'unknown' }, Number(r.n));
      },
    });
  }
  return {
    registry,
    httpDuration: new Histogram({
      name: 'leadline_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    inboundEvents: new Counter({
      name: 'leadline_inbound_events_total',
      help: 'Raw inbound events by source and outcome',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
