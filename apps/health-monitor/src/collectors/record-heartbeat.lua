-- Records the latest heartbeat of one service instance in the shared registry, unless the
-- registry already holds a newer one (two monitors share the heartbeat group, so each sees
-- some heartbeats, possibly out of order). One key: Cluster safe.
--
-- KEYS[1]  the registry hash, <prefix>health-monitor:instances
-- ARGV[1]  the field: JSON array [service, instance]
-- ARGV[2]  lastSeenMs of this heartbeat (the stream entry id's time)
-- ARGV[3]  the record, JSON with a numeric lastSeenMs
-- ARGV[4]  TTL of the whole hash in ms (renewed by every heartbeat)
--
-- Reply: 1 when stored, 0 when the stored record is as new or newer.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and tonumber(decoded.lastSeenMs) and tonumber(decoded.lastSeenMs) >= tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
