#!/usr/bin/env bash
# redis-acl.sh: creates the Rebal Realtime users (least privilege, docs/operations.md section 2)
# on one Redis node. Run it against every node, as an admin user:
#   REDISCLI="redis-cli -h redis.internal --user admin" REDISCLI_AUTH=<admin password> \
#   ALERT_PW=... GATEWAY_PW=... HEALTH_PW=... APP_PW=... DOCTOR_PW=... PRODUCER_PW=... bash scripts/redis-acl.sh
# (with TLS add `--tls --cacert <ca.pem>` to REDISCLI). Passwords are read from the environment and
# only their SHA-256 is sent. The end-to-end tests run every service under these users.
set -euo pipefail
for var in ALERT_PW GATEWAY_PW HEALTH_PW APP_PW DOCTOR_PW PRODUCER_PW; do
  if [[ -z "${!var:-}" ]]; then echo "redis-acl.sh: $var is not set (the password of its user)" >&2; exit 2; fi
done
R=${REDISCLI:-redis-cli}
hash() { printf '#%s' "$(printf %s "$1" | sha256sum | cut -d' ' -f1)"; }
acl() {
  local reply
  reply=$($R ACL SETUSER "$@" 2>&1) || true
  if [[ "$reply" != "OK" ]]; then echo "redis-acl.sh: ACL SETUSER $1 failed: $reply" >&2; exit 1; fi
}

CONNECT=(+ping +info +client\|setname +select)            # Redis 7.2+: add +client|setinfo
# Reading a stream in a consumer group (no XADD: appends are granted per stream by a selector).
# The script keeps a consumer's read-but-not-started entries its own (keep-queued-entries.lua:
# XPENDING, then XCLAIM JUSTID), so EVALSHA/EVAL on the stream adds no other command.
GROUP_READ=(+xgroup\|create +xreadgroup +xack +xautoclaim +xpending +xclaim +xinfo\|groups +evalsha +eval)

# Each service's rights are split into selectors `(keys commands)`, so a command is allowed
# only on the keys it is meant for: reading the input streams does not allow appending to,
# trimming, expiring or deleting them.
ALERT_STREAMS=('~market_data' '~portfolio_updates' '~risk_events' '~alerts')
# Every alert-service replica reads the input streams with XREAD and evaluates the partitions it
# leases; the holder of partition 0 moves group alert-service along (advance-group.lua: XINFO
# GROUPS, XGROUP SETID, and XPENDING/XACK of what the engine before issue 12 left pending), and a
# replica whose start position has no entry count learns it from XINFO STREAM.
ALERT_READ=(+xread +xgroup\|setid +xinfo\|stream)
ALERT_APPEND='(~alerts ~market_data:dlq ~portfolio_updates:dlq ~risk_events:dlq ~alerts:dlq ~service_heartbeats ~{rebal-notify}:* +xadd)'
ALERT_SCRIPTS='(~alerts ~{alerts}:* ~alert-service:prices:* ~{rebal-notify}:* +evalsha +eval)'
# The rule engine's partitions (leases, checkpoints, price streams) and the rule change log are
# {alerts}:* keys too: their streams take XADD (with MINID trimming), XRANGE and XREVRANGE.
ALERT_DATA='(~{alerts}:* ~alert-service:prices:* ~{rebal-notify}:* +get +set +del +exists +expire +pexpire +incr +mget +hget +hgetall +hmget +hset +hsetnx +hdel +hincrby +rpush +ltrim +lrange +zadd +zrem +zcard +zrange +zrangebyscore +zrevrangebyscore +zremrangebyscore +bzpopmin +hexists +hlen +hmset +hscan +lindex +llen +lpop +lpos +lpush +lrem +lset +rpop +rpoplpush +persist +pttl +rename +type +sadd +srem +scard +sismember +smembers +sscan +xadd +xrange +xrevrange +xtrim +zcount +zpopmin +zremrangebyrank +zrevrange +zscore)'

GATEWAY_STREAMS=('~market_data' '~portfolio_updates' '~risk_events' '~alerts')
GATEWAY_READ=(+xgroup\|create +xgroup\|setid +xgroup\|destroy +xreadgroup +xinfo\|stream +xinfo\|groups +xrange)
GATEWAY_SESSIONS='(~session:* +hget +hset +pexpire +evalsha +eval)'
HEARTBEATS='(~service_heartbeats +xadd)'

HEALTH_STREAMS=('~market_data' '~portfolio_updates' '~risk_events' '~alerts' '~service_heartbeats'
  '~market_data:dlq' '~portfolio_updates:dlq' '~risk_events:dlq' '~alerts:dlq' '~service_heartbeats:dlq')
# Scripts on the streams: reaping checks and deletes in one script (XINFO, XGROUP DESTROY/DELCONSUMER only).
# Feed freshness tails the streams with an expectation: XREAD, and XREVRANGE of their last entries (not XRANGE).
HEALTH_READ=("${GROUP_READ[@]}" +xgroup\|destroy +xgroup\|delconsumer +xinfo\|stream +xlen +xread +xrevrange +evalsha +eval)
HEALTH_APPEND='(~risk_events ~service_heartbeats +xadd)'
HEALTH_DATA='(~health-monitor:* ~cache:health:* ~cache-lock:health:* +evalsha +eval +get +set +del +exists +pttl +hget +hgetall +hset +hdel +pexpire)'

acl rebal-alert-service reset on "$(hash "$ALERT_PW")" "${ALERT_STREAMS[@]}" "${CONNECT[@]}" "${GROUP_READ[@]}" "${ALERT_READ[@]}" +multi +exec \
  "$ALERT_APPEND" "$ALERT_SCRIPTS" "$ALERT_DATA"
acl rebal-gateway reset on "$(hash "$GATEWAY_PW")" "${GATEWAY_STREAMS[@]}" "${CONNECT[@]}" "${GATEWAY_READ[@]}" "$GATEWAY_SESSIONS" "$HEARTBEATS"
acl rebal-health-monitor reset on "$(hash "$HEALTH_PW")" "${HEALTH_STREAMS[@]}" "${CONNECT[@]}" "${HEALTH_READ[@]}" "$HEALTH_APPEND" "$HEALTH_DATA"

# One user for all three services, for the single `rebal-redis` Secret the k8s manifests ship.
acl rebal-app reset on "$(hash "$APP_PW")" "${HEALTH_STREAMS[@]}" "${CONNECT[@]}" "${HEALTH_READ[@]}" "${GATEWAY_READ[@]}" "${ALERT_READ[@]}" +multi +exec \
  "$ALERT_APPEND" "$ALERT_SCRIPTS" "$ALERT_DATA" "$GATEWAY_SESSIONS" "$HEALTH_APPEND" "$HEALTH_DATA"

# The doctor: read-only on the streams, plus CONFIG GET.
acl rebal-doctor reset on "$(hash "$DOCTOR_PW")" \
  '%R~market_data' '%R~portfolio_updates' '%R~risk_events' '%R~alerts' '%R~service_heartbeats' '%R~*:dlq' \
  "${CONNECT[@]}" +config\|get +type +xlen +xinfo\|stream +xinfo\|groups

# Producers (pricing and risk jobs, market simulator): append only.
acl rebal-producer reset on "$(hash "$PRODUCER_PW")" \
  '%W~market_data' '%W~portfolio_updates' '%W~risk_events' '%W~service_heartbeats' "${CONNECT[@]}" +xadd
echo "ACL users created; persist them with ACL SAVE (aclfile) or CONFIG REWRITE (users in redis.conf)"
