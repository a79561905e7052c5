import { describe, expect, it, vi } from 'vitest';
import { isOktaRedisStoreError } from './errors.js';
import { createRedisRateLimitCoordinator, createRedisTokenStorage, loadSharedDpopKeyPair } from './index.js';
import { RedisCommands } from './redis-client.js';

const client = { sendCommand: () => Promise.resolve(null) };
const encryption = { current: 'k1', keys: { k1: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' } };

/** The typed INVALID_CONFIG error whose message starts with `message`. */
const invalidConfig = (message: string) => expect.objectContaining({ name: 'OktaRedisStoreError', code: 'INVALID_CONFIG', message: expect.stringMatching(new RegExp(`^${message}`)) });

describe('the connection options every Redis part shares', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('commandTimeoutMs %s is INVALID_CONFIG naming it, for the token storage and the rate-limit coordinator alike', (commandTimeoutMs) => {
    const expected = invalidConfig('The commandTimeoutMs option must be a number of milliseconds from 1 to 31536000000 \\(1 ms to 365 days\\)\\.$');
    expect(() => createRedisTokenStorage({ client, encryption, commandTimeoutMs })).toThrow(expected);
    expect(() => createRedisRateLimitCoordinator({ client, commandTimeoutMs })).toThrow(expected);
  });

  it.each([0, -1, Number.NaN])('commandTimeoutMs %s is INVALID_CONFIG for the shared DPoP key too (it used to fall back to a per-process key)', async (commandTimeoutMs) => {
    const expected = invalidConfig('The commandTimeoutMs option must be a number of milliseconds from 1 to 31536000000 \\(1 ms to 365 days\\)\\.$');
    await expect(loadSharedDpopKeyPair({ client, encryption, name: 'app', commandTimeoutMs })).rejects.toThrow(expected);
    await expect(loadSharedDpopKeyPair({ client, encryption, name: 'app', ttlMs: commandTimeoutMs })).rejects.toThrow(invalidConfig('The ttlMs option must be'));
  });

  it('the shared DPoP key needs a name, and a client it can use', async () => {
    await expect(loadSharedDpopKeyPair({ client, encryption, name: '' })).rejects.toThrow(invalidConfig('name must be a non-empty string'));
    await expect(loadSharedDpopKeyPair({ client, encryption } as unknown as Parameters<typeof loadSharedDpopKeyPair>[0])).rejects.toThrow(invalidConfig('name must be'));
    await expect(loadSharedDpopKeyPair({ client: {} as typeof client, encryption, name: 'app' })).rejects.toThrow(invalidConfig('client must be'));
  });

  it.each([
    ['windowMs', { windowMs: Number.POSITIVE_INFINITY }],
    ['windowMs', { windowMs: 0 }],
    ['spreadMs', { spreadMs: Number.POSITIVE_INFINITY }],
    ['spreadMs', { spreadMs: -1 }],
    ['spreadMs', { spreadMs: Number.NaN }],
  ])('the coordinator checks %s like every duration option: %o is INVALID_CONFIG', (name, bad) => {
    expect(() => createRedisRateLimitCoordinator({ client, ...bad })).toThrow(invalidConfig(`The ${name} option must be a number of milliseconds from 1 to 31536000000 \\(1 ms to 365 days\\)\\.$`));
  });

  it.each([2 ** 53, 1e21, 31_536_000_001, 31_536_000_000.5])('a duration past a year (%s ms), which Redis or a timer would refuse, is INVALID_CONFIG, never a PX Redis refuses on every call', async (ms) => {
    const expected = invalidConfig('The lockTtlMs option must be a number of milliseconds from 1 to 31536000000 \\(1 ms to 365 days\\)\\.$');
    expect(() => createRedisTokenStorage({ client, encryption, lockTtlMs: ms })).toThrow(expected);
    expect(() => createRedisTokenStorage({ client, encryption, defaultTtlMs: ms })).toThrow(invalidConfig('The defaultTtlMs option must be a number'));
    expect(() => createRedisRateLimitCoordinator({ client, windowMs: ms })).toThrow(invalidConfig('The windowMs option must be a number'));
    await expect(loadSharedDpopKeyPair({ client, encryption, name: 'app', ttlMs: ms })).rejects.toThrow(invalidConfig('The ttlMs option must be a number'));
  });

  // Core's timeouts take a fraction; a duration computed from seconds can carry one (0.1 * 3 * 1000 = 300.00000000000006), and was refused.
  it('a fraction of a millisecond is rounded up to a whole one, as Redis takes, never refused', async () => {
    const sent: string[][] = [];
    const scripted = { sendCommand: (args: string[]) => (sent.push(args), Promise.resolve(args[0] === 'SET' ? 'OK' : null)) };
    const store = createRedisTokenStorage({ client: scripted, encryption, commandTimeoutMs: 0.1 * 3 * 1000, maxWaitMs: 1000.5, pauseAfterFailureMs: 2.5, lockTtlMs: 0.1 * 3 * 1000, defaultTtlMs: 60_000.4 });
    await store.set('k', 'v');
    expect(await store.singleFlight?.('k', () => Promise.resolve({ value: 'token', expiresAt: Date.now() + 60_000 }), {})).toBe('token');
    expect(sent.filter(([name]) => name === 'SET').map((args) => args.slice(-2))).toEqual([['PX', '60001'], ['PX', '301'], ['PX', expect.stringMatching(/^\d+$/)]]);
    expect(createRedisRateLimitCoordinator({ client: scripted, windowMs: 60_000.5, spreadMs: 0.5 })).toBeDefined();
    await expect(loadSharedDpopKeyPair({ client: scripted, encryption, name: 'app', ttlMs: 1.5 })).resolves.toBeDefined();
    expect(sent.at(-1)?.slice(-2)).toEqual(['PX', '2']);
  });

  it('the longest lock (a year less a millisecond, below a maxWaitMs of a year) extends itself at most every 24.8 days (a timer past 2^31-1 ms fired every millisecond)', async () => {
    let extensions = 0;
    const counting = { sendCommand: (args: string[]) => (args[0] === 'EVAL' && args[1]?.includes('PEXPIRE') === true && extensions++, Promise.resolve(args[0] === 'SET' ? 'OK' : null)) };
    const store = createRedisTokenStorage({ client: counting, encryption, lockTtlMs: 31_535_999_999, maxWaitMs: 31_536_000_000 });
    const obtain = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { value: 'token', expiresAt: Date.now() + 60_000 };
    };
    expect(await store.singleFlight?.('k', obtain, {})).toBe('token');
    expect(extensions).toBe(0);
  });

  // lock164: with the defaults (lockTtlMs 5000, maxWaitMs 4000) a crashed holder's lock outlived every waiter's wait: each asked Okta itself.
  it.each([
    [{ lockTtlMs: 4000 }, 'The lockTtlMs option (4000 ms) must be below maxWaitMs (4000 ms)'],
    [{ lockTtlMs: 5000, maxWaitMs: 4000 }, 'The lockTtlMs option (5000 ms) must be below maxWaitMs (4000 ms)'],
    [{ maxWaitMs: 1000 }, 'The lockTtlMs option (its default, 2000 ms) must be below maxWaitMs (1000 ms)'],
    [{ lockTtlMs: 0.5, maxWaitMs: 1 }, 'The lockTtlMs option (1 ms) must be below maxWaitMs (1 ms)'],
  ])('a lockTtlMs not below maxWaitMs (%o) is INVALID_CONFIG naming both and what to change', (options, message) => {
    const advice = ": a crashed holder's lock must end while the other processes still wait for it. Lower lockTtlMs or raise maxWaitMs.";
    expect(() => createRedisTokenStorage({ client, encryption, ...options })).toThrow(expect.objectContaining({ name: 'OktaRedisStoreError', code: 'INVALID_CONFIG', message: message + advice }));
  });

  it('a lockTtlMs below maxWaitMs is taken, and so are the defaults (2000 and 4000)', () => {
    for (const options of [{}, { lockTtlMs: 3999 }, { maxWaitMs: 2001 }, { lockTtlMs: 100, maxWaitMs: 200 }]) expect(() => createRedisTokenStorage({ client, encryption, ...options })).not.toThrow();
  });

  it('a duration given null is its default, as nothing is (as the Durable Object store reads it; it used to be refused)', () => {
    expect(() => createRedisTokenStorage({ client, encryption, lockTtlMs: null, commandTimeoutMs: null } as never)).not.toThrow();
    expect(() => createRedisRateLimitCoordinator({ client, windowMs: null, spreadMs: null } as never)).not.toThrow();
  });

  it('a spreadMs of 0 (waiters all resume at the reset) stays allowed', () => {
    expect(() => createRedisRateLimitCoordinator({ client, spreadMs: 0 })).not.toThrow();
  });

  it('the token storage tells the credential to bound its calls above its own command timeout', () => {
    expect(createRedisTokenStorage({ client, encryption }).timeoutMs).toBe(1000);
    expect(createRedisTokenStorage({ client, encryption, commandTimeoutMs: 2500 }).timeoutMs).toBe(5000);
  });

  it('a client with neither sendCommand nor call is INVALID_CONFIG for both', () => {
    const none = {} as typeof client;
    expect(() => createRedisTokenStorage({ client: none, encryption })).toThrow(invalidConfig('client must be'));
    expect(() => createRedisRateLimitCoordinator({ client: none })).toThrow(invalidConfig('client must be'));
  });

  it('the prefix goes in front of every key, with the same default', async () => {
    const sent: string[][] = [];
    const recording = { sendCommand: (args: string[]) => (sent.push(args), Promise.resolve(0)) };
    await createRedisRateLimitCoordinator({ client: recording }).reserve({ origin: 'https://acme.okta.com', bucket: '/api/v1/users' });
    await createRedisRateLimitCoordinator({ client: recording, prefix: 'billing:' }).reserve({ origin: 'https://acme.okta.com', bucket: '/api/v1/users' });
    expect(sent.map((args) => args[3]?.replace(/:[\w-]{43}$/, ':…'))).toEqual(['okta:rl:v1:…', 'billing:rl:v1:…']);
  });
});

