-- Replaces one silence if it is still exactly what the caller read (compare-and-set), and
-- bumps the silences version so every replica's evaluation path re-reads the silences at its
-- next commit, as a create or an expiry does. A silence changed meanwhile (expired, purged or
-- updated by another request) is left alone: the caller reads it again and decides again.
-- Both keys carry the `alerts` stream's hash tag: one slot, Cluster safe.
--
-- KEYS[1]  the silences hash: silence id -> silence JSON
-- KEYS[2]  the silences version counter
-- ARGV[1]  the silence id
-- ARGV[2]  the silence JSON as the caller read it
-- ARGV[3]  the new silence JSON
-- Reply    1 replaced | 0 no such silence | -1 it changed since it was read

local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  return 0
end
if current ~= ARGV[2] then
  return -1
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
return 1
