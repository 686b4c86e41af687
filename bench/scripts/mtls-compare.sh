#!/usr/bin/env bash
# mTLS against plaintext, side by side: one plaintext and one mTLS server of the same jar and the
# same configuration (apart from `tls:`), the project's load runner (IssueRtcToken) against each in
# alternating rounds. Prints a markdown table: calls/s, and the CPU per call of the server and of
# the load runner (user + system over the measured window, read by the load runner itself).
#
# Needs: server/target/token-authority.jar and bench/target/benchmarks.jar
# (./mvnw -q -B -DskipTests package), openssl. Takes about (ROUNDS + WARMUP_ROUNDS) x 2 x (WARMUP + DURATION) s.
# LR_CLIENT=blocking uses the load runner's blocking callers (one thread per call in flight).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
server_jar=$root/server/target/token-authority.jar
bench_jar=$root/bench/target/benchmarks.jar
rounds=${ROUNDS:-4}
duration=${DURATION:-6}
warmup=${WARMUP:-2}
conc=${LR_CONCURRENCY:-8}
chans=${LR_CHANNELS:-1}
client=${LR_CLIENT:-async}
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

# One load-runner JVM loads both servers: WARMUP_ROUNDS (default 2) unreported rounds, then
# alternating measured rounds. A fresh JVM per run would spend its measured window compiling (mTLS has more client code to
# compile than plaintext) on the cores the servers use. --async keeps the client's own CPU per
# call low (no thread hop per call), so more of the two cores is left to the servers.
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
$bench_nice java -cp "$bench_jar" dev.tokenauthority.bench.load.LoadRunner --target "127.0.0.1:$tls_port" \
  --server-pid "$tls_pid" --ca "$work/pki/ca.pem" --cert "$work/pki/client.pem" --key "$work/pki/client-key.pem" \
  --authority localhost --baseline-target "127.0.0.1:$plain_port" --baseline-server-pid "$plain_pid" \
  --warmup "$warmup" --duration "$duration" --rounds "$rounds" --warmup-rounds "${WARMUP_ROUNDS:-2}" \
  --concurrency "$conc" --channels "$chans" \
  $([ "$client" = async ] && echo --async) --mix rtc=1 --deadline-ms 30000 >"$work/lr.txt"
awk '$1 == "ALL" && $3 != 0 { bad = 1 } END { exit bad }' "$work/lr.txt" || { echo "load runner errors:" >&2; cat "$work/lr.txt" >&2; exit 1; }
echo "IssueRtcToken, $conc callers on $chans connection(s) per server, $client client; $rounds alternating rounds of"
echo "${warmup} s warm-up + ${duration} s after ${WARMUP_ROUNDS:-2} unreported rounds; CPU = user + system per call over the measured window, µs"
echo ""
echo "| round | plaintext calls/s | mTLS calls/s | mTLS / plaintext | p99 ms plaintext / mTLS | server µs/call plaintext / mTLS | server CPU ratio | load runner µs/call plaintext / mTLS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
awk '$1 == "COMPARE" && $2 ~ /^[0-9]+$/ { printf "| %s | %s | %s | **%s** | %s / %s | %s / %s | **%s** | %s / %s |\n", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$work/lr.txt"
echo ""
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