describe('RedisCommands: every command bounded by core settleWithin', () => {
  const options = { timeoutMs: 50, pauseAfterFailureMs: 60_000 };

  it('a client that never answers is REDIS_UNAVAILABLE naming the bound, then Redis is paused', async () => {
    let sent = 0;
    const hung = new RedisCommands({ sendCommand: () => (sent++, new Promise<never>(() => undefined)) }, options);
    await expect(hung.run(['GET', 'k'])).rejects.toThrow(expect.objectContaining({ code: 'REDIS_UNAVAILABLE', message: "Redis did not answer within 50 ms (commandTimeoutMs): check that Redis is running and reachable at your client's address." }));
    await expect(hung.run(['GET', 'k'])).rejects.toThrow(expect.objectContaining({ code: 'REDIS_UNAVAILABLE', message: "Redis is skipped for 60000 ms after a failure (pauseAfterFailureMs): check that Redis is running and reachable at your client's address." }));
    expect(sent).toBe(1);
  });

  it("the client's error, thrown or rejected, is REDIS_UNAVAILABLE with its name and message as cause, nothing of the command; an answer passes as itself", async () => {
    const sealed = 'v1.k1.c2VhbGVkLWVudHJ5LWl2.c2VhbGVkLWVudHJ5LWNpcGhlcnRleHQ';
    // ioredis keeps the command on its error; a Redis reply may quote an argument.
    const cause = Object.assign(new Error(`READONLY You can't write against a read only replica. ('${sealed}')`), { name: 'ReplyError', command: { name: 'SET', args: ['k', sealed] } });
    const throwing = new RedisCommands({ call: () => { throw cause; } }, options);
    const rejecting = new RedisCommands({ sendCommand: () => Promise.reject(cause) }, options);
    for (const commands of [throwing, rejecting]) {
      const error: unknown = await commands.run(['SET', 'k', sealed]).catch((reason: unknown) => reason);
      expect(isOktaRedisStoreError(error) && error.code).toBe('REDIS_UNAVAILABLE');
      const copy = (error as Error).cause as Error;
      expect([copy.name, copy.message]).toEqual(['ReplyError', expect.stringMatching(/^READONLY You can't write against a read only replica\. \('\[redacted/)]);
      expect(Object.keys(copy)).toEqual(['name']); // no command, no args
      expect(copy.cause).toBeUndefined();
    }
    expect(await new RedisCommands({ sendCommand: () => Promise.resolve('OK') }, options).run(['PING'])).toBe('OK');
  });

  it("a client's failure that is no Error is copied by what it is: a string as the message, anything else said so; the error's words are Redis's", async () => {
    const copied = async (reason: unknown) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a client's rejection that is no Error is the case under test
      const error = (await new RedisCommands({ sendCommand: () => Promise.reject(reason) }, options).run(['GET', 'k']).catch((caught: unknown) => caught)) as Error;
      expect(error).toMatchObject({ code: 'REDIS_UNAVAILABLE', message: 'Redis answered with an error (its reason is the cause).' });
      return [(error.cause as Error).name, (error.cause as Error).message];
    };
    expect(await copied('ERR unknown command')).toEqual(['Error', 'ERR unknown command']);
    expect(await copied({ name: 'ReplyError', message: 'OOM' })).toEqual(['Error', 'the client failed without an Error']);
    expect(await copied(Object.assign(new Error('NOPERM'), { name: 42 }))).toEqual(['Error', 'NOPERM']);
  });

  it('the pause after a failure ends at pauseAfterFailureMs to the millisecond', async () => {
    // The pause is on the monotonic clock: `performance.now()` is what is faked and moved (timers stay real).
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      let sent = 0;
      const failing = new RedisCommands({ sendCommand: () => (sent++, Promise.reject(new Error('LOADING'))) }, options);
      await expect(failing.run(['GET', 'k'])).rejects.toThrow('Redis answered with an error');
      vi.advanceTimersByTime(options.pauseAfterFailureMs - 1);
      await expect(failing.run(['GET', 'k'])).rejects.toThrow('after a failure (pauseAfterFailureMs)');
      expect(sent).toBe(1);
      vi.advanceTimersByTime(1);
      await expect(failing.run(['GET', 'k'])).rejects.toThrow('Redis answered with an error');
      expect(sent).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  // The pause is measured on the monotonic clock: an NTP step or a user moving the wall clock (Date) neither stretches nor ends it.
  it('the pause ends after pauseAfterFailureMs when the wall clock moves back an hour during it (it skipped Redis for an hour)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(1_800_000_000_000);
      let sent = 0;
      const failing = new RedisCommands({ sendCommand: () => (sent++, Promise.reject(new Error('LOADING'))) }, { timeoutMs: 50, pauseAfterFailureMs: 50 });
      await expect(failing.run(['GET', 'k'])).rejects.toThrow('Redis answered with an error');
      vi.setSystemTime(1_800_000_000_000 - 3_600_000);
      // Timers are real: a sleep is a lower bound, and this one outlasts the 50 ms pause (with a margin for a timer's millisecond rounding).
      await new Promise((resolve) => setTimeout(resolve, 120));
      await expect(failing.run(['GET', 'k'])).rejects.toThrow('Redis answered with an error');
      expect(sent).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the pause goes on when the wall clock moves forward an hour during it (it ended at once)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(1_800_000_000_000);
      let sent = 0;
      const failing = new RedisCommands({ sendCommand: () => (sent++, Promise.reject(new Error('LOADING'))) }, options);
      await expect(failing.run(['GET', 'k'])).rejects.toThrow('Redis answered with an error');
      vi.setSystemTime(1_800_000_000_000 + 3_600_000);
      await expect(failing.run(['GET', 'k'])).rejects.toThrow('Redis is skipped for 60000 ms after a failure (pauseAfterFailureMs)');
      expect(sent).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
