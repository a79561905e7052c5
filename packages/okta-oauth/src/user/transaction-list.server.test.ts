/**
 * The list of a client's sign-in transactions (`transaction-list.ts`) against the emulator, with
 * memory storage and an injected clock: bounded, rebuilt from anything edited, and swept of
 * transactions past their age (or dated ahead) by the next `startSignIn`.
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from './storage.js';
import { login, password, spaOf, transactionKeyOf, transactionListOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

function clocked(maxEntries = 100) {
  const clock = { now: Date.now() };
  const storage = createMemoryStorage({ maxEntries });
  const client = spaOf(env.org, { storage, now: () => clock.now });
  const list = async () => JSON.parse((await storage.get(transactionListOf(client.clientId))) ?? '[]') as [string, number][];
  return { clock, storage, client, list };
}

describe('the list of sign-in transactions', () => {
  it('keeps at most 20: the 21st sign-in removes the oldest transaction', async () => {
    const { storage, client, list } = clocked();
    const states: string[] = [];
    for (let i = 0; i < 21; i++) states.push((await client.startSignIn()).transaction.state);
    expect(await list()).toHaveLength(20);
    expect(await storage.get(transactionKeyOf(client.clientId, states[0] ?? ''))).toBeUndefined();
    expect(await storage.get(transactionKeyOf(client.clientId, states[1] ?? ''))).toBeTypeOf('string');
  });

  it('removes a transaction dated ahead (tampered) and one just past its age, keeps one just within it', async () => {
    const { clock, storage, client, list } = clocked();
    const start = clock.now;
    const aged = (await client.startSignIn()).transaction.state;
    clock.now = start + 1000;
    const kept = (await client.startSignIn()).transaction.state;
    const ahead = 'a'.repeat(43);
    await storage.set(transactionListOf(client.clientId), JSON.stringify([...(await list()), [ahead, start + 10_000_000]]));
    await storage.set(`okta-oauth:${client.clientId}:transaction:${ahead}`, '{}');
    clock.now = start + 1_800_001;
    await client.startSignIn();
    expect(await storage.get(transactionKeyOf(client.clientId, aged))).toBeUndefined();
    expect(await storage.get(`okta-oauth:${client.clientId}:transaction:${ahead}`)).toBeUndefined();
    expect(await storage.get(transactionKeyOf(client.clientId, kept))).toBeTypeOf('string');
    expect((await list()).map(([, at]) => at)).toEqual([start + 1000, start + 1_800_001]);
  });

  it.each([
    ['not JSON', '{'],
    ['not a list', '{"a":1}'],
    ['entries of another shape', JSON.stringify([['short', 1], ['b'.repeat(43), 'x'], 'c', null, ['../../x'.padEnd(43, 'x'), 1]])],
    ['a long list', JSON.stringify(Array.from({ length: 5000 }, (_, i) => [String(i).padStart(43, 'd'), 0]))],
  ])('an edited list (%s) is read as what it holds of ours, at most 20, and the sign-in still finishes', async (_, text) => {
    const { storage, client, list } = clocked(10_000);
    await storage.set(transactionListOf(client.clientId), text);
    const { url } = await client.startSignIn();
    const listed = await list();
    expect(listed.length).toBeLessThanOrEqual(20);
    expect(listed.every(([id]) => /^[\w-]{43}$/.test(id))).toBe(true);
    expect((await client.finishSignIn(await fillSignInForm(url, login, password))).claims?.preferred_username).toBe(login);
  });
});
