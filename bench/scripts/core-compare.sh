#!/usr/bin/env bash
# Our 007 build and verify against the vendor's reference (CpuTimeComparison, thread CPU time per
# operation) in several JVMs, and the median ratio over them. Why several: each JVM draws its own
# random app id and certificate, whose bytes set the token body's symbol counts and so how often
# the deflater's slower block-choice step runs; one JVM's ratio moves by about ±10 %.
#
#   bench/scripts/core-compare.sh [JVMS] [ROUNDS] [CALLS]     # default: 7 JVMs, 7 rounds, 20000 calls
#
# Needs bench/target/benchmarks.jar (./mvnw -q -B -DskipTests package). About 10 s per JVM.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench_jar=$root/bench/target/benchmarks.jar
[ -f "$bench_jar" ] || { echo "missing $bench_jar: run ./mvnw -q -B -DskipTests package" >&2; exit 1; }
jvms=${1:-7}
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo ""
echo "| JVM | our build µs | reference µs | build ratio | our verify µs | reference µs | verify ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
builds=() verifies=()
for j in $(seq 1 "$jvms"); do
  out=$(java -cp "$bench_jar" dev.tokenauthority.bench.jmh.CpuTimeComparison "${2:-7}" "${3:-20000}")
  us() { awk -v op="$1" '$1 == op { print $2 }' <<<"$out"; }
  b=$(awk -v a="$(us referenceBuild)" -v b="$(us ourBuild)" 'BEGIN { printf "%.2f", a / b }')
  v=$(awk -v a="$(us referenceVerify)" -v b="$(us ourVerify)" 'BEGIN { printf "%.2f", a / b }')
  builds+=("$b") verifies+=("$v")
  echo "| $j | $(us ourBuild) | $(us referenceBuild) | $b | $(us ourVerify) | $(us referenceVerify) | $v |"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo ""
echo "Median over $jvms JVMs: build **$(median "${builds[@]}")×**, verify **$(median "${verifies[@]}")×** (reference / ours, CPU time)."
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
