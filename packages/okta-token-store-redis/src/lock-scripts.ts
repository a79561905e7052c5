import { maxDurationMs } from './redis-client.js';

/**
 * The Lua scripts of the token storage (`redis-token-storage.ts`): each one step of Redis on one key (a Redis Cluster
 * keeps every script on one key), comparing before it writes: the fleet lock's release, extension and check, and the
 * entries' compare-and-delete and compare-and-set.
 */

/**
 * The one Lua test that KEYS[1] holds `ARGV[n]` (our lock's owner id, an entry's sealed text): a string
 * holding it; a key turned into another type meanwhile (a hash, by someone else) is not ours, and is
 * never read by a `GET`, whose WRONGTYPE error would pause Redis for every key.
 */
const holds = (n: number): string => `redis.call('TYPE', KEYS[1]).ok == 'string' and redis.call('GET', KEYS[1]) == ARGV[${n}]`;

/**
 * Deletes a key only if it holds ARGV[1], in one step of Redis: the lock if it is still ours, an entry if it is still that sealed text. @internal
 */
export const deleteIfScript = `if ${holds(1)} then return redis.call('DEL', KEYS[1]) else return 0 end`;
/**
 * Replaces an entry only if it still holds ARGV[1], the sealed text a user's renewal read (under the lock, or by
 * `replaceIfEqual`), in one step of Redis: a removal since that read (a sign-out on any process: the key deleted, or a new
 * sign-in written) refuses the write. @internal
 */
export const replaceIfScript = `if ${holds(1)} then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`;
/** Extends the lock only if it is still ours. @internal */
export const extendScript = `if ${holds(1)} then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/**
 * Whether KEYS[1] holds an owner id, the value every holder of every release writes in its lock: `randomId(16)`, 16 random
 * bytes in base64url without padding (before 5198453c, the store's own copy of the same), so 22 characters of the
 * base64url alphabet, the last one from the 4 whose low bits are zero (it carries 2 bits). Read by `STRLEN` first:
 * a long value someone left is never read.
 */
const ownerShaped = `redis.call('TYPE', KEYS[1]).ok == 'string' and redis.call('STRLEN', KEYS[1]) == 22 and string.find(redis.call('GET', KEYS[1]), '^[A-Za-z0-9_%-]+[AQgw]$') ~= nil`;
/**
 * Run when `SET NX` found the lock taken. Answers 1 when the lock holds our owner id: our own `SET NX`
 * ran, but its reply was lost with the connection and the client (ioredis) sent it again, so the
 * second answered "taken". Else gives ARGV[1] (the caller's `lockTtlMs`) to a key someone else left, so it ends
 * as a dead holder's lock does, not never, in years or in 30 days; answers 0. Someone else's is a key without an
 * expiry, or with one past a year (no holder sets either: `lockTtlMs` is at most {@link maxDurationMs}, a year, since
 * bf0f1679), or one holding no owner id (of any type) whose expiry is past ARGV[1] (mend167b: under a year, it held
 * every waiter `maxWaitMs`, each then asking Okta itself, for as long as it lived). A lock that holds an owner id and is
 * longer than the caller's own `lockTtlMs` is left alone: it is another holder's (a process with a longer `lockTtlMs`,
 * one of an older release during a rolling deploy), whose heartbeat keeps it; cut to ours, it ended within a stall of
 * that holder's, and two processes renewed from one refresh token (deploy167). @internal
 */
export const takenLockScript =
  `if ${holds(2)} then return 1 end local ttl = redis.call('PTTL', KEYS[1]) ` +
  `if ttl == -1 or ttl > ${maxDurationMs} or (ttl > tonumber(ARGV[1]) and not (${ownerShaped})) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return 0`;
