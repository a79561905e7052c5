/**
 * The reserve script of the release before spent paths (commit c145ae70), verbatim: a process of that release
 * shares the `rl:v1:` buckets with this one during a rolling deploy. Its startOver deletes a bucket whose `spent`
 * is not digits. @see ../src/rate-limit-coordinator.ts
 */
const startOver = `if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then redis.call('DEL', KEYS[1]) else
  for _, v in ipairs(redis.call('HMGET', KEYS[1], 'limit', 'reset', 'used', 'waiters', 'probe', 'pause', 'pslot', 'spent')) do
    if v and (#v > 15 or not string.find(v, '^%d+$')) then redis.call('DEL', KEYS[1]) break end
  end
end`;

const redisNow = `if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * c145ae70's reserve script (KEYS[1] the bucket; ARGV windowMs, spreadMs, headroom, ms left or '').
 * @example
 * ```ts
 * declare const run: (args: string[]) => Promise<unknown>;
 * await run(['EVAL', oldReserveScript, '1', 'rl:v1:k', '60000', '60000', '0', '']);
 * ```
 * @see https://redis.io/docs/latest/commands/eval/
 */
export const oldReserveScript = `
${startOver}
${redisNow}
local windowMs, spreadMs, headroom, left = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local h = redis.call('HMGET', KEYS[1], 'limit', 'reset', 'used', 'waiters', 'unlimited', 'probe', 'pause', 'spent')
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
  -- one probe a second, kept in the bucket's own hash: a script touches only the key it declares (Redis Cluster)
  if now < (tonumber(h[6]) or 0) then return 50 end
  local cold = redis.call('EXISTS', KEYS[1]) == 0
  redis.call('HSET', KEYS[1], 'probe', now + 1000)
  if cold then redis.call('PEXPIRE', KEYS[1], 1000) end
  return 0
end
if now >= reset then
  reset = reset + windowMs * math.ceil((now - reset + 1) / windowMs)
  redis.call('HSET', KEYS[1], 'reset', reset, 'used', 0, 'waiters', 0, 'spent', 0)
  used, waiters = 0, 0
end
if used < budget then
  redis.call('HINCRBY', KEYS[1], 'used', 1)
  return 0
end
local wait = (reset - now) + math.floor(waiters * spreadMs / math.max(budget, 1))
if not left or wait <= left then redis.call('HINCRBY', KEYS[1], 'waiters', 1) return wait end
-- past what is left: no place kept; a window Okta said is spent, its reset within a window (2 s over for whole seconds), answers its reset too (the call fails, nothing sent)
if h[8] == '1' and reset - now <= windowMs + 2000 then return { wait, reset - now } end
return wait
`;
