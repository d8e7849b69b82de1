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
 * The byte budget, shared by the collection scripts below. Every collection script takes the same
 * keys: index (zset id → score), record, sizes (hash id → bytes counted), ledger (hash collection
 * name → bytes held); and its last ARGVs are: collection name, budget in bytes (-1: none), record
 * overhead bytes, record key prefix. A record counts its JSON's bytes plus the overhead, as in memory.
 */
const BUDGET = `
local NAME, LIMIT, OVERHEAD, PREFIX = ARGV[#ARGV - 3], tonumber(ARGV[#ARGV - 2]), tonumber(ARGV[#ARGV - 1]), ARGV[#ARGV]
local function held()
  local total = 0
  for _, v in ipairs(redis.call('HVALS', KEYS[4])) do total = total + tonumber(v) end
  return total
end
local function fits(more) return LIMIT < 0 or more <= 0 or held() + more <= LIMIT end
local function count(id, bytes)
  local old = tonumber(redis.call('HGET', KEYS[3], id) or '0')
  if bytes > 0 then redis.call('HSET', KEYS[3], id, bytes) else redis.call('HDEL', KEYS[3], id) end
  if bytes ~= old then redis.call('HINCRBY', KEYS[4], NAME, bytes - old) end
end
local function sweep(now)
  local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 10000)
  for _, id in ipairs(gone) do
    redis.call('UNLINK', PREFIX .. id)
    count(id, 0)
  end
  if #gone > 0 then redis.call('ZREM', KEYS[1], unpack(gone)) end
end
`;

/**
 * ARGV: id, record JSON, now, expiresAt, cap (-1: none), px, …budget. Returns 1 when added, 0 when
 * `cap` live records are already held, -1 when the budget has no room (nothing written).
 */
export const INSERT = `${BUDGET}
sweep(ARGV[3])
local cap = tonumber(ARGV[5])
if cap >= 0 and redis.call('ZCARD', KEYS[1]) >= cap then return 0 end
local bytes = #ARGV[2] + OVERHEAD
if not fits(bytes) then return -1 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
count(ARGV[1], bytes)
return 1
`;

/** ARGV: id, …budget. GETDEL: one caller gets the record, every other one gets nil. */
export const TAKE = `${BUDGET}
local v = redis.call('GETDEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
count(ARGV[1], 0)
return v
`;

/** ARGV: id, …budget. */
export const REMOVE = `${BUDGET}
redis.call('UNLINK', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
count(ARGV[1], 0)
return 1
`;

/**
 * ARGV: id, create JSON, set JSON, incr JSON, cap, score, …budget.
 * Returns 2 created, 1 updated, 0 full, -1 over the budget: the count and the write are one step,
 * so concurrent creations on every replica stop at the cap exactly.
 */
export const UPSERT = `${BUDGET}
local current = redis.call('GET', KEYS[2])
if current then
  local r = cjson.decode(current)
  for k, v in pairs(cjson.decode(ARGV[3])) do r[k] = v end
  for k, v in pairs(cjson.decode(ARGV[4])) do r[k] = (tonumber(r[k]) or 0) + v end
  local encoded = cjson.encode(r)
  local bytes = #encoded + OVERHEAD
  if not fits(bytes - tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')) then return -1 end
  redis.call('SET', KEYS[2], encoded)
  count(ARGV[1], bytes)
  return 1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[5]) then return 0 end
local bytes = #ARGV[2] + OVERHEAD
if not fits(bytes) then return -1 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[6], ARGV[1])
count(ARGV[1], bytes)
return 2
`;

/**
 * ARGV: id, record JSON, score, px (0: none), …budget. Returns 1 when the id is new, 0 when it
 * replaced a record, -1 when the budget has no room (nothing written).
 */
export const PUT = `${BUDGET}
local bytes = #ARGV[2] + OVERHEAD
if not fits(bytes - tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')) then return -1 end
local fresh = redis.call('ZSCORE', KEYS[1], ARGV[1]) == false
if tonumber(ARGV[4]) > 0 then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
else redis.call('SET', KEYS[2], ARGV[2]) end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
count(ARGV[1], bytes)
if fresh then return 1 end
return 0
`;

/**
 * ARGV: now, …budget. Drops expired ids, their records and their bytes (records also carry a PX, so
 * a crash between the steps leaves nothing behind for long). Returns the live count.
 */
export const SWEEP = `${BUDGET}
sweep(ARGV[1])
return redis.call('ZCARD', KEYS[1])
`;
