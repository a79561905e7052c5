import { coordinateRateLimits, type CoordinatedRateLimits, type OktaLogger, type RateLimitObservation, type RateLimitScope } from '@org/okta-auth-core';
import { checkRateLimitOptions, coordinatorTimeoutMs, resetInMs, sha256Base64url, spentPathKey } from '@org/okta-auth-core/internal';
import { OktaRedisStoreError } from './errors.js';
import { checkOptions, connect, integerReply, maxDurationMs, type RedisConnectionOptions } from './redis-client.js';

/**
 * Options of {@link createRedisRateLimitCoordinator}.
 * @example
 * ```ts
 * const options: RedisRateLimitOptions = { client, headroom: 0.1, logger: (event) => console.warn(event) };
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface RedisRateLimitOptions extends RedisConnectionOptions {
  /** Share of each limit the fleet leaves unused (for other clients of the org): a number from 0 to below 1. @default 0.05 */
  readonly headroom?: number | undefined;
  /** Okta's window, in ms (1 ms to a year). @default 60000 */
  readonly windowMs?: number | undefined;
  /** Waiters resume spread over this long after the reset (0: all at the reset; else 1 ms to a year). @default windowMs */
  readonly spreadMs?: number | undefined;
  /**
   * Receives the coordinator's `rate-limit-coordinator` events, bounded per Redis outage: its first failure, then at most
   * one event of any kind every 30 s (`suppressed`: the failures left out), a `recovered` at the first call Redis answers
   * past them (a Redis failing on and off is one outage). Given, the asking clients' loggers get none of them; without
   * it, each client's logger gets one per failed call (two a call while Redis is down).
   */
  readonly logger?: OktaLogger | undefined;
}

/**
 * The first lines of both scripts: a bucket key holding another Redis type (a string, a list, written by
 * someone else) starts over as a cold bucket, so the hash commands below never meet WRONGTYPE, which
 * would be Redis trouble and pause the coordinator for every bucket; so does a bucket with a field that
 * is no whole number of at most 15 digits (ours are milliseconds since 1970 or counts): `'x'` fails a
 * comparison or `HINCRBY`, one at 2^63 - 1 overflows it, `'nan'` never ends a window, a negative `used`
 * hands out a window of extra requests. `spent` is `1` (Okta said the window is spent) or `0`; `spath` is no number: the
 * path key (core's `spentPathKey`) whose answer said so, only ever compared with a reserve's. No release before bucket164
 * shares a bucket with this one (its keys hash a bucket without the method class, `GET …`/`write …`): budgets stay apart
 * during a rolling deploy, each release counting its own.
 */
const startOver = `if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then redis.call('DEL', KEYS[1]) else
  for _, v in ipairs(redis.call('HMGET', KEYS[1], 'limit', 'reset', 'used', 'waiters', 'probe', 'pause', 'pslot')) do
    if v and (#v > 15 or not string.find(v, '^%d+$')) then redis.call('DEL', KEYS[1]) break end
  end
end`;

/**
 * The bucket's clock: Redis's (`TIME`), one for the whole fleet. Each process's own `Date.now()` drifts
 * (a VM, a container without NTP): a process seconds ahead saw a window's reset passed and opened a
 * new one for every process while Okta still counted the old. An observation's reset comes as a time
 * from now (core moved it to the local clock through the answer's `Date`), so no process clock is
 * ever stored. `replicate_commands` lets a script write after `TIME` before Redis 5 (where it is the default).
 */
const redisNow = `if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/** Records what one answer said: a new window, the limit, the fleet's use (`limit - remaining`). */
const observeScript = `
${startOver}
${redisNow}
local limit, remaining, resetIn, status, windowMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
-- ARGV[6]: the answer's path key (43 characters), kept as 'spath' when the answer says the window is spent
local resetAt = resetIn and now + resetIn
-- Okta's concurrent-limit 429 (Limit and Remaining 0, a suggested reset): too many requests in flight in
-- the org, which clears as they end. Not the bucket's window: its limit, reset and count stay; the bucket
-- pauses until the suggested reset, at least a second (as core waits one without a coordinator), at most
-- a window (a reset suggested hours ahead would leave the fleet uncoordinated that long).
if status == 429 and limit == 0 then
  local pause = math.max(math.min(resetAt or 0, now + windowMs), now + 1000)
  local known = tonumber(redis.call('HGET', KEYS[1], 'pause') or '0')
  if known <= now then redis.call('HSET', KEYS[1], 'pause', pause, 'pslot', 0)
  elseif pause > known then redis.call('HSET', KEYS[1], 'pause', pause) end
  if redis.call('PTTL', KEYS[1]) < windowMs then redis.call('PEXPIRE', KEYS[1], windowMs) end
  return 1
end
if not limit and status ~= 429 then
  redis.call('HSET', KEYS[1], 'unlimited', 1)
  redis.call('PEXPIRE', KEYS[1], windowMs)
  return 0
