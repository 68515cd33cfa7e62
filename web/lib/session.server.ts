import { createContext, createCookie, redirect, type MiddlewareFunction, type RouterContextProvider } from 'react-router';
import { ApiError, apiGet, type ApiAuth } from './api.server';

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'manager' | 'broker';
  brokerId: string | null;
}

export interface Auth extends ApiAuth {
  token: string;
  user: SignedInUser;
}

// The session token lives in an httpOnly cookie (scripts never read it) and is forwarded to
// the API on every call; the API's sessions table decides whether it is still good, so
// sign-out, expiry and deactivation all end it there.
export const sessionCookie = createCookie('leadline_session', {
  httpOnly: true,
  sameSite: 'lax',
  path: '/',
  secure: process.env.NODE_ENV === 'production' && process.env.COOKIE_SECURE !== 'false',
});

export const authContext = createContext<Auth | null>(null);

/** Pages anyone may open: sign-in, password links and the public chat. */
const PUBLIC_PATHS = [/^\/login\/?$/, /^\/logout\/?$/, /^\/forgot-password\/?$/, /^\/set-password\/[^/]+\/?$/, /^\/chat(\/.*)?$/];

/** A data request (`/leads.data`, `/_root.data`) is about the page it names. */
export function pagePath(url: URL): string {
  const path = url.pathname.replace(/\.data$/, '');
  return path === '/_root' ? '/' : path;
}

export const isPublicPath = (path: string) => PUBLIC_PATHS.some((re) => re.test(path));

export async function sessionTokenFrom(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie.parse(request.headers.get('cookie'));
  return typeof value === 'string' && value.length >= 20 ? value : null;
}

/** Set by the web server (web/server.ts) from the socket; never taken from the browser. */
export const clientAddressOf = (request: Request) => request.headers.get('x-leadline-client-address');

export async function loadAuth(request: Request): Promise<Auth | null> {
  const token = await sessionTokenFrom(request);
  if (!token) return null;
  const clientAddress = clientAddressOf(request);
  try {
    const { user } = await apiGet<{ user: SignedInUser }>({ token, clientAddress }, '/auth/me');
    return { token, clientAddress, user };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function loginRedirect(request: Request, clearCookie: boolean): Promise<Response> {
  const url = new URL(request.url);
  const back = `${pagePath(url)}${url.search}`;
  const to = back === '/' || back.startsWith('/login') ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}`;
  return (clearCookie ? sessionCookie.serialize('', { maxAge: 0 }) : Promise.resolve(null)).then((cookie) =>
    redirect(to, cookie ? { headers: { 'set-cookie': cookie } } : undefined),
  );
}

/** Root middleware: every page but the public ones needs a signed-in user; anonymous visitors go to /login. */
export const authMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const path = pagePath(new URL(request.url));
  const auth = await loadAuth(request);
  context.set(authContext, auth);
  if (!auth && !isPublicPath(path)) throw await loginRedirect(request, Boolean(await sessionTokenFrom(request)));
  return next();
};

export function requireAuth(context: Readonly<RouterContextProvider>): Auth {
  const auth = context.get(authContext);
  if (!auth) throw redirect('/login');
  return auth;
}

/** Only this role (or admin) may open the page; the API checks again on every call. */
export function requireRole(context: Readonly<RouterContextProvider>, roles: Array<SignedInUser['role']>): Auth {
  const auth = requireAuth(context);
  if (!roles.includes(auth.user.role)) throw new Response('Your role may not open this page', { status: 403 });
  return auth;
}

/** Only local paths: an open redirect would send a freshly signed-in user anywhere. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/leads'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  return to;
}
