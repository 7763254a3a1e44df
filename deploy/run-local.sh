#!/usr/bin/env bash
# Quick start: installs dependencies, builds, starts a local redis-server and a local OMS sink,
# then runs the gateway on http://127.0.0.1:8080 with deploy/ordergate.yaml.
# Ctrl-C stops the gateway (the redis-server and the sink keep running in the background;
# `bash deploy/run-local.sh --stop` stops them).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="$ROOT/.local"
REDIS_PORT="${ORDERGATE_REDIS_PORT:-6390}"
SINK_PORT="${ORDERGATE_SINK_PORT:-9000}"

if [ "${1:-}" = "--stop" ]; then
  redis-cli -p "$REDIS_PORT" shutdown nosave 2>/dev/null || true
  [ -f "$STATE/oms-sink.pid" ] && kill "$(cat "$STATE/oms-sink.pid")" 2>/dev/null || true
  exit 0
fi

bash "$ROOT/deploy/install-deps.sh"
cmake -S "$ROOT" -B "$ROOT/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$ROOT/build" --target ordergate -j2

mkdir -p "$STATE/redis"
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STATE/redis" \
    --appendonly yes --appendfsync everysec --daemonize yes \
    --logfile "$STATE/redis/redis.log" --pidfile "$STATE/redis/redis.pid"
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
echo "redis-server: 127.0.0.1:$REDIS_PORT (data in $STATE/redis)"

if ! curl -fs "http://127.0.0.1:$SINK_PORT/healthz" >/dev/null 2>&1; then
  python3 "$ROOT/deploy/oms-sink.py" --port "$SINK_PORT" --out "$STATE/oms-events.jsonl" \
    >"$STATE/oms-sink.log" 2>&1 &
  echo $! >"$STATE/oms-sink.pid"
fi
echo "OMS sink:     http://127.0.0.1:$SINK_PORT (events appended to $STATE/oms-events.jsonl)"

export ORDERGATE_REDIS_URL="${ORDERGATE_REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/0}"
export OMS_URL="${OMS_URL:-http://127.0.0.1:$SINK_PORT}"
echo "gateway:      http://127.0.0.1:8080 (healthz, readyz, metrics; config deploy/ordergate.yaml)"
exec "$ROOT/build/gateway/ordergate" serve --config "$ROOT/deploy/ordergate.yaml"
