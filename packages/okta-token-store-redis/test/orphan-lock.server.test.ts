/**
 * A fleet lock nobody holds any more, on a real redis-server (lock164; node-redis and ioredis). With the
 * defaults the lock outlived every waiter (`lockTtlMs` 5 s against `maxWaitMs` 4 s): each process waited
 * 4 s, then asked Okta itself, one grant per process. Three ways to such a lock: the holder gone with it
 * (killed), a `SET NX` that timed out on the client but ran in Redis, and the holder's release skipped by
 * the pause after one failed command (`pauseAfterFailureMs`). Also: one failed command no longer costs the
 * holder its lock (its heartbeat is sent in the pause too). Store instances on separate connections stand
 * for processes. Outcomes and counts only, never times.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { flightHoldingLock, gate } from './gate.js';
import { commandTimeoutMs, polling, useRedisClients, type RedisConnection } from './redis-clients.js';

const clients = useRedisClients().slice(0, 2);
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
const lockOf = (prefix: string) => `${prefix}v1:${createHash('sha256').update('k').digest('base64url')}:lock`;

/** The fleet's token requests: each grant a new token, counted. */
function okta() {
  const asked = { grants: 0 };
  const obtain = () => Promise.resolve({ value: `token ${++asked.grants}`, expiresAt: Date.now() + 60_000 });
  return { asked, obtain };
}

/** A connection whose commands `fail` may turn into a client error (the connection reset under one command). */
function failing(connection: RedisConnection, fail: (args: string[]) => boolean): { sendCommand(args: string[]): Promise<unknown> } {
  return { sendCommand: (args: string[]) => (fail(args) ? Promise.reject(new Error('Connection reset')) : connection.raw(args)) };
}

// The holder's lock and its heartbeat are the store's own: one client shows them (each a second or two of waiting).
describe(`with ${clients[0]![0]}`, () => {
  const [name, connect] = clients[0]!;
  it('a holder gone with its lock (defaults): one waiter takes over, one grant for the fleet, every waiter gets its token', async () => {
    const connections = await Promise.all(Array.from({ length: 6 }, () => connect()));
    // The holder's process dies once its request is on its way: from then on nothing it sends reaches Redis (no heartbeat,
    // no release), until the test closes its connection (its flight then ends).
    let holder: 'up' | 'gone' | 'closed' = 'up';
    const closing: (() => void)[] = [];
    const close = () => {
      holder = 'closed';
      for (const end of closing) end();
    };
    const dying: RedisClientLike = {
      sendCommand: (args: string[]) =>
        holder === 'up' ? connections[0]!.raw(args) : new Promise((_, reject) => (holder === 'closed' ? reject(new Error('closed')) : closing.push(() => reject(new Error('closed'))))),
    };
    try {
      const prefix = `orphan-gone-${name}:`;
      const { held } = await flightHoldingLock(createRedisTokenStorage({ client: dying, encryption, prefix, commandTimeoutMs }), 'k', async () => {
        holder = 'gone';
        await new Promise((resolve) => closing.push(() => resolve(undefined)));
        throw new Error('the process is gone');
      });
      void held.catch(() => undefined); // awaited at the end
      const { asked, obtain } = okta();
      const waiters = connections.slice(1).map(({ client }) => createRedisTokenStorage({ client, encryption, prefix, commandTimeoutMs }).singleFlight!('k', obtain, {}).catch((error: unknown) => (isOktaAuthError(error) ? error.code : error)));
      // Before: FLEET_WAIT_EXCEEDED for each (then a grant each, outside the fleet).
      expect(await Promise.all(waiters)).toEqual(Array.from({ length: 5 }, () => 'token 1'));
      expect(asked.grants).toBe(1);
      close();
      await failure(held);
    } finally {
      close();
      await Promise.all(connections.map((connection) => connection.close()));
    }
  });

  it('one failed command of the holder does not cost it its lock: its heartbeat goes on in the pause, and no waiter asks Okta', async () => {
    const [holder, waiter] = await Promise.all([connect(), connect()]);
    try {
      const prefix = `orphan-beat-${name}:`;
      // Its read under the lock fails once (a store call it goes on without), pausing Redis 1.5 s: past its lockTtlMs of
      // 900 ms. Not 600 ms and 1 s: the heartbeat (every third of lockTtlMs) then had to run within 400 ms of the one
      // before, which a loaded machine pausing this process can pass (the lock ends in Redis, and the waiter asks Okta).
      let failed = false;
      const holderClient = failing(holder, (args) => args[0] === 'EVAL' && args[1]!.includes('STRLEN') && !failed && (failed = true));
      const options = { encryption, prefix, commandTimeoutMs, lockTtlMs: 900, pauseAfterFailureMs: 1500 };
      const { asked, obtain } = okta();
      const polls = { n: 0, past: gate() };
      const watching: RedisClientLike = { sendCommand: (args: string[]) => (args[0] === 'EXISTS' && ++polls.n === 20 && polls.past.open(), waiter.raw(args)) };
      // The waiter starts once the lock is the holder's.
      const { held } = await flightHoldingLock(createRedisTokenStorage({ client: holderClient, ...options }), 'k', async () => {
        // Held until the waiter polled the lock 20 times (over 1.7 s, past the pause): long past the lock's 900 ms
        // without its heartbeat (or until the waiter is done: it took the lock over).
        await polls.past.opened;
        return obtain();
      });
      const waiting = createRedisTokenStorage({ client: watching, ...options }).singleFlight!('k', obtain, {});
      void waiting.then(
        () => polls.past.open(),
        () => polls.past.open(),
      );
      expect(await held).toBe('token 1');
      // Before: the heartbeat was skipped in the pause, the lock ran out, and the waiter asked Okta too (two grants).
      expect(await waiting).toBe('token 1');
      expect(asked.grants).toBe(1);
    } finally {
      await Promise.all([holder.close(), waiter.close()]);
    }
  });
});

