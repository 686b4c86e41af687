#!/usr/bin/env bash
# Writes a class-data sharing (AppCDS) archive for the server jar, so the JVM maps the classes a
# start needs instead of loading and verifying them one by one: about half the time from launch to
# SERVING (docs/deployment.md#start-up, docs/benchmarks.md). JDK 17 writes an archive at the exit
# of a training run (-XX:ArchiveClassesAtExit); the training run is the development default on a
# free loopback port, stopped with SIGTERM (a clean exit) once it reports LISTENING.
#
#   server/scripts/cds-archive.sh [JAR] [ARCHIVE]
#   java -XX:SharedArchiveFile=ARCHIVE -Xms64m ... -jar JAR serve ...
#
# An archive belongs to one jar and one JDK build: after an upgrade of either, make it again. A JVM
# given an archive that does not match warns and starts without it (-Xshare:auto, the default).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=${1:-$root/server/target/token-authority.jar}
archive=${2:-${jar%.jar}.jsa}
[ -f "$jar" ] || { echo "cds-archive: no jar at $jar (build it: ./mvnw -B -DskipTests package)" >&2; exit 2; }
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar") # the archive records the jar's path
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -f "$archive"
# The documented heap and collector: an archive made under other GC settings may not map.
java -XX:ArchiveClassesAtExit="$archive" -Xms64m -Xmx128m -XX:+UseSerialGC \
  -jar "$jar" serve --port 0 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 600); do
  grep -qs '^LISTENING ' "$work/out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; echo "cds-archive: the training run exited" >&2; exit 1; }
  sleep 0.1
done
grep -qs '^LISTENING ' "$work/out" || { kill "$pid"; echo "cds-archive: no LISTENING within 60 s" >&2; exit 1; }
kill -TERM "$pid"
wait "$pid" || true
[ -s "$archive" ] || { cat "$work/err" >&2; echo "cds-archive: no archive written" >&2; exit 1; }
echo "cds-archive: wrote $archive ($(($(stat -c %s "$archive") / 1024 / 1024)) MiB) for $jar"
