#!/usr/bin/env bash
# mTLS against plaintext, side by side: one plaintext and one mTLS server of the same jar and the
# same configuration (apart from `tls:`), the project's load runner (IssueRtcToken) against each in
# alternating rounds from one load-runner JVM (lib.sh mtls_compare). Prints a markdown table:
# calls/s, and the CPU per call of each server and of the load runner (user + system over the
# measured window). LR_CONCURRENCY, LR_CHANNELS, LR_CLIENT, WARMUP_ROUNDS: see mtls_compare.
#
# Needs: server/target/token-authority.jar and bench/target/benchmarks.jar
# (./mvnw -q -B -DskipTests package), openssl. Takes about (ROUNDS + WARMUP_ROUNDS) x 2 x (WARMUP + DURATION) s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
server_jar=$root/server/target/token-authority.jar
bench_jar=$root/bench/target/benchmarks.jar
rounds=${ROUNDS:-4}
duration=${DURATION:-6}
warmup=${WARMUP:-2}
# shellcheck source=lib.sh
. "$root/bench/scripts/lib.sh"
bench_prepare

make_pki "$work/pki"
export_bench_secrets
mtls_config "$work/pki" >"$work/mtls.yaml"
plaintext_config >"$work/plain.yaml"
bench_start_server plain --config "$work/plain.yaml"
pids+=("$plain_pid")
bench_start_server tls --config "$work/mtls.yaml"
pids+=("$tls_pid")

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo ""
mtls_compare "$work/pki" "$rounds" "$warmup" "$duration"
echo ""
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
