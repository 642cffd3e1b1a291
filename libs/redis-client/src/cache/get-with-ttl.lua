-- Reads a cache value and its remaining time to live in one command.
-- KEYS[1]  the cache key
-- ARGV     none
-- Reply    { value or false, PTTL in ms (-2 when the key is missing, -1 without TTL) }
local value = redis.call('GET', KEYS[1])
return { value, redis.call('PTTL', KEYS[1]) }
