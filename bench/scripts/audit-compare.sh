#!/usr/bin/env bash
# Issue 10's benchmark: IssueRtcToken throughput of two server jars on the development default
# (plaintext, no config), alternating OLD/NEW/OLD/NEW... so both see the same machine load. Each
# round starts a fresh server (audit to stderr, captured in a file), runs the project's load runner,
# prints its ALL line and the audit lines written, and stops the server. Nothing is left running.
#
#   OLD_JAR=old.jar NEW_JAR=server/target/token-authority.jar bench/scripts/audit-compare.sh
#   ROUNDS=3 WARMUP=5 DURATION=20 CONCURRENCY=8 override the defaults below; NICE=-10 raises the
#   priority of servers and load runner on a shared machine (root); ORDER="new old"
#   starts each round with the new jar instead; CHANNELS=4 spreads the callers over 4 connections.
#
# Besides throughput, each round reports the server's CPU time per audited call (user + system
# time of the server process during the measured run, after a separate warm-up run, over the
# IssueRtcToken audit lines it wrote meanwhile): on a shared machine throughput follows whoever else runs, the CPU a call
# costs much less so.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench_jar=${BENCH_JAR:-$root/bench/target/benchmarks.jar}
: "${OLD_JAR:?set OLD_JAR to the jar of the build to compare against}"
new_jar=${NEW_JAR:-$root/server/target/token-authority.jar}
rounds=${ROUNDS:-3}
warmup=${WARMUP:-5}
duration=${DURATION:-20}
concurrency=${CONCURRENCY:-8}
channels=${CHANNELS:-1}
order=${ORDER:-old new}
export SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS-"-Xms64m -Xmx128m -XX:+UseSerialGC"}
work=$(mktemp -d)
srv_pid=
cleanup() {
  [ -z "$srv_pid" ] || bench_stop_server "$srv_pid"
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=lib.sh
. "$root/bench/scripts/lib.sh"

echo "== $(date -u +%FT%TZ) nproc=$(nproc) uptime: $(uptime)"
for r in $(seq 1 "$rounds"); do
  for which in $order; do
    if [ "$which" = old ]; then server_jar=$OLD_JAR; else server_jar=$new_jar; fi
    : >"$work/srv.err"
    bench_start_server srv
    # The server warms up in a run of its own (JIT compilation is not what a call costs); the measured
    # run's 2 s warm-up is for the load runner's fresh JVM.
    # shellcheck disable=SC2086
    timeout $((warmup + 60)) $bench_nice java -cp "$bench_jar" dev.tokenauthority.bench.load.LoadRunner \
      --target "127.0.0.1:$srv_port" --warmup 0 --duration "$warmup" --concurrency "$concurrency" \
      --channels "$channels" --mix rtc=1 >/dev/null
    cpu0=$(proc_cpu_ticks "$srv_pid")
    audited0=$(grep -c '"rpc":"IssueRtcToken"' "$work/srv.err" || true)
    # shellcheck disable=SC2086
    result=$(timeout $((duration + 60)) $bench_nice java -cp "$bench_jar" dev.tokenauthority.bench.load.LoadRunner \
      --target "127.0.0.1:$srv_port" --warmup 2 --duration "$duration" --concurrency "$concurrency" \
      --channels "$channels" --mix rtc=1)
    cpu1=$(proc_cpu_ticks "$srv_pid")
    audited=$(($(grep -c '"rpc":"IssueRtcToken"' "$work/srv.err" || true) - audited0))
    cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="$audited" 'BEGIN { printf "%.1f", n ? t / hz * 1e6 / n : 0 }')
    metrics=$(grep -s -m1 '^METRICS ' "$work/srv.out" || echo "METRICS none")
    bench_stop_server "$srv_pid"
    srv_pid=
    echo "round $r $which: $(grep '^ALL ' <<<"$result") | stderr lines $(wc -l <"$work/srv.err") | audited $audited | server CPU ${cpu_us} us/call | $metrics | load $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
echo "== $(date -u +%FT%TZ) uptime: $(uptime)"
