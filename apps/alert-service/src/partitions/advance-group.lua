-- Moves a consumer group's last-delivered-id forward to an id, never back: the alert tier's
-- progress marker on an input stream, where every partition has applied every event up to
-- that id. Entries older consumers of the group left pending up to the id (the engine before
-- issue 12 read through the group) are acknowledged, a thousand per call.
--
-- KEYS[1]  the input stream
-- ARGV[1]  the group (`alert-service`)
-- ARGV[2]  the id
-- ARGV[3]  how many entries the stream had added up to the id ('' when not known): the group's
--          entries-read, so XINFO GROUPS reports its lag; without it Redis reports none until the
--          group reaches the stream's end
-- Reply    1 moved, 0 already there or further, -1 no such group

local function older(a, b)
  local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
  local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
  if tonumber(ams) ~= tonumber(bms) then return tonumber(ams) < tonumber(bms) end
  return tonumber(aseq) < tonumber(bseq)
end

for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local fields = {}
  for i = 1, #group, 2 do fields[group[i]] = group[i + 1] end
  if fields['name'] == ARGV[1] then
    if tonumber(fields['pending']) > 0 then
      local ids = {}
      for _, row in ipairs(redis.call('XPENDING', KEYS[1], ARGV[1], '-', ARGV[2], 1000)) do ids[#ids + 1] = row[1] end
      if #ids > 0 then redis.call('XACK', KEYS[1], ARGV[1], unpack(ids)) end
    end
    if older(fields['last-delivered-id'], ARGV[2]) then
      if ARGV[3] ~= '' then
        redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], ARGV[2], 'ENTRIESREAD', ARGV[3])
      else
        redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], ARGV[2])
      end
      return 1
    end
    return 0
  end
end
return -1
