-- Releases a cache load lock only when the caller still owns it (compare-and-delete),
-- so a holder whose lock already expired never deletes the lock of its successor.
-- Touches one key only: Cluster safe whatever slot the cached value lives in.
--
-- KEYS[1]  the lock key, cache-lock:<namespace>:<key>
-- ARGV[1]  the token the caller stored with SET NX PX
--
-- Reply: 1 when the lock was deleted, 0 when it was absent or held by someone else.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
