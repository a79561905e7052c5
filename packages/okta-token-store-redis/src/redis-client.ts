import { checkDuration, maxDurationMs, printable, settleWithin } from '@org/okta-auth-core/internal';
import { OktaRedisStoreError } from './errors.js';

/**
 * The one thing this package needs from a Redis client: send a command, get its reply. Both
 * well-kept Node.js clients have it, so you pass the client you already run (TLS, auth,
 * cluster, sentinel and reconnection stay yours):
 * - node-redis (`redis`): `client.sendCommand(['GET', key])`; its cluster client (`createCluster`),
 *   `cluster.sendCommand(key, false, ['GET', key])`; its Sentinel client (`createSentinel`),
 *   `sentinel.sendCommand(false, ['GET', key])` (to the master: never a replica, which may lag);
 * - ioredis, and its `Cluster` and Sentinel mode: `client.call('GET', key)`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import type { RedisClientLike } from '@org/okta-token-store-redis';
 *
 * const client: RedisClientLike = await createClient({ url: process.env.REDIS_URL! }).connect();
 * ```
 * @see https://redis.io/docs/latest/develop/clients/nodejs/
 */
export type RedisClientLike =
  | {
      /** node-redis: sends one command (`['GET', key]`) and resolves with its reply. */
      sendCommand(args: string[]): Promise<unknown>;
    }
  | {
      /**
       * node-redis cluster (`createCluster`): `sendCommand(firstKey, isReadonly, args)` sends one
       * command to the node of that key (typed loosely, so a `sendCommand(args)` you write stays typed).
       */
      sendCommand: object;
      /** What tells a node-redis cluster client apart. */
      getSlotMaster(slot: number): unknown;
    }
  | {
      /**
       * node-redis Sentinel (`createSentinel`): `sendCommand(isReadonly, args)` sends one command to
       * the master the Sentinels name (typed loosely, like the cluster's).
       */
      sendCommand: object;
      /** What tells a node-redis Sentinel client apart. */
      getMasterNode(): unknown;
    }
  | {
      /** ioredis: sends one command (`'GET', key`) and resolves with its reply. */
      call(command: string, ...args: string[]): Promise<unknown>;
    };

/**
 * What every part of this package that talks to Redis takes: your client, the key prefix and the
 * bound on each command, checked by one function for all of them. {@link RedisTokenStorageOptions},
 * {@link RedisRateLimitOptions} and {@link SharedDpopKeyOptions} extend it.
 *
 * @example
 * ```ts
 * import type { RedisClientLike, RedisConnectionOptions } from '@org/okta-token-store-redis';
 *
 * declare const client: RedisClientLike;
 * const connection: RedisConnectionOptions = { client, prefix: 'billing:okta:', commandTimeoutMs: 300 };
 * ```
 * @see https://redis.io/docs/latest/develop/clients/nodejs/
 */
export interface RedisConnectionOptions {
  /** Your connected node-redis or ioredis client (TLS, auth, cluster stay yours). */
  readonly client: RedisClientLike;
  /** Prefix of every Redis key. @default 'okta:' */
  readonly prefix?: string | undefined;
  /**
   * Bound on each Redis command; slower counts as Redis trouble, and the call goes on without
   * Redis. Default: 500 ms for the token storage and the shared DPoP key, 200 ms for the rate-limit coordinator (it sits
   * in front of every call), which declares it plus 50 ms as core's bound on each call into it (at most core's 10 s).
   */
  readonly commandTimeoutMs?: number | undefined;
}

/** Refuses options that are not an object (`INVALID_CONFIG`: `needs` says what to pass), before any is read: the package's one check of it. @internal */
export function checkOptions(options: unknown, needs: string): void {
  if (typeof options !== 'object' || options === null) throw new OktaRedisStoreError('INVALID_CONFIG', needs);
}

/** The longest duration option: a year, in ms (Redis's `PX` takes whole milliseconds only): core's one constant of it. @internal */
export { maxDurationMs };

/**
 * `value` in ms from 1 to a year, rounded up to a whole one (Redis's `PX` takes no fraction), or
 * `fallback` when it is not given: core's one check of a duration (`checkDuration`), refused with
 * this package's `INVALID_CONFIG` naming the option (Redis refuses a `PX` of `1e+21` on every call,
 * which the credential would only ever see as Redis trouble). Given `below` (`lockTtlMs`: the
 * checked `maxWaitMs`), it must also be under that one, or a dead holder's lock outlasts every
 * waiter's wait: refused naming both options and what to change, by core's one rule of it (`checkDuration`'s `below`). @internal
 */
export function positiveMs(value: unknown, fallback: number, name: string, below?: readonly [name: string, ms: number]): number {
  const why = "a crashed holder's lock must end while the other processes still wait for it";
  return checkDuration(value, name, fallback, [1, maxDurationMs], (message) => new OktaRedisStoreError('INVALID_CONFIG', message), below && [below[0], below[1], why]);
}

