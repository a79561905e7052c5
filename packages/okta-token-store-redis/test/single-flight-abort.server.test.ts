/**
 * The store's side of the fleet wait's end (lockwait156, okta-oauth's `SingleFlightOptions.signal`): once
 * the signal fires (every caller of the renewal gave up: its `timeoutMs` or its own abort, or the
 * credential's `fleetWaitMs` passed) the store stops waiting for another process's lock at once, sends
 * Redis nothing more, and neither takes the lock nor calls `obtain` (a token renewed for nobody). On a
 * real redis-server; a lock set by hand stands for another process's, held for the whole test.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { commandTimeoutMs, useRedisClients, type RedisConnection } from './redis-clients.js';
import { gate } from './gate.js';

const [name, connect] = useRedisClients()[0]!;
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
const lockKeyOf = (prefix: string) => `${prefix}v1:${createHash('sha256').update('k').digest('base64url')}:lock`;

/** A connection that records each command sent, and opens `polled` at the first `EXISTS` (the waiter is inside its wait). */
function recording(connection: RedisConnection, polled: { open: () => void }) {
  const sent: string[] = [];
  const client: RedisClientLike = {
    sendCommand(args: string[]) {
      sent.push(args[0]!);
      if (args[0] === 'EXISTS') polled.open();
      return connection.raw(args);
    },
  };
  return { client, sent };
}

describe(`a singleFlight whose signal fires (${name})`, () => {
  it("stops waiting for another process's lock at once: ABORTED, nothing more sent, obtain never called", async () => {
    const connection = await connect();
    try {
      const prefix = `sf-abort-wait-${name}:`;
      await connection.raw(['SET', lockKeyOf(prefix), 'another process', 'PX', '60000']);
      const polled = gate();
      const { client, sent } = recording(connection, polled);
      const store = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix, maxWaitMs: 60_000 });
      const caller = new AbortController();
      let asked = 0;
      const waiting = store.singleFlight!('k', () => (asked++, Promise.resolve({ value: 'token', expiresAt: Date.now() + 60_000 })), { signal: caller.signal });
      await polled.opened;
      caller.abort();
      await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
      const after = sent.length;
      // Another wait's poll interval (100 ms at most) would have sent more by now.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sent.length).toBe(after);
      expect(asked).toBe(0);
      expect(await connection.raw(['GET', lockKeyOf(prefix)])).toBe('another process');
    } finally {
      await connection.close();
    }
  });

  it('given a signal that fired already: no lock taken, obtain never called, even with the lock free', async () => {
    const connection = await connect();
    try {
      const prefix = `sf-abort-before-${name}:`;
      const { client, sent } = recording(connection, gate());
      const store = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix, maxWaitMs: 60_000 });
      let asked = 0;
      const waiting = store.singleFlight!('k', () => (asked++, Promise.resolve({ value: 'token', expiresAt: Date.now() + 60_000 })), { signal: AbortSignal.abort() });
      await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
      expect(asked).toBe(0);
      expect(sent).not.toContain('SET');
      expect(await connection.raw(['EXISTS', lockKeyOf(prefix)])).toBe(0);
    } finally {
      await connection.close();
    }
  });
});
