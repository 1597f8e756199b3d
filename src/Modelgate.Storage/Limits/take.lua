-- Checks and takes every counter a call touches, all or none, on the Redis server's clock.
-- KEYS: two per counter: the counter, and (budgets only) its reservations' expiry set.
-- ARGV[1] lease, ARGV[2] lease life (ms), ARGV[3] a budget reservation's life (ms); then seven per counter:
--   kind ('w' a minute window, 'c' requests in flight, 'b' a budget, 'B' a budget whose spend is at least its seed),
--   limit, amount, shadow ('1' or '0'), seed, expiry (Unix ms; a budget's: the end of its period plus a day),
--   floor (the least the take needs room for; it then takes as much of the amount as there is room for).
-- A minute window is its current 10-second segment and the six before: any 60 seconds lie within them.
-- Returns {1, segment, {taken per counter...}, {shadow counters gone over...}} when taken,
--         {0, counter, used, retry after (ms), segment} when refused (nothing taken).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local seg = math.floor(now / 10000)
local lease = ARGV[1]
local life = tonumber(ARGV[2])
local budgetLife = tonumber(ARGV[3])
local n = #KEYS / 2
local over = {}
local taken = {}

for i = 1, n do
  local a = 3 + (i - 1) * 7
  local kind, limit, amount, floor = ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 7])
  local key = KEYS[2 * i - 1]
  local used = 0
  local counts = {}
  if kind == 'w' then
    local fields = redis.call('HGETALL', key)
    for j = 1, #fields, 2 do
      local s = tonumber(fields[j])
      if s > seg - 7 then
        counts[s] = tonumber(fields[j + 1])
        used = used + counts[s]
      else
        redis.call('HDEL', key, fields[j])
      end
    end
  elseif kind == 'c' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    used = redis.call('ZCARD', key)
  else
    -- A budget: spend settled so far (started from the database's figure) plus the reservations in flight; those whose
    -- call never settled expire.
    local expiries = KEYS[2 * i]
    for _, gone in ipairs(redis.call('ZRANGEBYSCORE', expiries, '-inf', now)) do
      local held = redis.call('HGET', key, 'r:' .. gone)
      if held then
        -- Amounts stay strings: Lua would print a large number in exponent form, which HINCRBY refuses.
        if held ~= '0' then redis.call('HINCRBY', key, 'reserved', '-' .. held) end
        redis.call('HDEL', key, 'r:' .. gone)
      end
      redis.call('ZREM', expiries, gone)
    end
    local spent = redis.call('HGET', key, 'spent')
    if not spent or (kind == 'B' and tonumber(spent) < tonumber(ARGV[a + 5])) then
      -- A new counter starts from the database's figure; after an outage it is raised to it (never lowered: other
      -- instances' spend since then is in it).
      redis.call('HSET', key, 'spent', ARGV[a + 5])
      redis.call('PEXPIREAT', key, ARGV[a + 6])
    end
    used = tonumber(redis.call('HGET', key, 'spent')) + tonumber(redis.call('HGET', key, 'reserved') or '0')
  end

  local need = math.min(floor, amount)
  if need < 1 then need = 1 end
  if used + need <= limit then
    taken[i] = math.max(math.min(floor, amount), math.min(amount, limit - used))
  elseif ARGV[a + 4] == '1' then
    over[#over + 1] = i
    taken[i] = amount
  else
    local retry = 1000
    if kind == 'w' then
      retry = 70000
      local freed = 0
      for s = seg - 6, seg do
        freed = freed + (counts[s] or 0)
        if used - freed + need <= limit then
          retry = (s + 7) * 10000 - now
          break
        end
      end
    elseif kind ~= 'c' then
      retry = tonumber(ARGV[a + 6]) - 86400000 - now
    end
    return {0, i, used, retry, seg}
  end
end

for i = 1, n do
  local a = 3 + (i - 1) * 7
  local kind = ARGV[a + 1]
  local key = KEYS[2 * i - 1]
  local amount = string.format('%.0f', taken[i])
  if kind == 'w' then
    redis.call('HINCRBY', key, seg, amount)
    redis.call('PEXPIRE', key, 80000)
  elseif kind == 'c' then
    redis.call('ZADD', key, now + life, lease)
    redis.call('PEXPIRE', key, life + 1000)
  else
    local expiries = KEYS[2 * i]
    redis.call('HINCRBY', key, 'r:' .. lease, amount)
    redis.call('HINCRBY', key, 'reserved', amount)
    redis.call('ZADD', expiries, now + budgetLife, lease)
    redis.call('PEXPIREAT', expiries, ARGV[a + 6])
  end
end

return {1, seg, taken, over}