end
redis.call('HDEL', KEYS[1], 'unlimited')
local current = tonumber(redis.call('HGET', KEYS[1], 'reset') or '0')
local known = tonumber(redis.call('HGET', KEYS[1], 'limit') or '-1')
if resetAt and (resetAt > current + 1500 or (limit and limit ~= known)) then
  -- a new window, or a changed limit: start over from what Okta says
  redis.call('HSET', KEYS[1], 'reset', resetAt, 'used', 0, 'waiters', 0, 'spent', 0, 'spath', '')
  current = resetAt
end
if limit then redis.call('HSET', KEYS[1], 'limit', limit) end
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
if limit and remaining and resetAt and resetAt >= current - 1500 and limit - remaining > used then
  redis.call('HSET', KEYS[1], 'used', limit - remaining)
end
if status == 429 then
  local exhausted = tonumber(redis.call('HGET', KEYS[1], 'limit') or '1')
  if exhausted > used then redis.call('HSET', KEYS[1], 'used', exhausted) end
end
-- said by Okta for this window (never guessed), for the answer's path (the bucket folds endpoints Okta limits apart): a 429, or none left
if resetAt and current > 0 and resetAt >= current - 1500 and (status == 429 or remaining == 0) then redis.call('HSET', KEYS[1], 'spent', 1, 'spath', ARGV[6]) end
redis.call('PEXPIRE', KEYS[1], windowMs * 3)
return 1
`;

/** Takes one request from the fleet's budget, or says how long to wait (spread by arrival). */
const reserveScript = `
${startOver}
${redisNow}
local windowMs, spreadMs, headroom, left = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local h = redis.call('HMGET', KEYS[1], 'limit', 'reset', 'used', 'waiters', 'unlimited', 'probe', 'pause', 'spent', 'spath')
local limit, reset, used, waiters = tonumber(h[1]), tonumber(h[2]), tonumber(h[3] or '0'), tonumber(h[4] or '0')
local pause = tonumber(h[7])
-- what the window may spend: the limit less its headroom, at least one request kept back
local budget = limit and limit - math.max(1, math.floor(limit * headroom))
if pause and now < pause then
  -- paused by a concurrent-limit 429: each waiter a step of the limit's pace after the one before
  local step = budget and spreadMs / math.max(budget, 1) or 0
  local wait = (pause - now) + math.floor(tonumber(redis.call('HGET', KEYS[1], 'pslot') or '0') * step)
  -- a wait past what the call has left (ARGV[4]) is not taken: it keeps no place
  if not left or wait <= left then redis.call('HINCRBY', KEYS[1], 'pslot', 1) end
  return wait
end
if h[5] then return 0 end
if not limit or not reset then
  -- one probe a second, kept in the bucket's own hash: a script touches only the key it declares (Redis Cluster);
  -- the other callers wait for its answer or its second's end, at most 250 ms at a time (core asks on while waits are that long)
  local probe = tonumber(h[6]) or 0
  if now < probe then return math.min(probe - now, 250) end
  local cold = redis.call('EXISTS', KEYS[1]) == 0
  redis.call('HSET', KEYS[1], 'probe', now + 1000)
  if cold then redis.call('PEXPIRE', KEYS[1], 1000) end
  return 0
end
if now >= reset then
  reset = reset + windowMs * math.ceil((now - reset + 1) / windowMs)
  redis.call('HSET', KEYS[1], 'reset', reset, 'used', 0, 'waiters', 0, 'spent', 0, 'spath', '')
  used, waiters = 0, 0
end
if used < budget then
  redis.call('HINCRBY', KEYS[1], 'used', 1)
  return 0
