#!/usr/bin/env bash
# Starts or stops the servers the tests talk to, on loopback only:
#   a MongoDB-wire test server (SecantusDB, in memory) on 127.0.0.1:$ENERGY_TEST_MONGODB_PORT (27217)
# Usage: scripts/test-services.sh start|stop
set -euo pipefail
cd "$(dirname "$0")/.."
port=${ENERGY_TEST_MONGODB_PORT:-27217}
state=.build/test-services
mkdir -p "$state"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "${1:-}" in
start)
  if listening "$port"; then
    echo "test MongoDB already listening on 127.0.0.1:$port"
    exit 0
  fi
  nohup .venv/bin/secantusd-py --host 127.0.0.1 --port "$port" --storage-path :memory: --standalone \
    --cache-size 256M --log-level WARNING >"$state/mongodb.log" 2>&1 &
  echo $! >"$state/mongodb.pid"
  for _ in $(seq 1 100); do
    listening "$port" && { echo "test MongoDB listening on 127.0.0.1:$port"; exit 0; }
    sleep 0.1
  done
  echo "test MongoDB did not start; see $state/mongodb.log" >&2
  cat "$state/mongodb.log" >&2
  exit 1
  ;;
stop)
  if [ -f "$state/mongodb.pid" ]; then
    kill "$(cat "$state/mongodb.pid")" 2>/dev/null || true
    rm -f "$state/mongodb.pid"
  fi
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 64
  ;;
esac
