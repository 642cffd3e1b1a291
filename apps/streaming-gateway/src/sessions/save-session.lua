-- Saves a streaming-gateway session, unless a newer connection has taken it over.
-- KEYS[1]  the session key, `<prefix>session:<id>` (a hash: owner, data)
-- ARGV[1]  owner: id of the connection writing
-- ARGV[2]  the session record, JSON
-- ARGV[3]  TTL in milliseconds
-- ARGV[4]  '1': take the session over (a connection created or resumed it); '0': routine update
-- Reply: 1 when saved; 0 when another connection owns the session (nothing written)
if ARGV[4] == '0' then
  local owner = redis.call('HGET', KEYS[1], 'owner')
  if owner and owner ~= ARGV[1] then
    return 0
  end
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'data', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