// A command's answer lost and a command failing are the client's: both show them.
describe.each(clients)('with %s', (name, connect) => {
  it("a lock SET NX that timed out but ran in Redis is let go (owner-checked): the next process takes the lock, no one's wait", async () => {
    const [connection, other, admin] = await Promise.all([connect(), connect(), connect()]);
    try {
      const prefix = `orphan-setnx-${name}:`;
      // Redis holds every write for 600 ms: the lock's SET NX times out on the client (100 ms), and runs in Redis once the pause ends.
      await admin.raw(['CLIENT', 'PAUSE', '600', 'WRITE']);
      const { asked, obtain } = okta();
      const timedOut = await failure(createRedisTokenStorage({ client: connection.client, encryption, prefix, commandTimeoutMs: 100 }).singleFlight!('k', obtain, {}), isOktaAuthError);
      expect(timedOut.code).toBe('REDIS_UNAVAILABLE');
      // A write on the same connection runs after every command sent before it: the SET NX, then its release.
      await connection.raw(['SET', `${prefix}after-the-pause`, '1']);
      // Before: the lock stayed for lockTtlMs, owned by no flight.
      expect(await connection.raw(['EXISTS', lockOf(prefix)])).toBe(0);
      expect(await createRedisTokenStorage({ client: other.client, encryption, prefix, commandTimeoutMs }).singleFlight!('k', obtain, {})).toBe('token 1');
      expect(asked.grants).toBe(1);
    } finally {
      await Promise.all([connection.close(), other.close(), admin.close()]);
    }
  });

  it("the holder's failed write of the token pauses Redis, and its lock is still let go: a waiter takes over at once", async () => {
    const connections = await Promise.all(Array.from({ length: 4 }, () => connect()));
    try {
      const prefix = `orphan-write-${name}:`;
      // The token's write (a plain SET) fails once; the store then skips Redis for pauseAfterFailureMs (1 s), its release included.
      let failed = false;
      const failingOnce = failing(connections[0]!, (args) => args[0] === 'SET' && !args.includes('NX') && !failed && (failed = true));
      // What Redis answered the holder's release of its lock (the delete-if script): 1, it deleted its own lock.
      const released: unknown[] = [];
      const holderClient: RedisClientLike = {
        async sendCommand(args: string[]) {
          const answer = await failingOnce.sendCommand(args);
          if (args[0] === 'EVAL' && args[1]!.includes("redis.call('DEL'")) released.push(answer);
          return answer;
        },
      };
      const { asked, obtain } = okta();
      const polled = gate();
      // The waiters start once the lock is the holder's.
      const { held } = await flightHoldingLock(createRedisTokenStorage({ client: holderClient, encryption, prefix, commandTimeoutMs }), 'k', async () => {
        await polled.opened;
        return obtain();
      });
      const waiters = connections.slice(1).map((connection) => createRedisTokenStorage({ client: polling(connection, polled), encryption, prefix, commandTimeoutMs }).singleFlight!('k', obtain, {}).catch((error: unknown) => (isOktaAuthError(error) ? error.code : error)));
      // Its token is good for the holder, though not stored; before, its lock stayed (the release skipped in the pause).
      expect(await held).toBe('token 1');
      expect(released).toEqual([1]);
      expect(await Promise.all(waiters)).toEqual(['token 2', 'token 2', 'token 2']);
      expect(asked.grants).toBe(2);
    } finally {
      await Promise.all(connections.map(({ close }) => close()));
    }
  });
});
