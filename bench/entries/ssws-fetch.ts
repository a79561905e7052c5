// SSWS client, fetch wrapper: list users page by page and read one user.
import { createOktaFetch, isOktaApiError, paginate } from '@org/okta-auth-core';
import { createSswsCredential } from '@org/okta-ssws';

export async function listUsers(orgUrl: string, token: string): Promise<unknown[]> {
  const okta = createOktaFetch({ credential: createSswsCredential({ orgUrl, token }) });
  const users: unknown[] = [];
  for await (const user of paginate(okta, '/api/v1/users?limit=200')) users.push(user);
  return users;
}

export async function getUser(orgUrl: string, token: string, id: string): Promise<unknown> {
  const okta = createOktaFetch({ credential: createSswsCredential({ orgUrl, token }) });
  try {
    return await (await okta(`/api/v1/users/${encodeURIComponent(id)}`)).json();
  } catch (error) {
    if (isOktaApiError(error) && error.status === 404) return undefined;
    throw error;
  }
}
