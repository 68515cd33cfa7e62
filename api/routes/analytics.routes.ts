import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { AnalyticsRepository } from '../../db/analytics.repository';
import { analyticsCsv } from '../../domain/analytics-csv.mapper';
import { AnalyticsQuery, analyticsWindow } from '../../domain/analytics.schema';
import { badRequest } from '../../lib/errors';
import { requirePermission } from '../middleware/auth';
import { currentEm } from '../orm';

// Manager analytics (#15.7): managers, admins and machine clients only (`analytics:read`).
// `/analytics.csv` is the same report as a download, for the page's export link.
export function analyticsRoutes() {
  const router = new Router();
  const handler = (csv: boolean) => async (ctx: Context) => {
    requirePermission(ctx, 'analytics:read');
    const parsed = AnalyticsQuery.safeParse(ctx.query);
    if (!parsed.success) throw badRequest('Invalid query', z.treeifyError(parsed.error));
    const { from, to } = analyticsWindow(parsed.data, Date.now());
    const report = await new AnalyticsRepository(currentEm()).report(from, to);
    if (csv || parsed.data.format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="leadline-analytics-${from}-${to}.csv"`);
      ctx.body = analyticsCsv(report);
      return;
    }
    ctx.body = report;
  };
  router.get('/analytics', handler(false));
  router.get('/analytics.csv', handler(true));
  return router;
}
