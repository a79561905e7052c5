// SSWS client, ky instance: list users page by page and read one user (ky bundled).
import { paginate } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { createSswsCredential } from '@org/okta-ssws';

export async function listUsers(orgUrl: string, token: string): Promise<unknown[]> {
  const api = createOktaKy({ credential: createSswsCredential({ orgUrl, token }) });
  const users: unknown[] = [];
  for await (const user of paginate((input, init) => api(input, init), 'api/v1/users?limit=200')) users.push(user);
  return users;
}

export async function getUser(orgUrl: string, token: string, id: string): Promise<unknown> {
  const api = createOktaKy({ credential: createSswsCredential({ orgUrl, token }) });
  return api.get(`api/v1/users/${encodeURIComponent(id)}`).json();
}
