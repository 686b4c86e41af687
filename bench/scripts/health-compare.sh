#!/usr/bin/env bash
# Token RPCs against grpc.health.v1.Health/Check on one plaintext server, with the project's load
# runner (lib.sh health_compare): issue 11's "≥ 85 % of Health/Check" measured by a real gRPC
# client, whose own cost per call is in what a caller sees (service-compare.sh measures the same
# with h2load, which has almost none). Prints a markdown table per RPC and round: calls/s, the
# ratio, p99, and the CPU per call of the server and of the load runner.
#
#   bench/scripts/health-compare.sh [OP...]     # default: rtc zim renew-rtc (LoadRunner --mix keys)
#
# Needs: server/target/token-authority.jar and bench/target/benchmarks.jar
# (./mvnw -q -B -DskipTests package). Takes about OPs x (ROUNDS + WARMUP_ROUNDS) x 2 x (WARMUP + DURATION) s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
server_jar=$root/server/target/token-authority.jar
bench_jar=$root/bench/target/benchmarks.jar
rounds=${ROUNDS:-3}
duration=${DURATION:-5}
warmup=${WARMUP:-2}
# shellcheck source=lib.sh
. "$root/bench/scripts/lib.sh"
bench_prepare

export_bench_secrets
plaintext_config >"$work/plain.yaml"
bench_start_server plain --config "$work/plain.yaml"
pids+=("$plain_pid")

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo ""
if [ $# -eq 0 ]; then
  set -- rtc zim renew-rtc
fi
health_compare "$rounds" "$warmup" "$duration" "$@"
echo ""
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
