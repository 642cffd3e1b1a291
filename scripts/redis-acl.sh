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
SHARED_GROUP=(+xgroup\|create +xreadgroup +xack +xautoclaim +xpending +xinfo\|groups +xadd)

ALERT_KEYS=('~market_data' '~portfolio_updates' '~risk_events' '~alerts' '~service_heartbeats'
  '~market_data:dlq' '~portfolio_updates:dlq' '~risk_events:dlq' '~alerts:dlq'
  '~{alerts}:*' '~alert-service:prices:*' '~{rebal-notify}:*')
ALERT_CMDS=("${SHARED_GROUP[@]}" +evalsha +eval +multi +exec
  +get +set +del +exists +expire +pexpire +incr +mget +hget +hgetall +hmget +hset +hsetnx +hdel +hincrby
  +rpush +ltrim +lrange +zadd +zrem +zcard +zrange +zrangebyscore +zrevrangebyscore +zremrangebyscore
  +bzpopmin +hexists +hlen +hmset +hscan +lindex +llen +lpop +lpos +lpush +lrem +lset +rpop +rpoplpush
  +persist +pttl +rename +type +sadd +srem +scard +sismember +smembers +sscan +xtrim
  +zcount +zpopmin +zremrangebyrank +zrevrange +zscore)

GATEWAY_KEYS=('~market_data' '~portfolio_updates' '~risk_events' '~alerts' '~service_heartbeats' '~session:*')
GATEWAY_CMDS=(+xgroup\|create +xgroup\|setid +xgroup\|destroy +xreadgroup +xinfo\|stream +xinfo\|groups
  +xrange +xadd +hget +hset +pexpire +evalsha +eval)

HEALTH_KEYS=('~market_data' '~portfolio_updates' '~risk_events' '~alerts' '~service_heartbeats'
  '~market_data:dlq' '~portfolio_updates:dlq' '~risk_events:dlq' '~alerts:dlq' '~service_heartbeats:dlq'
  '~health-monitor:*' '~cache:health:*' '~cache-lock:health:*')
HEALTH_CMDS=("${SHARED_GROUP[@]}" +xgroup\|destroy +xgroup\|delconsumer +xinfo\|stream +xlen
  +evalsha +eval +get +set +del +exists +pttl +hget +hgetall +hset +hdel +pexpire)

acl rebal-alert-service reset on "$(hash "$ALERT_PW")" "${ALERT_KEYS[@]}" "${CONNECT[@]}" "${ALERT_CMDS[@]}"
acl rebal-gateway reset on "$(hash "$GATEWAY_PW")" "${GATEWAY_KEYS[@]}" "${CONNECT[@]}" "${GATEWAY_CMDS[@]}"
acl rebal-health-monitor reset on "$(hash "$HEALTH_PW")" "${HEALTH_KEYS[@]}" "${CONNECT[@]}" "${HEALTH_CMDS[@]}"

# One user for all three services, for the single `rebal-redis` Secret the k8s manifests ship.
acl rebal-app reset on "$(hash "$APP_PW")" "${ALERT_KEYS[@]}" "${GATEWAY_KEYS[@]}" "${HEALTH_KEYS[@]}" \
  "${CONNECT[@]}" "${ALERT_CMDS[@]}" "${GATEWAY_CMDS[@]}" "${HEALTH_CMDS[@]}"

# The doctor: read-only on the streams, plus CONFIG GET.
acl rebal-doctor reset on "$(hash "$DOCTOR_PW")" \
  '%R~market_data' '%R~portfolio_updates' '%R~risk_events' '%R~alerts' '%R~service_heartbeats' '%R~*:dlq' \
  "${CONNECT[@]}" +config\|get +type +xlen +xinfo\|stream +xinfo\|groups

# Producers (pricing and risk jobs, market simulator): append only.
acl rebal-producer reset on "$(hash "$PRODUCER_PW")" \
  '%W~market_data' '%W~portfolio_updates' '%W~risk_events' '%W~service_heartbeats' "${CONNECT[@]}" +xadd
echo "ACL users created; persist them with ACL SAVE (aclfile) or CONFIG REWRITE (users in redis.conf)"
