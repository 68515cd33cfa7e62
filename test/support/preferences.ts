export interface PreferencesAnswer {
  status: number;
  json: { preferences?: { emailOffers: boolean; emailEscalations: boolean; emailDigest: boolean }; error?: { code: string } };
}

/** `GET /me/preferences` (no body) or `PUT` with `body`, as the caller `headers` name. */
export async function preferences(baseUrl: string, headers: Record<string, string>, body?: unknown): Promise<PreferencesAnswer> {
  const res = await fetch(`${baseUrl}/me/preferences`, {
    method: body === undefined ? 'GET' : 'PUT',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as PreferencesAnswer['json'] };
}