end
local wait = (reset - now) + math.floor(waiters * spreadMs / math.max(budget, 1))
if not left or wait <= left then redis.call('HINCRBY', KEYS[1], 'waiters', 1) return wait end
-- past what is left: no place kept; a window Okta said is spent for this path (ARGV[5], its key), its reset within a window (2 s over
-- for whole seconds), answers its reset too (the call fails, nothing sent). 'spath' counts only beside a '1'.
if h[8] == '1' and h[9] == ARGV[5] and reset - now <= windowMs + 2000 then return { wait, reset - now } end
return wait
`;

/**
 * A rate-limit coordinator on Redis, wrapped by core's `coordinateRateLimits` (ready for the
 * `rateLimitCoordinator` option of every client): one budget per (org, endpoint bucket) for every
 * process of a fleet. Each answer's `X-Rate-Limit-*` headers update the shared state; each
 * request takes one unit of the budget (the limit less `headroom`) or waits for the window's
 * reset, and waiters resume spread over `spreadMs` at the limit's pace instead of all at the
 * reset second. A cold bucket sends one probe at a time until Okta's first answer says the
 * limit. Redis trouble skips coordination for that request (the core bounds every call).
 *
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createServiceAppCredential, type ServiceAppCredentialOptions } from '@org/okta-oauth';
 * import { createRedisRateLimitCoordinator, type RedisClientLike } from '@org/okta-token-store-redis';
 *
 * declare const client: RedisClientLike; // your connected node-redis or ioredis client
 * declare const options: ServiceAppCredentialOptions;
 * const rateLimitCoordinator = createRedisRateLimitCoordinator({ client });
 * const credential = createServiceAppCredential({ ...options, rateLimitCoordinator });
 * const okta = createOktaFetch({ credential, rateLimitCoordinator });
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 */
export function createRedisRateLimitCoordinator(options: RedisRateLimitOptions): CoordinatedRateLimits {
  checkOptions(options, 'createRedisRateLimitCoordinator needs { client }.');
  // Core's one check of the options both fleet coordinators take (a headroom of ' ' used to pass: nil in the script).
  const { headroom, windowMs, spreadMs } = checkRateLimitOptions(options, (message) => new OktaRedisStoreError('INVALID_CONFIG', message));
  const { redis, prefix } = connect(options, { timeoutMs: 200, pauseAfterFailureMs: 1000 });
  const keyOf = async (scope: RateLimitScope) => `${prefix}rl:v1:${await sha256Base64url(`${scope.origin} ${scope.bucket}`)}`;
  // Wrapped by core (bounded calls, waits within the retry budget; failures to `logger`, bounded per outage): ready for the rateLimitCoordinator option.
  return coordinateRateLimits({
    // Core's bound on each call: the command's plus 50 ms (the key's hashing), at most core's 10 s, so Redis's own bound
    // decides a slow command (until coord165 core cut every call at 250 ms, a Redis answering in 300 ms skipped).
    timeoutMs: coordinatorTimeoutMs(redis.timeoutMs),
    async reserve(scope: RateLimitScope, maxWaitMs?: number) {
      // What the call has left to wait, whole ms ('': no bound): a wait past it keeps no place in the queue.
      const left = maxWaitMs !== undefined && maxWaitMs >= 0 ? String(Math.floor(Math.min(maxWaitMs, maxDurationMs))) : '';
      const answer = await redis.run(['EVAL', reserveScript, '1', await keyOf(scope), String(windowMs), String(spreadMs), String(headroom), left, await spentPathKey(scope, prefix)]);
      // A window Okta said is spent: [wait, ms to its reset] (the call fails, nothing sent).
      const spent = Array.isArray(answer) && answer.length === 2 ? integerReply(answer[1]) : undefined;
      // The one reading of an integer reply (a client mapping reply types answers a bigint or text): a safe integer, else undefined.
      const reply = integerReply(Array.isArray(answer) && spent !== undefined ? answer[0] : answer);
      // Only an integer of at least 0 is a wait (a tampered bucket, `limit` = `inf`, gives a negative one, a `reset` ages ahead one past 2^53); past a year it is a year.
      if (reply === undefined || !(reply >= 0)) {
        const shown = reply !== undefined ? String(reply) : answer === null || answer === undefined ? 'nothing' : Array.isArray(answer) ? 'an array' : typeof answer === 'object' ? 'an object' : `a ${typeof answer}`;
        throw new OktaRedisStoreError('REDIS_UNAVAILABLE', `Redis answered the rate-limit script with ${shown}, not a wait in milliseconds; the bucket's state is corrupt: delete its key (${prefix}rl:v1:…) or let it expire (three windows).`);
      }
      const wait = Math.min(reply, maxDurationMs);
      return spent !== undefined && spent >= 0 ? { wait, resetIn: Math.min(spent, wait) } : wait;
    },
    async observe(scope, observation: RateLimitObservation) {
      // Whole numbers of at most 15 digits or none: core read what the answer said once (`seenAnswer`), for
      // the Durable Object coordinator too. A limit of -1 or 2^53 used to be stored, then taken for a corrupt
      // bucket by the next script: a cold bucket here, a window without budget there.
      const text = (value: number | undefined) => (value === undefined ? '' : String(value));
      // The reset as a time from now, which the script adds to Redis's clock (no process's clock is stored),
      // at most a year either way: core's one clamp of it (`resetInMs`), the Durable Object coordinator's too.
      // One dated past a year ahead would make a wait past 2^53 ms, which the reply reader refuses as a
      // corrupt bucket; one over a year back (`X-Rate-Limit-Reset: 0`) rolled its windows from then, and on a
      // Redis whose clock is behind the process's it was a negative reset, which the next script takes for a
      // corrupt bucket and starts over cold.
      const resetIn = resetInMs(observation.resetAt, Date.now());
      await redis.run(['EVAL', observeScript, '1', await keyOf(scope), text(observation.limit), text(observation.remaining), text(resetIn), String(observation.status), String(windowMs), await spentPathKey(scope, prefix)], { skipIfClosed: true });
    },
  }, options.logger);
}
