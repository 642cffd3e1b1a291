-- One replica's periodic round on the rule engine's partitions, in one script: its membership,
-- the checkpoints of the partitions it holds, the partitions it gives up, the renewal of its
-- leases, and free partitions taken up to its fair share. Every write to a partition is fenced:
-- it happens only while the partition's lease is this replica's at the epoch it holds.
-- Lease and membership keys expire (PX) unless renewed, so time is Redis's own.
--
-- KEYS[1]   set of member instance ids
-- KEYS[2]   the number of partitions the stored ones were made for (string)
-- KEYS[3]   this replica's member key
-- KEYS[4 .. 3+M]          member keys of the other replicas the caller knows of (ids in ARGV `k`)
-- next n keys             the lease of each partition 0..n-1 (`<owner>|<epoch>`)
-- next n keys             the hash of each partition (`epoch`, `hwm:<stream>`, `hwn:<stream>`, `t:<subject>`)
-- then per checkpoint     its partition's states hash and price stream
-- ARGV[1]   JSON:
--   me      this replica's instance id;  ttl  lease and membership time to live, ms
--   n       number of partitions;        k    instance ids of the member keys passed
--   held    [[p, epoch]] leases the caller holds (renewed)
--   cp      [{p, e, h: {stream: [id, entries read or false]}, t: [subject, value, ...], s: [field, json or false, ...],
--            x: price entry JSON or false, m: trim (MINID) in ms}] checkpoints, in KEYS order
--   rel     [p] partitions given up, after their checkpoint (beyond these, held partitions over
--           the fair share are handed over: every held partition is checkpointed in each call)
--   want    true: take free partitions up to the fair share (false while stopping)
--   leave   true: end this replica's membership
--   from    the partition number to start looking for free ones at
--   streams stream names: the lowest `hwm:<stream>` over all partitions, with its `hwn:<stream>`
--           (entries of the stream up to it, when known), is returned to the holder of partition
--           0 (the group's progress marker follows it)
-- Reply    JSON {live, share, lost: [p], got: [[p, epoch]], handed: [p], members: [id],
--          low: {stream: [id, entries read or false]}}
--          | error 'ERR partitions ...' when the stored partitions were made for another count

local plan = cjson.decode(ARGV[1])
local n = plan.n
local me = plan.me
local ttl = plan.ttl
local m = #plan.k

local stored = redis.call('GET', KEYS[2])
if stored and tonumber(stored) ~= n then
  return redis.error_reply('ERR partitions: ALERT_PARTITIONS is ' .. n .. ' but the stored partitions were made for ' .. stored)
end
if not stored then redis.call('SET', KEYS[2], n) end

local function lease(p) return KEYS[4 + m + p] end
local function part(p) return KEYS[4 + m + n + p] end

-- A partition is this replica's at `epoch` while its lease says so. A lease that expired
-- unclaimed (the epoch did not move) is this replica's still: it is taken back as it was.
local function mine(p, epoch)
  local value = redis.call('GET', lease(p))
  local own = me .. '|' .. epoch
  if value == own then return true end
  if value then return false end
  if tostring(redis.call('HGET', part(p), 'epoch')) ~= tostring(epoch) then return false end
  redis.call('SET', lease(p), own, 'PX', ttl)
  return true
end

local function hset_all(key, pairs)
  for i = 1, #pairs, 1000 do
    redis.call('HSET', key, unpack(pairs, i, math.min(#pairs, i + 999)))
  end
end

if plan.leave then
  redis.call('DEL', KEYS[3])
  redis.call('SREM', KEYS[1], me)
else
  redis.call('SET', KEYS[3], '1', 'PX', ttl)
  redis.call('SADD', KEYS[1], me)
end

local lost = {}
local kept = {}
local released = {}
for _, p in ipairs(plan.rel) do released[p] = true end

local key_at = 4 + m + 2 * n
for _, cp in ipairs(plan.cp) do
  local states, prices = KEYS[key_at], KEYS[key_at + 1]
  key_at = key_at + 2
  if mine(cp.p, cp.e) then
    local fields = {}
    for stream, mark in pairs(cp.h) do
      fields[#fields + 1] = 'hwm:' .. stream
      fields[#fields + 1] = mark[1]
      if mark[2] then
        fields[#fields + 1] = 'hwn:' .. stream
        fields[#fields + 1] = mark[2]
      else
        redis.call('HDEL', part(cp.p), 'hwn:' .. stream)
      end
    end
    for i = 1, #cp.t, 2 do
      fields[#fields + 1] = 't:' .. cp.t[i]
      fields[#fields + 1] = cp.t[i + 1]
    end
    if #fields > 0 then hset_all(part(cp.p), fields) end
    local set, gone = {}, {}
    for i = 1, #cp.s, 2 do
      if cp.s[i + 1] == false then gone[#gone + 1] = cp.s[i]
      else set[#set + 1] = cp.s[i]; set[#set + 1] = cp.s[i + 1] end
    end
    if #set > 0 then hset_all(states, set) end
    for i = 1, #gone, 1000 do redis.call('HDEL', states, unpack(gone, i, math.min(#gone, i + 999))) end
    if cp.x then redis.call('XADD', prices, 'MINID', '~', cp.m, '*', 'd', cp.x) end
  end
end

local count = 0
for _, held in ipairs(plan.held) do
  local p, epoch = held[1], held[2]
  if released[p] then
    if redis.call('GET', lease(p)) == me .. '|' .. epoch then redis.call('DEL', lease(p)) end
  elseif mine(p, epoch) then
    redis.call('PEXPIRE', lease(p), ttl)
    kept[p] = true
    count = count + 1
  else
    lost[#lost + 1] = p
  end
end

-- Live replicas: this one, the known ones whose member key lives, and ids not known yet.
local live = plan.leave and 0 or 1
local known = {}
for i, id in ipairs(plan.k) do
  known[id] = true
  if redis.call('EXISTS', KEYS[3 + i]) == 1 then live = live + 1 else redis.call('SREM', KEYS[1], id) end
end
local members = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(members) do
  if id ~= me and not known[id] then live = live + 1 end
end
local share = math.ceil(n / math.max(live, 1))

-- More than the fair share (a replica joined): hand the extras over now, their checkpoint is
-- in this call. The highest-numbered go first; partition 0 (the progress marker's) last.
local handed = {}
if count > share then
  local held_now = {}
  for p in pairs(kept) do held_now[#held_now + 1] = p end
  table.sort(held_now, function(a, b) return a > b end)
  for i = 1, count - share do
    local p = held_now[i]
    redis.call('DEL', lease(p))
    kept[p] = nil
    handed[#handed + 1] = p
  end
  count = share
end

local got = {}
if plan.want then
  local prefix = me .. '|'
  for i = 0, n - 1 do
    if count >= share then break end
    local p = (plan.from + i) % n
    local value = redis.call('GET', lease(p))
    -- Free, or this replica's from before a reset: taken at a new epoch either way.
    if not kept[p] and not released[p] and (not value or string.sub(value, 1, #prefix) == prefix) then
      local epoch = redis.call('HINCRBY', part(p), 'epoch', 1)
      redis.call('SET', lease(p), prefix .. epoch, 'PX', ttl)
      got[#got + 1] = { p, epoch }
      kept[p] = true
      count = count + 1
    end
  end
end

local function older(a, b)
  local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
  local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
  if tonumber(ams) ~= tonumber(bms) then return tonumber(ams) < tonumber(bms) end
  return tonumber(aseq) < tonumber(bseq)
end

local low = {}
if kept[0] then
  for _, stream in ipairs(plan.streams) do
    local lowest, count = nil, false
    for p = 0, n - 1 do
      local mark = redis.call('HMGET', part(p), 'hwm:' .. stream, 'hwn:' .. stream)
      if not mark[1] then lowest = false break end
      if lowest == nil or older(mark[1], lowest) then lowest, count = mark[1], mark[2] end
    end
    if lowest then low[stream] = { lowest, count } end
  end
end

return cjson.encode({ live = live, share = share, lost = lost, got = got, handed = handed, members = members, low = low })
