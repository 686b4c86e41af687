#!/usr/bin/env bash
# mTLS against plaintext, side by side: one plaintext and one mTLS server of the same jar and the
# same configuration (apart from `tls:`), the project's load runner (IssueRtcToken) against each in
# alternating rounds. Prints a markdown table: calls/s, and the CPU per call of the server and of
# the load runner (user + system over the measured window, read by the load runner itself).
#
# Needs: server/target/token-authority.jar and bench/target/benchmarks.jar
# (./mvnw -q -B -DskipTests package), openssl. Takes about ROUNDS x 2 x (WARMUP + DURATION + 2) s
# after a JIT warm-up of JIT_WARMUP s per server.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
server_jar=$root/server/target/token-authority.jar
bench_jar=$root/bench/target/benchmarks.jar
rounds=${ROUNDS:-4}
duration=${DURATION:-8}
warmup=${WARMUP:-2}
jit_warmup=${JIT_WARMUP:-10}
conc=${LR_CONCURRENCY:-8}
chans=${LR_CHANNELS:-1}
for f in "$server_jar" "$bench_jar"; do
  [ -f "$f" ] || { echo "missing $f: run ./mvnw -q -B -DskipTests package" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do bench_stop_server "$p"; done
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=lib.sh
. "$root/bench/scripts/lib.sh"

make_pki "$work/pki"
export_bench_secrets
mtls_config "$work/pki" >"$work/mtls.yaml"
plaintext_config >"$work/plain.yaml"
bench_start_server plain --config "$work/plain.yaml"
pids+=("$plain_pid")
bench_start_server tls --config "$work/mtls.yaml"
pids+=("$tls_pid")

# lr SERVER SECONDS_WARMUP SECONDS: one load-runner run; prints "calls/s p99 errors client-us server-us".
lr() {
  local name=$1 port_var=${1}_port pid_var=${1}_pid tls=()
  [ "$name" = tls ] && tls=(--ca "$work/pki/ca.pem" --cert "$work/pki/client.pem" --key "$work/pki/client-key.pem"
    --authority localhost)
  $bench_nice java -cp "$bench_jar" dev.tokenauthority.bench.load.LoadRunner --target "127.0.0.1:${!port_var}" \
    --server-pid "${!pid_var}" --warmup "$2" --duration "$3" --concurrency "$conc" --channels "$chans" --mix rtc=1 \
    --deadline-ms 30000 "${tls[@]}" | awk '$1 == "ALL" { r = $4 " " $7 " " $3 } $1 == "CPU" { c = $8 " " $10 } END { print r, c }'
  : >"$work/$name.err"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

for s in plain tls; do lr "$s" 0 "$jit_warmup" >/dev/null; done
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); IssueRtcToken, $conc callers on $chans connection(s),"
echo "$rounds alternating rounds of ${warmup} s warm-up + ${duration} s; CPU = user + system per call over the measured window, µs"
echo ""
echo "| round | plaintext calls/s | mTLS calls/s | calls/s ratio | server µs/call plaintext | mTLS | server CPU ratio | load runner µs/call plaintext | mTLS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for r in $(seq 1 "$rounds"); do
  read -r pq pp perr pc ps < <(lr plain "$warmup" "$duration")
  read -r tq tp terr tc ts < <(lr tls "$warmup" "$duration")
  [ "$perr" = 0 ] && [ "$terr" = 0 ] || { echo "load runner errors: plaintext $perr, mTLS $terr" >&2; exit 1; }
  echo "| $r | $pq | $tq | **$(ratio "$tq" "$pq")** | $ps | $ts | **$(ratio "$ps" "$ts")** | $pc | $tc |"
done
echo ""
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
