-- Renews a lease only when the caller still holds it (compare-and-set), so a holder that
-- lost it (expired, taken over) never extends its successor's lease. One key: Cluster safe.
--
-- KEYS[1]  the lease key, <prefix>health-monitor:lease
-- ARGV[1]  the holder's token (stored by SET NX PX)
-- ARGV[2]  the new lifetime in ms
--
-- Reply: 1 when renewed, 0 when the lease is absent or held by someone else.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
