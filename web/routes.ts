import type { RouteConfig } from '@react-router/dev/routes';
import { flatRoutes } from '@react-router/fs-routes';

// `*.server.ts` modules sit beside the routes that use them; they are not routes.
export default flatRoutes({ ignoredRouteFiles: ['**/*.server.ts', '**/*.test.ts'] }) satisfies RouteConfig;
