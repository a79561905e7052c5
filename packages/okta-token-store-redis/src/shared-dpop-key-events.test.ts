/**
 * What `loadSharedDpopKeyPair` logs of the entry it reads, from a fake client for answers a real
 * Redis gives only in a race or through a hand-written client: a missing entry answered `undefined`
 * (not nil's `null`) is a miss without a word, and a corrupt entry gone before the `SET NX` (its TTL
 * ran out, another process removed it) is still said, once. (mut98: `stored === undefined` made
 * `false`, and the once-only guard inverted, survived: every test read a corrupt entry twice.)
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSharedDpopKeyPair } from './index.js';

const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

/** A client whose bounded GET (`EVAL`) answers `stored` once and nil after, and whose `SET` answers OK. */
function client(stored: unknown): { sendCommand(args: string[]): Promise<unknown>; readonly sent: string[] } {
  let answer = stored;
  const sent: string[] = [];
  return {
    sent,
    sendCommand(args) {
      sent.push(args[0]!);
      if (args[0] !== 'EVAL') return Promise.resolve('OK');
      const reply = answer;
      answer = null;
      return Promise.resolve(reply);
    },
  };
}

const load = async (stored: unknown) => {
  const events: unknown[] = [];
  const redis = client(stored);
  await loadSharedDpopKeyPair({ client: redis, encryption, name: 'app', logger: (event) => void events.push(event) });
  return { events, sent: redis.sent };
};

describe("the shared DPoP key's corrupt event", () => {
  it('a missing entry a client answers as undefined is a miss: a key is made and stored, nothing logged', async () => {
    expect(await load(undefined)).toEqual({ events: [], sent: ['EVAL', 'SET'] });
  });

  it('a corrupt entry gone before the SET NX is said once: the key made is stored', async () => {
    expect(await load('v1.k1.not-sealed.by-this-key')).toEqual({ events: [{ type: 'token-store', operation: 'dpop-key', outcome: 'corrupt' }], sent: ['EVAL', 'SET'] });
  });
});
