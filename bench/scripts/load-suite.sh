#!/usr/bin/env bash
# Runs the gRPC load runner against the real server jar on loopback: the development default
# (plaintext) and then mTLS (a throw-away CA, server and client certificate made with openssl,
# credentials from environment variables). Prints each run's table; nothing is left running.
#
#   bench/scripts/load-suite.sh            # WARMUP=15 DURATION=30 CONCURRENCY=8 by default
#   WARMUP=5 DURATION=10 bench/scripts/load-suite.sh
#
# Needs server/target/token-authority.jar and bench/target/benchmarks.jar
# (./mvnw -q -B -DskipTests package) and openssl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
server_jar=$root/server/target/token-authority.jar
bench_jar=$root/bench/target/benchmarks.jar
warmup=${WARMUP:-15}
duration=${DURATION:-30}
concurrency=${CONCURRENCY:-8}
mix=${MIX:-rtc=4,zim=3,renew-rtc=2,renew-zim=1}
for f in "$server_jar" "$bench_jar"; do
  [ -f "$f" ] || { echo "missing $f: run ./mvnw -q -B -DskipTests package" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "openssl is required for the mTLS run" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Starts the server with the given arguments; sets server_pid and port once it prints LISTENING.
start_server() {
  java -jar "$server_jar" serve --port 0 "$@" >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  for _ in $(seq 1 120); do
    if line=$(grep -m1 '^LISTENING ' "$work/server.out"); then
      port=${line##*:}
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; echo "server exited" >&2; exit 1; }
    sleep 0.5
  done
  echo "server did not start" >&2
  exit 1
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" || true
  server_pid=
  echo "(server wrote $(wc -l <"$work/server.err") log lines, $(du -h "$work/server.err" | cut -f1) of audit + logs)"
}

# load CONCURRENCY [runner options...]
load() {
  local c=$1
  shift
  java -cp "$bench_jar" dev.tokenauthority.bench.load.LoadRunner --target "127.0.0.1:$port" \
    --warmup "$warmup" --duration "$duration" --concurrency "$c" "$@"
}

echo "== $(date -u +%FT%TZ) nproc=$(nproc) load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== development default (plaintext), mix $mix"
start_server
load "$concurrency" --mix "$mix"
echo "== development default, concurrency 1 (latency floor), mix $mix"
load 1 --mix "$mix"
stop_server

echo "== mTLS, mix $mix"
# shellcheck source=lib.sh
. "$root/bench/scripts/lib.sh"
pki=$work/pki
make_pki "$pki"
mtls_config "$pki" >"$work/config.yaml"
export_bench_secrets
start_server --config "$work/config.yaml"
load "$concurrency" --mix "$mix" --ca "$pki/ca.pem" --cert "$pki/client.pem" --key "$pki/client-key.pem" --authority localhost
stop_server
echo "== done $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
