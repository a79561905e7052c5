/**
 * loadSharedDpopKeyPair against the real OktaTokenStoreObject in this process (over a Map standing
 * for its storage): the first key stored wins, a corrupt entry is replaced, a failing or silent
 * object gives a per-isolate key and an `error` event, and the private key never shows. Two
 * isolates of a real workerd share one key in test/fleet.server.test.ts.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSharedDpopKeyPair, type SharedDpopKeyOptions } from './index.js';
import { objectNamespace } from './test-helpers/memory-storage.js';

const publicJwk = async (pair: CryptoKeyPair) => JSON.stringify(await crypto.subtle.exportKey('jwk', pair.publicKey));

async function load(options: Omit<SharedDpopKeyOptions, 'name' | 'logger'>) {
  const events: unknown[] = [];
  const pair = await loadSharedDpopKeyPair({ name: 'client-1', logger: (event) => void events.push(event), ...options });
  return { pair, events, key: await publicJwk(pair) };
}

/** The private `d` of every key the loads sent to the object. */
const sentSecrets = (sent: string[]) => sent.map((body) => (JSON.parse((JSON.parse(body) as { v: string }).v) as { d: string }).d);

describe('loadSharedDpopKeyPair', () => {
  it("stores the first isolate's key only if none is: every isolate imports the one stored, non-extractable", async () => {
    const { namespace, sent } = objectNamespace();
    const [first, second] = [await load({ namespace }), await load({ namespace })];
    expect(second.key).toBe(first.key);
    expect([first.events, second.events]).toEqual([[], []]);
    // The second isolate's own key was offered and refused: the object kept the first.
    expect(new Set(sentSecrets(sent)).size).toBe(2);
    expect(first.pair.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', second.pair.privateKey)).rejects.toThrow();
    // Another app's name is another key.
    expect((await load({ namespace, name: 'client-2' } as never)).key).not.toBe(first.key);
  });

  it('a stored entry that is not a key is said (corrupt) and replaced; the next isolate takes the replacement', async () => {
    const { namespace, map } = objectNamespace();
    await load({ namespace });
    const [entry] = [...map].filter(([k]) => k.startsWith('e:'));
    map.set(entry![0], { ...(entry![1] as object), v: '{"kty":"EC","crv":"P-256"}' });
    const replacing = await load({ namespace });
    expect(replacing.events).toEqual([{ type: 'token-store', operation: 'dpop-key', outcome: 'corrupt' }]);
    expect((await load({ namespace })).key).toBe(replacing.key);
  });

  it.each([
    ['answers 500', () => Promise.resolve(new Response('{"v":"echo"}', { status: 500 })), 500],
    ['rejects', (body: string) => Promise.reject(new Error(body)), undefined],
    ['never answers', () => new Promise<Response>(() => undefined), undefined],
    ['answers another protocol', () => Promise.resolve(Response.json({ value: 42 })), undefined],
  ])('an object that %s: a per-isolate key and an error event (its code and status), nothing of the key in them', async (_, answer, status) => {
    const { namespace, sent } = objectNamespace(answer);
    const [one, two] = [await load({ namespace, timeoutMs: 50 }), await load({ namespace, timeoutMs: 50 })];
    expect(one.key).not.toBe(two.key);
    const event = { type: 'token-store', operation: 'dpop-key', outcome: 'error', code: 'STORE_UNAVAILABLE', ...(status && { status }) };
    expect([one.events, two.events]).toEqual([[event], [event]]);
    for (const d of sentSecrets(sent)) {
      for (const shown of [JSON.stringify(one), inspect(one, { depth: 10, showHidden: true }), inspect(two, { depth: 10, showHidden: true })]) expect(shown).not.toContain(d);
    }
  });

  it('the key stored never shows in what the pair prints', async () => {
    const { namespace, sent } = objectNamespace();
    const { pair } = await load({ namespace });
    const [d] = sentSecrets(sent);
    expect(d).toMatch(/^[\w-]{43}$/);
    for (const shown of [JSON.stringify(pair), inspect(pair, { depth: 10, showHidden: true }), String(pair.privateKey)]) expect(shown).not.toContain(d);
  });

  it.each([
    [{}, 'name must be a string of 1 to 1024 characters'],
    [{ name: '' }, 'name must be a string'],
    [{ name: 'x'.repeat(1025) }, 'name must be a string'],
    [{ name: 'app', objectName: '' }, "objectName must be a string of 1 to 1024 characters (the object's idFromName)."],
    [{ name: 'app', ttlMs: 0 }, 'The ttlMs option must be a number of milliseconds from 1 to 31536000000 (1 ms to 365 days).'],
    [{ name: 'app', timeoutMs: 60_001 }, 'The timeoutMs option must be a number of milliseconds from 1 to 60000 (1 ms to 1 min).'],
    [{ name: 'app', namespace: 'OKTA_TOKENS' }, 'namespace must be a Durable Object namespace binding'],
  ])('bad options are INVALID_CONFIG naming the option, never a silent per-isolate key: %j', async (options, message) => {
    const { namespace } = objectNamespace();
    await expect(loadSharedDpopKeyPair({ namespace, ...options } as never)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining(message) as unknown });
  });
});
