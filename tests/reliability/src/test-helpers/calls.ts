import { paginate, type OktaFetch } from '@org/okta-auth-core';

/** Reads every user through the library's own body parsing (pagination), as an app would. */
export async function listUsers(okta: OktaFetch, path = '/api/v1/users?limit=200'): Promise<unknown[]> {
  const users: unknown[] = [];
  for await (const user of paginate(okta, path)) users.push(user);
  return users;
}

/** Settles a promise into its value or what it threw. */
export async function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Sum of the emulator's request counters whose key matches. */
export function count(requests: Record<string, number>, key: string): number {
  return requests[key] ?? 0;
}
