-- Deletes a consumer from a shared group only while it has nothing pending and Redis last saw it
-- before the cutoff, checked in the same script as XGROUP DELCONSUMER: a consumer that took
-- entries after the caller's plan keeps them (deleting it would drop them from the pending
-- entries list, where nobody would ever claim them). On Redis 7.0 a live consumer blocked on a
-- quiet stream is never seen again until an entry arrives; deleting it then loses nothing, since
-- it has nothing pending and Redis creates it again at its next delivery. Only XINFO and XGROUP
-- DELCONSUMER (the monitor's ACL user has no XINFO CONSUMERS, nor TIME). One key: Cluster safe.
--
-- KEYS[1]  the stream
-- ARGV[1]  the group
-- ARGV[2]  the consumer
-- ARGV[3]  the cutoff, Unix ms on this Redis's clock: now less the grace period
--
-- Reply: 1 when deleted; 0 when there is no such consumer (or group, or stream); -1 when kept,
-- because it has entries pending or was seen since the cutoff.
local full = redis.pcall('XINFO', 'STREAM', KEYS[1], 'FULL', 'COUNT', 1)
if full.err then
  return 0
end
local groups
for i = 1, #full, 2 do
  if full[i] == 'groups' then
    groups = full[i + 1]
  end
end
for _, group in ipairs(groups or {}) do
  local fields = {}
  for i = 1, #group, 2 do
    fields[group[i]] = group[i + 1]
  end
  if fields['name'] == ARGV[1] then
    for _, consumer in ipairs(fields['consumers'] or {}) do
      local c = {}
      for i = 1, #consumer, 2 do
        c[consumer[i]] = consumer[i + 1]
      end
      if c['name'] == ARGV[2] then
        if c['pel-count'] > 0 or c['seen-time'] >= tonumber(ARGV[3]) then
          return -1
        end
        redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
        return 1
      end
    end
    return 0
  end
end
return 0
