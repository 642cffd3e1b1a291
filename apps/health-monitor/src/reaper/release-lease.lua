-- Releases a lease only when the caller still holds it (compare-and-delete), so a holder
-- whose lease already expired never deletes its successor's. One key: Cluster safe.
--
-- KEYS[1]  the lease key, <prefix>health-monitor:lease
-- ARGV[1]  the holder's token
--
-- Reply: 1 when deleted, 0 when absent or held by someone else.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
