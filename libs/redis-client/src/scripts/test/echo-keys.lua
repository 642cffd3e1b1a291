-- Test fixture of lua-script.int-spec.ts: increments each key and echoes what it was given.
--
-- KEYS[1..n]  counters to increment (one hash slot)
-- ARGV[1..m]  anything
--
-- Reply: { the new value of each key..., ARGV[1..m]... }
local reply = {}
for i = 1, #KEYS do
  reply[#reply + 1] = redis.call('INCR', KEYS[i])
end
for i = 1, #ARGV do
  reply[#reply + 1] = ARGV[i]
end
return reply