/** The commands and key prefix of a {@link RedisConnectionOptions}, its timeout checked. @internal */
export function connect(options: RedisConnectionOptions, defaults: { timeoutMs: number; pauseAfterFailureMs: number }): { redis: RedisCommands; prefix: string } {
  const redis = new RedisCommands(options.client, { ...defaults, timeoutMs: positiveMs(options.commandTimeoutMs, defaults.timeoutMs, 'commandTimeoutMs') });
  return { redis, prefix: options.prefix ?? 'okta:' };
}

/** Options of one {@link RedisCommands.run}. @internal */
export interface RunOptions {
  /**
   * Sent even while Redis is skipped after a failure (`pauseAfterFailureMs`): the extension or release
   * of a lock this process holds, or may hold (its `SET NX` timed out), which no other process can end
   * sooner than its expiry. Still bounded by the command's timeout.
   */
  readonly duringPause?: boolean | undefined;
  /**
   * Resolves `undefined`, nothing sent, when the client is closed ({@link RedisCommands.closed}), where any other
   * command fails: the rate-limit coordinator's observation, which core sends without awaiting it, so it may reach the
   * client after the caller's `quit()` (README, "Shutting down"). Nothing of the caller's is lost with it.
   */
  readonly skipIfClosed?: boolean | undefined;
}

/** Options of {@link RedisCommands}. @internal */
export interface RedisCommandOptions {
  /** Bound on one command. */
  readonly timeoutMs: number;
  /** After a failure, commands fail at once for this long (so a dead Redis costs one timeout, not one per call). */
  readonly pauseAfterFailureMs: number;
}

const decoder = new TextDecoder();

/**
 * What a `REDIS_UNAVAILABLE` of a Redis that did not answer says to do. Not "continuing without
 * it": a credential goes on without Redis, but a sign-in, `restoreCredential` or a user's renewal
 * whose write fails gets this error, and its caller did not go on.
 */
const checkRedis = "check that Redis is running and reachable at your client's address.";

/** What a command on a closed client (node-redis's never connected too: `isOpen` false) fails with: nothing was sent, so nothing written (README, "Shutting down"). */
const closedClient = 'The Redis client is closed (quit(), close() or disconnect() was called, or it stopped reconnecting, or connect() was never called): nothing was sent. Close it once your last call settled.';

/**
 * An integer reply as a number: a number as most clients answer one, a bigint or decimal text from
 * a client that maps reply types (node-redis `withTypeMapping`, `[RESP_TYPES.NUMBER]: String`), else
 * `undefined`. The package's one reading of an integer reply (a lock's `EXISTS`, a script's count or wait).
 * Only a safe integer (`Number.isSafeInteger`, at most 2^53 - 1 either way) is one: Redis answers up to
 * 2^63 - 1, and a number past 2^53 is no longer the one Redis sent; none of ours comes near
 * (a wait is milliseconds to a reset), so such an answer is a corrupt or hostile state, refused as any
 * other that is no integer (`REDIS_UNAVAILABLE` where a caller needs one). @internal
 */
export function integerReply(reply: unknown): number | undefined {
  const value = typeof reply === 'number' ? reply : typeof reply === 'bigint' || (typeof reply === 'string' && /^-?\d{1,20}$/.test(reply)) ? Number(reply) : undefined;
  return Number.isSafeInteger(value) ? value : undefined;
}

const boundedGetScript =
  "local t = redis.call('TYPE', KEYS[1]).ok if t ~= 'string' and t ~= 'none' then return -1 end local n = redis.call('STRLEN', KEYS[1]) if n > tonumber(ARGV[1]) then return n end return redis.call('GET', KEYS[1])";

/**
 * Sends commands to the user's client, each bounded by a timeout; after a failure, fails fast
 * for a short pause. Never throws anything but `REDIS_UNAVAILABLE`.
 * @internal
 */
export class RedisCommands {
  readonly #send: (args: string[]) => Promise<unknown>;
  /**
   * Whether the client is closed for good: node-redis `isOpen` false (after `quit()`, `close()`, `destroy()`, or once its
   * `reconnectStrategy` gave up; before `connect()` too), ioredis `status` `'end'` (after `quit()`, `disconnect()`, or once its `retryStrategy` gave
   * up). A client reconnecting after a drop is open (its command fails or waits as the client decides), and so is a
   * client of yours that says neither.
   */
  readonly closed: () => boolean;
  readonly #options: RedisCommandOptions;
  /** When the pause after a failure ends, on the monotonic clock (`performance.now()`, as core's bounds): a wall clock moved by NTP or a user neither stretches nor ends it. */
  #pausedUntil = Number.NEGATIVE_INFINITY;

