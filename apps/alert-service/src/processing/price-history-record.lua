-- Records one price of a symbol and trims the symbol's history, keeping the newest price
-- older than the cutoff: it is still the price "at or before" any look-up from the cutoff on,
-- however long ago it was quoted. One key (the symbol's zset): Cluster safe.
--
-- KEYS[1]  the symbol's zset: score = event time in ms, member `<price>|<eventId>`
-- ARGV[1]  event time in ms (the score)
-- ARGV[2]  member `<price>|<eventId>` (a redelivered event adds nothing)
-- ARGV[3]  cutoff in ms: entries older than it are removed, except the newest of them
-- ARGV[4]  TTL of the key in ms (a symbol nobody quotes any more disappears)
-- Reply    the number of entries removed

redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local removed = 0
local anchor = redis.call('ZREVRANGEBYSCORE', KEYS[1], '(' .. ARGV[3], '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
if anchor[2] then
  removed = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. anchor[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return removed
