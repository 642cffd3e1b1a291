-- Commits one change set of the alert store atomically: compare-and-set checks (the fencing
-- epoch of the rule engine's partition among them), the writes (rule states among them), and
-- the `alerts` stream events with their history entries and notification decisions. The
-- caller (alert-commit-plan.ts) computes everything; this script only checks, writes and
-- rate-limits. Every key is declared in KEYS and all of them share the hash slot of the
-- `alerts` stream.
--
-- KEYS     every key the plan names; the plan refers to them by 1-based index
-- ARGV[1]  the plan, JSON:
--   c   [[check, key, expected]] optional, all must hold or the reply is 'conflict':
--         'hv'  hash field `v` equals expected ('0': the key does not exist)
--         'jv'  the JSON string's `version` equals expected ('0': the key does not exist)
--         'eq'  the string value equals expected ('': the key does not exist)
--   w   [[command, key, arg...]] optional writes, run in order; command is one of SET, DEL,
--       ZADD, ZREM, ZREMRANGEBYSCORE, HSET, HSETNX, HDEL, HINCRBY, INCR, XADD
--   e   [{s, h, f, c, n}] optional events, in order:
--         s  key of the stream; f its fields (CloudEvents, `data` JSON last): XADD MAXLEN ~ ml
--         h  key of the history list (0: none); c the change JSON appended there (RPUSH, then
--            LTRIM to the last hl entries) with `streamId` and the notification fields added
--         n  notification: 0 (not a notification), a suppression reason ('silence',
--            'snooze'), or [bucketKey, dayKey, dayTtlSeconds, perMinute, burst, perDay, nowMs]:
--            the token bucket and daily budget of decideRateLimit (rules/rate-limit-policy.ts)
--       The decision is appended to `data` and to the history entry as
--       `"notify":true|false` and, when suppressed, `"suppressedBy":"<reason>"`.
--   ml  MAXLEN ~ of the stream;  hl  history entries kept per alert
-- Reply    {'ok', streamId1, decision1, streamId2, decision2, ...}  decision: 'notify', 'none',
--          'silence', 'snooze', 'rate_limit' or 'budget'
--          | {'conflict', indexOfTheFailedCheck}

local plan = cjson.decode(ARGV[1])

for i, check in ipairs(plan.c or {}) do
  local kind, key, expected = check[1], KEYS[check[2]], check[3]
  local ok
  if kind == 'hv' then
    ok = (redis.call('HGET', key, 'v') or '0') == expected
  elseif kind == 'jv' then
    local raw = redis.call('GET', key)
    local version = '0'
    if raw then version = tostring(cjson.decode(raw).version) end
    ok = version == expected
  elseif kind == 'eq' then
    ok = (redis.call('GET', key) or '') == expected
  else
    return redis.error_reply('ERR alert commit: unknown check ' .. tostring(kind))
  end
  if not ok then return { 'conflict', i } end
end

-- Validate every write before the first one: a script is not rolled back on error.
local allowed = { SET = true, DEL = true, ZADD = true, ZREM = true, ZREMRANGEBYSCORE = true, HSET = true,
  HSETNX = true, HDEL = true, HINCRBY = true, INCR = true, XADD = true }
for _, write in ipairs(plan.w or {}) do
  if not allowed[write[1]] or KEYS[write[2]] == nil then
    return redis.error_reply('ERR alert commit: write ' .. tostring(write[1]) .. ' not allowed')
  end
end
for _, write in ipairs(plan.w or {}) do
  redis.call(write[1], KEYS[write[2]], unpack(write, 3))
end

-- Mirrors decideRateLimit: daily cap first (a refusal consumes nothing), then the bucket.
local function rate_limit(n)
  local bucket, day = KEYS[n[1]], KEYS[n[2]]
  local day_ttl, per_minute, burst = tonumber(n[3]), tonumber(n[4]), tonumber(n[5])
  local per_day, now = tonumber(n[6]), tonumber(n[7])
  local stored = redis.call('HMGET', bucket, 'tokens', 'updatedAtMs')
  local tokens = burst
  local updated = now
  if stored[2] then
    local last = tonumber(stored[2])
    local elapsed = math.max(0, now - last)
    tokens = math.min(burst, (tonumber(stored[1]) or burst) + elapsed * (per_minute / 60000))
    -- Never backwards: a replica whose clock is ahead would count the skew as elapsed again.
    updated = math.max(now, last)
  end
  local count = tonumber(redis.call('GET', day) or '0')
  local decision = 'notify'
  if count >= per_day then
    decision = 'budget'
  elseif tokens < 1 then
    decision = 'rate_limit'
  else
    tokens = tokens - 1
    redis.call('INCR', day)
    redis.call('EXPIRE', day, day_ttl)
  end
  redis.call('HSET', bucket, 'tokens', string.format('%.17g', tokens), 'updatedAtMs', string.format('%.17g', updated))
  return decision
end

local reply = { 'ok' }
for _, event in ipairs(plan.e or {}) do
  local decision = 'none'
  if type(event.n) == 'table' then
    decision = rate_limit(event.n)
  elseif type(event.n) == 'string' then
    decision = event.n
  end
  local suffix = ',"notify":' .. (decision == 'notify' and 'true' or 'false')
  if decision ~= 'notify' and decision ~= 'none' then
    suffix = suffix .. ',"suppressedBy":"' .. decision .. '"'
  end
  local fields = event.f
  fields[#fields] = string.sub(fields[#fields], 1, -2) .. suffix .. '}'
  local id = redis.call('XADD', KEYS[event.s], 'MAXLEN', '~', plan.ml, '*', unpack(fields))
  if event.h ~= 0 then
    local history = KEYS[event.h]
    redis.call('RPUSH', history, '{"streamId":"' .. id .. '"' .. suffix .. ',' .. string.sub(event.c, 2))
    redis.call('LTRIM', history, -plan.hl, -1)
  end
  reply[#reply + 1] = id
  reply[#reply + 1] = decision
end

return reply
