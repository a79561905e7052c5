// @okta/okta-sdk-nodejs with an API token: list users and read one user.
// A Node.js library: bundling it for the browser is expected to fail.
import { Client } from '@okta/okta-sdk-nodejs';

export async function listUsers(orgUrl: string, token: string): Promise<unknown[]> {
  const client = new Client({ orgUrl, token });
  const users: unknown[] = [];
  const collection = await client.userApi.listUsers();
  await collection.each((user) => {
    users.push(user);
  });
  return users;
}

export async function getUser(orgUrl: string, token: string, id: string): Promise<unknown> {
  const client = new Client({ orgUrl, token });
  return client.userApi.getUser({ userId: id });
}
