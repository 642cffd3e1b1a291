-- Keeps the entries a consumer has read but not yet started (they wait for a handler slot)
-- from looking idle: for each id still pending for this consumer it resets the idle time with
-- XCLAIM ... JUSTID, which counts no delivery. An id another consumer has claimed meanwhile,
-- or that is no longer pending, is left alone and not returned: the caller must drop it.
-- Touches one key only (the stream): Cluster safe.
--
-- KEYS[1]  the stream
-- ARGV[1]  the consumer group
-- ARGV[2]  this consumer's name
-- ARGV[3..] the ids of its queued entries (the caller sends at most 1000 at a time)
--
-- Reply: the ids still pending for this consumer, now with idle time 0.
local kept = {}
for i = 3, #ARGV do
  local row = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])
  if row[1] ~= nil then
    kept[#kept + 1] = ARGV[i]
  end
end
if #kept > 0 then
  local args = { 'XCLAIM', KEYS[1], ARGV[1], ARGV[2], '0' }
  for _, id in ipairs(kept) do args[#args + 1] = id end
  args[#args + 1] = 'JUSTID'
  redis.call(unpack(args))
end
return kept
