-- Destroys a fan-out consumer group only if it was given nothing since the caller saw entries
-- waiting for it: its last delivered id is still the one the caller saw, and entries still wait
-- past it. An XREADGROUP ... > on the group would have been handed those entries at once and
-- moved that id, so an unchanged id proves that nobody read the group since; the caller saw it
-- waiting at that id for longer than the grace period first. The check and XGROUP DESTROY run in
-- this one script, so a reader that took the entries after the caller's plan keeps its group.
-- Only XINFO and XGROUP DESTROY: the monitor's ACL user has no XRANGE. One key: Cluster safe.
--
-- KEYS[1]  the stream
-- ARGV[1]  the group, gateway.<instance>
-- ARGV[2]  the group's last delivered id as the caller saw it, with entries waiting past it
--
-- Reply: 1 when destroyed; 0 when there is no such group (or stream); -1 when kept, because the
-- group was given entries since, or nothing waits for it any more.
local groups = redis.pcall('XINFO', 'GROUPS', KEYS[1])
if groups.err then
  return 0
end
local found, lastDelivered, lag = false, nil, nil
for _, group in ipairs(groups) do
  local fields = {}
  for i = 1, #group, 2 do
    fields[group[i]] = group[i + 1]
  end
  if fields['name'] == ARGV[1] then
    found, lastDelivered, lag = true, fields['last-delivered-id'], fields['lag']
    break
  end
end
if not found then
  return 0
end
if lastDelivered ~= ARGV[2] then
  return -1
end
local stream = redis.call('XINFO', 'STREAM', KEYS[1])
local length, lastGenerated
for i = 1, #stream, 2 do
  if stream[i] == 'length' then
    length = stream[i + 1]
  elseif stream[i] == 'last-generated-id' then
    lastGenerated = stream[i + 1]
  end
end
-- Nothing waits when the stream is empty, the group is at its newest id, or Redis counts no lag
-- (entries past the group's position were deleted). A lag Redis cannot count is nil: still waiting.
if length == 0 or lastGenerated == lastDelivered or lag == 0 then
  return -1
end
return redis.call('XGROUP', 'DESTROY', KEYS[1], ARGV[1])
