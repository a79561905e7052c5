/**
 * A user credential's sign-out on the Redis storage, end to end: @org/okta-emulator for the org,
 * a real redis-server, two processes (two store instances, two connections) sharing the key. A new
 * sign-in another process stores between sign-out's read and its removal stays: the removal is
 * `removeIfEqual`'s script, which deletes only the sealed entry sign-out read. An entry sign-out
 * cannot read (sealed under a key this process does not hold) goes: `removeIfUnreadable`.
 */
import { randomBytes } from 'node:crypto';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createSignInClient, type SignInClient } from '@org/okta-oauth';
import { fillSignInForm } from '@org/okta-test-utils';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { commandTimeoutMs, useRedisClients } from './redis-clients.js';

const clients = useRedisClients();
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
const password = 'Correct-Horse-9';
let org: OktaEmulator;

beforeEach(async () => {
  org = await startEmulator();
  org.createUser({ login: 'ada@example.com', password, admin: true, firstName: 'Ada', lastName: 'Admin' });
});
afterEach(async () => {
  await org.close();
});

function spa(): SignInClient {
  const redirectUri = 'http://127.0.0.1:5173/callback';
  const { clientId } = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  return createSignInClient({ orgUrl: org.url, allowInsecureLoopback: true, clientId, redirectUri, scopes: ['openid', 'profile', 'offline_access'] });
}

async function signIn(client: SignInClient) {
  const { url, transaction } = await client.startSignIn();
  return client.finishSignIn(await fillSignInForm(url, 'ada@example.com', password), transaction);
}

it.each(clients)("sign-out with %s leaves another process's new sign-in, stored between its read and its removal", async (name, connect) => {
  const [mine, other] = await Promise.all([connect(), connect()]);
  try {
    const prefix = `sign-out-${name}:`;
    const client = spa();
    const { tokens } = await signIn(client);
    // The other process: the same user signs in again 5 s later (another auth_time) and stores it under the key.
    org.setClockOffset(5);
    const next = await signIn(client);
    const otherProcess = createRedisTokenStorage({ commandTimeoutMs, client: other.client, encryption, prefix });
    const storageKey = 'user:ada:session-1'; // one user's, on both processes
    let raced = 0;
    const racing: RedisClientLike = {
      async sendCommand(args: string[]) {
        // Just before the removal (the script, or a DEL): the other process's credential writes its tokens.
        const removal = args[0] === 'DEL' || (args[0] === 'EVAL' && args[1]?.includes("'DEL'") === true);
        if (removal && raced++ === 0) await client.credential(next.tokens, { storage: otherProcess, storageKey }).getAccessToken();
        return mine.raw(args);
      },
    };
    // The other process's write runs inside the removal's command: a bound that a loaded machine does not reach.
    const credential = client.credential(tokens, { storage: createRedisTokenStorage({ client: racing, encryption, prefix, commandTimeoutMs }), storageKey });
    await credential.getAccessToken();
    expect((await credential.signOut()).revoked).toEqual(['refresh_token', 'access_token']);
    expect(raced).toBe(1);
    // Before (a read, then remove()'s DEL), the other process's sign-in was deleted.
    const restored = await client.restoreCredential({ storage: otherProcess, storageKey });
    expect(restored?.tokens?.accessToken.reveal() === next.tokens.accessToken.reveal(), "Redis holds the other process's tokens").toBe(true);
  } finally {
    await Promise.all([mine.close(), other.close()]);
  }
});

it.each(clients)('sign-out with %s removes an entry it cannot read: tokens another process sealed under a key this one lacks (mid-rotation)', async (name, connect) => {
  const [mine, other] = await Promise.all([connect(), connect()]);
  try {
    const prefix = `sign-out-unreadable-${name}:`;
    const client = spa();
    const { tokens } = await signIn(client);
    // This process holds k1 only; the other, already deployed with the next key, seals with k2.
    const otherProcess = createRedisTokenStorage({ commandTimeoutMs, client: other.client, encryption: { current: 'k2', keys: { ...encryption.keys, k2: randomBytes(32).toString('base64') } }, prefix });
    const storage = createRedisTokenStorage({ commandTimeoutMs, client: mine.client, encryption, prefix });
    const storageKey = 'user:ada';
    const credential = client.credential(tokens, { storage, storageKey });
    await credential.getAccessToken();
    // The other process writes the same sign-in's tokens (its renewal, say) under k2: unreadable here.
    await client.credential(tokens, { storage: otherProcess, storageKey }).getAccessToken();
    expect(await storage.get(storageKey)).toBeUndefined();
    expect(await client.restoreCredential({ storage: otherProcess, storageKey })).toBeDefined();
    await credential.signOut();
    // Before, the entry stayed until its TTL, and the other process restored the signed-out session from it.
    expect(await client.restoreCredential({ storage: otherProcess, storageKey })).toBeUndefined();
    expect(await mine.raw(['KEYS', `${prefix}*`])).toEqual([]);
  } finally {
    await Promise.all([mine.close(), other.close()]);
  }
});
