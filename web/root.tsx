import type { ReactNode } from 'react';
import { isRouteErrorResponse, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLocation } from 'react-router';
import type { Route } from './+types/root';
import stylesHref from './styles/app.css?url';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

export function Layout({ children }: { children: ReactNode }) {
  // The chat page is public (a brokerage embeds it): leads never see the broker navigation.
  const isPublic = useLocation().pathname.startsWith('/chat');
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <Meta />
        <Links />
      </head>
      <body>
        {isPublic ? (
          <main className="public">{children}</main>
        ) : (
          <div className="shell">
            <nav className="nav">
              <div className="brand">Leadline</div>
              <NavLink to="/leads">Lead Inbox</NavLink>
              <NavLink to="/pipeline">Pipeline</NavLink>
            </nav>
            <main>{children}</main>
          </div>
        )}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${typeof error.data === 'string' ? error.data : error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <div className="error" role="alert">
      <strong>Something went wrong.</strong> {message}
    </div>
  );
}
