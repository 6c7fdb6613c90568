#!/usr/bin/env bash
# Starts or stops the servers the tests talk to, on loopback only:
#   a MongoDB-wire test server (SecantusDB, in memory) on 127.0.0.1:$ENERGY_TEST_MONGODB_PORT (27217)
#   the same with authentication on 127.0.0.1:$ENERGY_TEST_MONGODB_AUTH_PORT (27219): user energy,
#   password energy-test, readWrite on database energy_auth
#   one more open server on 127.0.0.1:$ENERGY_TEST_MONGODB_ISOLATED_PORT (27218) for the test that kills a
#   rollup inside its transaction: the abandoned transaction lives on there until the server aborts
#   it (60 s), and must not slow down the other tests meanwhile
#   RabbitMQ on 127.0.0.1:$ENERGY_TEST_AMQP_PORT (5672), management off: user energy, password
#   energy-test, fresh vhosts energy-test-1 … energy-test-$amqp_vhosts (one per live-path test);
#   started only if it is installed and not already listening, stopped only if started here
# Usage: scripts/test-services.sh start|stop
set -euo pipefail
cd "$(dirname "$0")/.."
port=${ENERGY_TEST_MONGODB_PORT:-27217}
auth_port=${ENERGY_TEST_MONGODB_AUTH_PORT:-27219}
isolated_port=${ENERGY_TEST_MONGODB_ISOLATED_PORT:-27218}
amqp_port=${ENERGY_TEST_AMQP_PORT:-5672}
amqp_vhosts=10
state=.build/test-services
mkdir -p "$state"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

await_port() {
  for _ in $(seq 1 100); do
    listening "$1" && return 0
    sleep 0.1
  done
  echo "test MongoDB on port $1 did not start; see $state/mongodb*.log" >&2
  cat "$state"/mongodb*.log >&2
  return 1
}

# The authenticating server needs its user before --auth: create it on a first, open start.
start_auth_server() {
  listening "$auth_port" && return 0
  rm -rf "$state/auth-db"
  .venv/bin/secantusd-py --host 127.0.0.1 --port "$auth_port" --storage-path "$state/auth-db" --standalone \
    --log-level WARNING >"$state/mongodb-auth.log" 2>&1 &
  local setup=$!
  await_port "$auth_port"
  .venv/bin/python - "$auth_port" <<'PY'
import sys, time, pymongo
client = pymongo.MongoClient(f"mongodb://127.0.0.1:{sys.argv[1]}/?directConnection=true", serverSelectionTimeoutMS=10000)
client.admin.command("createUser", "energy", pwd="energy-test", roles=[{"role": "readWrite", "db": "energy_auth"}])
PY
  kill "$setup"
  wait "$setup" 2>/dev/null || true
  while listening "$auth_port"; do sleep 0.1; done
  nohup .venv/bin/secantusd-py --host 127.0.0.1 --port "$auth_port" --storage-path "$state/auth-db" --standalone --auth \
    --log-level WARNING >>"$state/mongodb-auth.log" 2>&1 &
  echo $! >"$state/mongodb-auth.pid"
  await_port "$auth_port"
}

# RabbitMQ as Debian installs it, configured for loopback only (the package starts nothing here).
start_rabbitmq() {
  command -v rabbitmq-server >/dev/null || { echo "rabbitmq-server is not installed: run scripts/install-deps.sh test" >&2; return 1; }
  if ! listening "$amqp_port"; then
    mkdir -p /etc/rabbitmq
    printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users = none\n' "$amqp_port" >/etc/rabbitmq/rabbitmq.conf
    printf 'NODE_IP_ADDRESS=127.0.0.1\nexport ERL_EPMD_ADDRESS=127.0.0.1\n' >/etc/rabbitmq/rabbitmq-env.conf
    rabbitmq-plugins disable --offline rabbitmq_management >/dev/null 2>&1 || true
    ERL_EPMD_ADDRESS=127.0.0.1 rabbitmq-server -detached >"$state/rabbitmq.log" 2>&1
    touch "$state/rabbitmq.started"
    for _ in $(seq 1 300); do listening "$amqp_port" && break; sleep 0.1; done
    listening "$amqp_port" || { echo "RabbitMQ did not start on 127.0.0.1:$amqp_port; see /var/log/rabbitmq" >&2; return 1; }
  fi
  rabbitmqctl -q await_startup --timeout 60
  rabbitmqctl -q list_users | grep -q '^energy\b' || rabbitmqctl -q add_user energy energy-test >/dev/null
  for i in $(seq 1 "$amqp_vhosts"); do
    rabbitmqctl -q delete_vhost "energy-test-$i" >/dev/null 2>&1 || true
    rabbitmqctl -q add_vhost "energy-test-$i" >/dev/null
    rabbitmqctl -q set_permissions -p "energy-test-$i" energy '.*' '.*' '.*' >/dev/null
  done
}

case "${1:-}" in
start)
  start_rabbitmq
  echo "test RabbitMQ listening on 127.0.0.1:$amqp_port (vhosts energy-test-1..$amqp_vhosts)"
  for server in "mongodb:$port" "mongodb-isolated:$isolated_port"; do
    name=${server%%:*} p=${server##*:}
    if listening "$p"; then
      echo "test MongoDB already listening on 127.0.0.1:$p"
      continue
    fi
    nohup .venv/bin/secantusd-py --host 127.0.0.1 --port "$p" --storage-path :memory: --standalone \
      --cache-size "${ENERGY_TEST_MONGODB_CACHE:-1G}" --log-level WARNING >"$state/$name.log" 2>&1 &
    echo $! >"$state/$name.pid"
    await_port "$p"
    echo "test MongoDB listening on 127.0.0.1:$p"
  done
  start_auth_server
  echo "test MongoDB with authentication listening on 127.0.0.1:$auth_port"
  ;;
stop)
  if [ -f "$state/rabbitmq.started" ]; then
    rabbitmqctl -q shutdown >/dev/null 2>&1 || true
    rm -f "$state/rabbitmq.started"
  fi
  for pidfile in "$state/mongodb.pid" "$state/mongodb-isolated.pid" "$state/mongodb-auth.pid"; do
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    fi
  done
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 64
  ;;
esac
