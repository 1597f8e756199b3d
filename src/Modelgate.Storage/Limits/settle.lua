-- Replaces a call's reservations by what it used, and gives back its places in flight. Sent twice (a settlement kept
-- while Redis was out of reach, then sent again), a budget's and a place's settlement count once.
-- KEYS: two per counter, as for take.lua. ARGV[1] lease, ARGV[2] the segment the take counted in; then three per
-- counter: kind ('w', 'c' or 'b'), the change to a minute window (used - reserved), what the call used (a budget's spend).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = math.floor(now / 10000)
local lease = ARGV[1]
local seg = tonumber(ARGV[2])

for i = 1, #KEYS / 2 do
  local a = 2 + (i - 1) * 3
  local kind = ARGV[a + 1]
  local key = KEYS[2 * i - 1]
  if kind == 'w' then
    -- Only while the segment is in the window (a counter that slid out holds nothing any more).
    if seg > current - 7 and redis.call('EXISTS', key) == 1 then
      if redis.call('HINCRBY', key, ARGV[2], ARGV[a + 2]) < 0 then
        redis.call('HSET', key, ARGV[2], 0)
      end
    end
  elseif kind == 'c' then
    redis.call('ZREM', key, lease)
  else
    -- Only the reservation's owner settles, once: its spend replaces it.
    local held = redis.call('HGET', key, 'r:' .. lease)
    if held then
      redis.call('HDEL', key, 'r:' .. lease)
      if held ~= '0' then redis.call('HINCRBY', key, 'reserved', '-' .. held) end
      redis.call('ZREM', KEYS[2 * i], lease)
      if ARGV[a + 3] ~= '0' then redis.call('HINCRBY', key, 'spent', ARGV[a + 3]) end
    end
  end
end
return 1