  /** The bound on one command, in ms. */
  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  /** Whether commands are skipped now, after a failure (`pauseAfterFailureMs`): one `run` now sends nothing, unless `duringPause`. */
  get paused(): boolean {
    return performance.now() < this.#pausedUntil;
  }

  constructor(client: RedisClientLike, options: RedisCommandOptions) {
    const refusal = () => new OktaRedisStoreError('INVALID_CONFIG', 'client must be a connected node-redis client (it has sendCommand) or ioredis client (it has call).');
    if (typeof client !== 'object' || (client as RedisClientLike | null) === null) throw refusal();
    // ioredis has both `call(name, ...args)` and a `sendCommand(Command)` of its own: check `call` first.
    const state = client as { isOpen?: unknown; status?: unknown };
    const ioredis = 'call' in client && typeof client.call === 'function';
    this.closed = ioredis ? () => state.status === 'end' : () => state.isOpen === false;
    if (ioredis) {
      this.#send = (args) => client.call(args[0] ?? '', ...args.slice(1));
    } else if ('getSlotMaster' in client && typeof client.sendCommand === 'function') {
      // A node-redis cluster routes by the key it is given first: every command here has one key (EVAL's follows the script and `1`).
      const cluster = client as unknown as { sendCommand(firstKey: string | undefined, isReadonly: boolean, args: string[]): Promise<unknown> };
      this.#send = (args) => cluster.sendCommand(args[0] === 'EVAL' ? args[3] : args[1], false, args);
    } else if ('getMasterNode' in client && typeof client.sendCommand === 'function') {
      // A node-redis Sentinel client: not read-only, so every command goes to the master (a lock read on a lagging replica would be stale).
      const sentinel = client as unknown as { sendCommand(isReadonly: boolean, args: string[]): Promise<unknown> };
      this.#send = (args) => sentinel.sendCommand(false, args);
    } else if ('sendCommand' in client && typeof client.sendCommand === 'function') {
      const node = client as { sendCommand(args: string[]): Promise<unknown> };
      this.#send = (args) => node.sendCommand(args);
    } else {
      throw refusal();
    }
    this.#options = options;
  }

  /**
   * GET of a value of at most `maxChars` (an ASCII entry): Redis checks its length first (one
   * script), so a longer value never crosses the wire; it reads as its length (a number). A key
   * holding another type (a hash, a list: written by someone else) reads as `-1`, a corrupt entry,
   * never the `WRONGTYPE` error that would pause Redis for every key.
   */
  getAtMost(key: string, maxChars: number): Promise<unknown> {
    return this.run(['EVAL', boundedGetScript, '1', key, String(maxChars)]);
  }

  async run(args: string[], options?: RunOptions): Promise<unknown> {
    // Not Redis's trouble: no pause, and the observation core does not await is dropped without a word (`skipIfClosed`).
    if (this.closed()) {
      if (options?.skipIfClosed === true) return undefined;
      throw new OktaRedisStoreError('REDIS_UNAVAILABLE', closedClient);
    }
    if (options?.duringPause !== true && this.paused) throw new OktaRedisStoreError('REDIS_UNAVAILABLE', `Redis is skipped for ${this.#options.pauseAfterFailureMs} ms after a failure (pauseAfterFailureMs): ${checkRedis}`);
    // Core's one bounded call into user code (the client is yours): a hung command is abandoned.
    const outcome = await settleWithin(() => this.#send(args), { timeoutMs: this.#options.timeoutMs });
    // A client that maps replies to Buffers (node-redis `withTypeMapping`) answers bytes: read as text, or every entry would be corrupt and no lock ours.
    if (outcome.ok) return outcome.value instanceof Uint8Array ? decoder.decode(outcome.value) : outcome.value;
    this.#pausedUntil = performance.now() + this.#options.pauseAfterFailureMs;
    throw outcome.reason === 'timeout'
      ? new OktaRedisStoreError('REDIS_UNAVAILABLE', `Redis did not answer within ${this.#options.timeoutMs} ms (commandTimeoutMs): ${checkRedis}`)
      : new OktaRedisStoreError('REDIS_UNAVAILABLE', 'Redis answered with an error (its reason is the cause).', { cause: clientError(outcome.error, args) });
  }
}

/**
 * The client's error as a cause: its name and message (Redis's reason: `OOM …`, `NOPERM …`, a closed
 * connection), the command's arguments scrubbed out of the message (core's `printable`), and nothing
 * else. Never the client's own error: ioredis keeps the command on it (`command.args`: a sealed
 * entry, a lock owner), which `util.inspect` and loggers print.
 */
function clientError(error: unknown, args: readonly string[]): Error {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'the client failed without an Error';
  const cause = new Error(printable(message, args.slice(1), 300));
  if (error instanceof Error && typeof error.name === 'string') cause.name = printable(error.name, [], 60);
  return cause;
}
