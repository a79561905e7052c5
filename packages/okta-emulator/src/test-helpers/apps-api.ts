import type { OktaEmulator } from '../index.js';

/** An answer of the Apps API: its status and JSON body (`undefined` for an empty one, a 204's). */
export interface AppsAnswer {
  status: number;
  body: any;
}

/**
 * One call of the Apps API (`/api/v1/apps/{path}`) as a script makes it, for the credential routes'
 * tests: a body object is sent as JSON, a string as it is (hostile input: a body no JSON.stringify makes).
 */
export async function appsApi(org: OktaEmulator, path: string, method: string, body: unknown, headers: Record<string, string>): Promise<AppsAnswer> {
  const res = await fetch(`${org.url}/api/v1/apps/${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}
