import { useEffect, useState, type ReactNode } from 'react';
import { Form, isRouteErrorResponse, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLocation, useRouteLoaderData } from 'react-router';
import type { Route } from './+types/root';
import { useNonce } from './lib/nonce';
import { OfferToasts } from './components/alerts/offer-toasts';
import { authContext, authMiddleware } from './lib/session.server';
import { securityMiddleware } from './lib/security.server';
import stylesHref from './styles/app.css?url';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }];

// Security headers and the same-origin check first, then sign-in: every page that is not
// public is closed to anonymous visitors here, so a new route is closed by default.
export const middleware: Route.MiddlewareFunction[] = [securityMiddleware, authMiddleware];

export function loader({ context }: Route.LoaderArgs) {
  const auth = context.get(authContext);
  return { user: auth ? { name: auth.user.name, role: auth.user.role, brokerId: auth.user.brokerId } : null };
}

/** Pages without the broker navigation: the public chat and the sign-in pages. */
const BARE = /^\/(chat|login|forgot-password|set-password)(\/|$)/;

export function Layout({ children }: { children: ReactNode }) {
  const bare = BARE.test(useLocation().pathname);
  const nonce = useNonce();
  const user = useRouteLoaderData<typeof loader>('root')?.user ?? null;
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
        {bare || !user ? (
          <main className="public">{children}</main>
        ) : (
          <div className="shell">
            <BrokerNav user={user} />
            <main id="main">{children}</main>
            {user.brokerId ? <OfferToasts /> : null}
          </div>
        )}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * The broker navigation: a sidebar on wide screens; on phones a bar whose menu button opens
 * the links (closed again on every navigation), so the page keeps the whole width.
 */
function BrokerNav({ user }: { user: { name: string; role: string } }) {
  const [open, setOpen] = useState(false);
  const { pathname, search } = useLocation();
  useEffect(() => setOpen(false), [pathname, search]);
  return (
    <nav className={open ? 'nav is-open' : 'nav'} aria-label="Main">
      <div className="nav-bar">
        <div className="brand">Leadline</div>
        <button type="button" className="nav-toggle" aria-expanded={open} aria-controls="nav-menu" onClick={() => setOpen((o) => !o)}>
          {open ? 'Close' : 'Menu'}
        </button>
      </div>
      <div className="nav-menu" id="nav-menu">
        <NavLink to="/leads">Lead Inbox</NavLink>
        <NavLink to="/pipeline">Pipeline</NavLink>
        <NavLink to="/inventory">Inventory</NavLink>
        {user.role === 'admin' || user.role === 'manager' ? <NavLink to="/analytics">Analytics</NavLink> : null}
        <NavLink to="/settings">Settings</NavLink>
        {user.role === 'admin' ? <NavLink to="/admin/users">Users</NavLink> : null}
        <div className="nav-user" data-testid="signed-in-as">
          <span>{user.name}</span>
          <span className="nav-role">{user.role}</span>
          <Form method="post" action="/logout">
            <button type="submit" className="nav-signout">
              Sign out
            </button>
          </Form>
        </div>
      </div>
    </nav>
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
  const title = isRouteErrorResponse(error) ? (error.status === 404 ? 'Not found' : error.status === 403 ? 'Not allowed' : `Error ${error.status}`) : 'Something went wrong';
  return (
    <>
      {/* React hoists it into <head>: an error page has a title too. */}
      <title>{`${title} · Leadline`}</title>
      <h1 className="error-title">{title}</h1>
      <div className="error" role="alert">
        <strong>Something went wrong.</strong> {message}
      </div>
    </>
  );
}
