-- Removes an instance from the shared registry only if no newer heartbeat arrived since the
-- caller decided to forget it (compare-and-delete). One key: Cluster safe.
--
-- KEYS[1]  the registry hash, <prefix>health-monitor:instances
-- ARGV[1]  the field: JSON array [service, instance]
-- ARGV[2]  the lastSeenMs the caller saw
--
-- Reply: 1 when removed, 0 when absent or refreshed meanwhile.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  return 0
end
local ok, decoded = pcall(cjson.decode, current)
if ok and type(decoded) == 'table' and tonumber(decoded.lastSeenMs) == tonumber(ARGV[2]) then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
