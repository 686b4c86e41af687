#!/usr/bin/env bash
# The commands of docs/benchmarks.md, briefly, so they cannot rot: the JMH jar lists and runs a
# benchmark, the load suite runs against the real server (dev default and mTLS) with every call
# succeeding, mtls-compare.sh compares an mTLS and a plaintext server for a second,
# health-compare.sh compares IssueRtcToken with Health/Check for a second, core-compare.sh our
# build with the vendor's in one short JVM, the build's class-data
# sharing archive maps, and cds-archive.sh --if-stale makes, keeps and remakes one as it should and
# the server starts from it. Numbers
# are not checked; they are what the long runs are for.
# Run by `./mvnw verify` (bench module, integration-test phase).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench_jar=$root/bench/target/benchmarks.jar
fail() { echo "bench smoke: $*" >&2; exit 1; }

listed=$(java -jar "$bench_jar" -l)
for cls in AgoraBenchmarks ZegoBenchmarks EasemobBenchmarks PrimitivesBenchmarks VendorComparisonBenchmarks; do
  grep -q "\.$cls\." <<<"$listed" || fail "benchmarks.jar does not list $cls"
done

jmh=$(java -jar "$bench_jar" 'ZegoBenchmarks.buildZim$' -f 1 -wi 0 -i 1 -r 1s -prof gc)
grep -qE '^ZegoBenchmarks\.buildZim +thrpt' <<<"$jmh" || { echo "$jmh" >&2; fail "JMH printed no result"; }

out=$(WARMUP=0 DURATION=1 CONCURRENCY=2 "$root/bench/scripts/load-suite.sh" 2>&1) \
  || { echo "$out" >&2; fail "load-suite.sh failed"; }
echo "$out"
# Three tables (dev at CONCURRENCY and at 1 caller thread, then mTLS), each ending in an ALL row: calls and no errors.
all_rows=$(grep -E '^ALL ' <<<"$out" || true)
[ "$(wc -l <<<"$all_rows")" -eq 3 ] || fail "expected 3 load tables, got: $all_rows"
awk '$2 < 1 || $3 != 0 { bad = 1 } END { exit bad }' <<<"$all_rows" \
  || fail "a load run made no calls or had errors: $all_rows"
# mTLS against plaintext from one load-runner JVM (bench/scripts/mtls-compare.sh: --async,
# --baseline-target, --server-pid): one round in the table, and the script itself fails on any
# load-runner error or audit line that is not ok.
out=$(ROUNDS=1 WARMUP_ROUNDS=0 WARMUP=0 DURATION=1 "$root/bench/scripts/mtls-compare.sh" 2>&1) \
  || { echo "$out" >&2; fail "mtls-compare.sh failed"; }
echo "$out"
grep -qE '^\| 1 \| [0-9]+ \| [0-9]+ \| \*\*[0-9.]+\*\* \|.* \| [0-9.]+ / [0-9.]+ \| \*\*[0-9.]+\*\* \|' <<<"$out" \
  || fail "mtls-compare.sh printed no measured round"
# Token RPCs against Health/Check from the load runner (bench/scripts/health-compare.sh:
# --baseline-mix health=1 on one server): a measured round, no load-runner error, no audit line not ok.
out=$(ROUNDS=1 WARMUP_ROUNDS=0 WARMUP=0 DURATION=1 "$root/bench/scripts/health-compare.sh" rtc 2>&1) \
  || { echo "$out" >&2; fail "health-compare.sh failed"; }
echo "$out"
grep -qE '^\| rtc \| 1 \| [0-9]+ \| [0-9]+ \| \*\*[0-9.]+\*\* \|' <<<"$out" \
  || fail "health-compare.sh printed no measured round"
# Our build and verify against the vendor's reference by CPU time (bench/scripts/core-compare.sh):
# one JVM, one short round, a row and the median line.
out=$("$root/bench/scripts/core-compare.sh" 1 1 200 2>&1) || { echo "$out" >&2; fail "core-compare.sh failed"; }
echo "$out"
grep -qE '^\| 1 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|$' <<<"$out" \
  || fail "core-compare.sh printed no JVM row"
grep -qE '^Median over 1 JVMs: build \*\*[0-9.]+×\*\*' <<<"$out" || fail "core-compare.sh printed no median"
# The start-up archive (docs/deployment.md#start-up). The one the build wrote beside the jar maps
# (-Xshare:on makes the JVM fail instead of starting without an archive it cannot map), unless the
# build skipped it (-Dcds.skip). Then --if-stale on a copy of the jar: makes an archive where there is
# none, leaves a working one alone, and makes a new one when the jar changed even with an older time
# (a rollback), which is what the systemd unit relies on.
server_jar=$root/server/target/token-authority.jar
cds=$root/server/scripts/cds-archive.sh
cds_work=$(mktemp -d)
trap 'rm -rf "$cds_work"' EXIT
if [ -s "$root/server/target/token-authority.jsa" ]; then
  java -Xshare:on -XX:SharedArchiveFile="$root/server/target/token-authority.jsa" -Xms64m -Xmx128m \
    -XX:+UseSerialGC -jar "$server_jar" --version >/dev/null || fail "the build's archive does not map"
fi
cp "$server_jar" "$cds_work/ta.jar"
archive=$cds_work/ta.jsa
"$cds" --if-stale "$cds_work/ta.jar" "$archive" >"$cds_work/made" || fail "cds-archive.sh failed"
[ -s "$cds_work/made" ] || fail "cds-archive.sh --if-stale made no archive where there was none"
"$cds" --if-stale "$cds_work/ta.jar" "$archive" >"$cds_work/kept" || fail "cds-archive.sh --if-stale failed"
[ ! -s "$cds_work/kept" ] || fail "cds-archive.sh --if-stale remade a working archive: $(cat "$cds_work/kept")"
touch -d '2000-01-01' "$cds_work/ta.jar"
"$cds" --if-stale "$cds_work/ta.jar" "$archive" >"$cds_work/remade" || fail "cds-archive.sh --if-stale failed"
[ -s "$cds_work/remade" ] || fail "cds-archive.sh --if-stale kept an archive of another jar"
server_jar=$cds_work/ta.jar
java -Xshare:on -XX:SharedArchiveFile="$archive" -Xms64m -Xmx128m -XX:+UseSerialGC \
  -jar "$server_jar" serve --port 0 >"$cds_work/out" 2>"$cds_work/err" &
cds_pid=$!
for _ in $(seq 1 600); do
  grep -qs '^LISTENING ' "$cds_work/out" && break
  kill -0 "$cds_pid" 2>/dev/null || break
  sleep 0.1
done
grep -qs '^LISTENING ' "$cds_work/out" || { cat "$cds_work/err" >&2; kill "$cds_pid" 2>/dev/null; fail "no LISTENING with the CDS archive"; }
kill -TERM "$cds_pid"
wait "$cds_pid" || true # 143 after SIGTERM
echo "bench smoke: ok"
