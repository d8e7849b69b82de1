/**
 * The Lua scripts of the Redis store. A script runs atomically in Redis, so each check-then-write
 * below (a cap, a user limit, a fault's count, a rate window) holds across every replica without a
 * lock. Expiry is decided against the emulator's clock (passed in, plus the shared offset); Redis
 * TTLs (PX) only reclaim memory, with a grace well past the emulator's own expiry.
 */

/**
 * KEYS: clock offset, faults hash, rate window (optional).
 * ARGV: operationId, random draw, base now, rate limit, window ms.
 * Returns {offset, fault JSON or "", retry-after seconds or -1}.
 */
export const ADMIT = `
local offset = redis.call('GET', KEYS[1]) or '0'
local now = tonumber(ARGV[3]) + tonumber(offset)
local fired = ''
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if raw then
  local f = cjson.decode(raw)
  if f.probability >= 1 or tonumber(ARGV[2]) < f.probability then
    if type(f.count) == 'number' then
      f.count = f.count - 1
      if f.count <= 0 then redis.call('HDEL', KEYS[2], ARGV[1])
      else redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(f)) end
    end
    fired = cjson.encode(f)
  end
end
local retry = -1
if KEYS[3] then
  local limit = tonumber(ARGV[4])
  local window = tonumber(ARGV[5])
  local start = tonumber(redis.call('HGET', KEYS[3], 's') or '')
  local count = tonumber(redis.call('HGET', KEYS[3], 'c') or '0')
  if start == nil or now - start >= window or now < start then
    start = now
    count = 0
    redis.call('HSET', KEYS[3], 's', string.format('%d', start))
  end
  count = count + 1
  redis.call('HSET', KEYS[3], 'c', count)
  redis.call('PEXPIRE', KEYS[3], window + 3600000)
  if count > limit then retry = math.max(1, math.ceil((start + window - now) / 1000)) end
end
return {offset, fired, retry}
`;

/**
 * KEYS: index (zset id → expiresAt), record. ARGV: id, record JSON, now, expiresAt, cap (-1: none), px.
 * Returns 1 when added, 0 when `cap` live records are already held.
 */
export const INSERT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local cap = tonumber(ARGV[5])
if cap >= 0 and redis.call('ZCARD', KEYS[1]) >= cap then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
return 1
`;

/** KEYS: index, record. ARGV: id. GETDEL: one caller gets the record, every other one gets nil. */
export const TAKE = `
local v = redis.call('GETDEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return v
`;

/**
 * KEYS: index, record. ARGV: id, create JSON, set JSON, incr JSON, cap, score.
 * Returns 2 created, 1 updated, 0 full: the count and the write are one step, so concurrent
 * creations on every replica stop at the cap exactly.
 */
export const UPSERT = `
local current = redis.call('GET', KEYS[2])
if current then
  local r = cjson.decode(current)
  for k, v in pairs(cjson.decode(ARGV[3])) do r[k] = v end
  for k, v in pairs(cjson.decode(ARGV[4])) do r[k] = (tonumber(r[k]) or 0) + v end
  redis.call('SET', KEYS[2], cjson.encode(r))
  return 1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[5]) then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[6], ARGV[1])
return 2
`;

/** KEYS: index, record. ARGV: id, record JSON, score, px (0: none). Returns 1 when the id is new. */
export const PUT = `
local fresh = redis.call('ZSCORE', KEYS[1], ARGV[1]) == false
if tonumber(ARGV[4]) > 0 then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
else redis.call('SET', KEYS[2], ARGV[2]) end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
if fresh then return 1 end
return 0
`;

/**
 * KEYS: index. ARGV: now, record key prefix. Drops expired ids and their records (records also carry
 * a PX, so a crash between the two leaves nothing behind for long). Returns the live count.
 */
export const SWEEP = `
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 10000)
for _, id in ipairs(gone) do redis.call('UNLINK', ARGV[2] .. id) end
if #gone > 0 then redis.call('ZREM', KEYS[1], unpack(gone)) end
return redis.call('ZCARD', KEYS[1])
`;
