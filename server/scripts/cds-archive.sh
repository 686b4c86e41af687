#!/usr/bin/env bash
# Writes a class-data sharing (AppCDS) archive for the server jar, so the JVM maps the classes a
# start needs instead of loading and verifying them one by one: about half the time from launch to
# SERVING (docs/deployment.md#start-up, docs/benchmarks.md). JDK 17 writes an archive at the exit
# of a training run (-XX:ArchiveClassesAtExit); the training run serves a generated configuration
# file (so the YAML reader's classes are in the archive too) on a free loopback port, with the health
# listener and /metrics (OpenTelemetry's SDK and the Prometheus exporter) on two more, and is stopped
# with SIGTERM (a clean exit) once it reports LISTENING. The build runs this for
# server/target/token-authority.jar (server/pom.xml, skip with -Dcds.skip); the systemd unit runs
# it with --if-stale before each start.
#
#   server/scripts/cds-archive.sh [--if-stale] [JAR] [ARCHIVE]
#   java -XX:SharedArchiveFile=ARCHIVE -Xms64m ... -jar JAR serve ...
#
# --if-stale: do nothing when ARCHIVE already maps for JAR on this JDK (a JVM started with
#   -Xshare:on and it runs), so a new, rolled-back or copied jar or an upgraded JDK gets a new one
#   whatever the files' times say.
# The JVM: $JAVA, else $JAVA_HOME/bin/java, else java on PATH; launch the server with the same one.
# An archive belongs to one jar (its path, size and time) and one JDK build: after an upgrade of
# either, make it again. A JVM given an archive that does not match warns (one line, on stdout) and
# starts without it (-Xshare:auto, the default); given no file at that path, it says nothing.
set -euo pipefail
if_stale=false
if [ "${1:-}" = --if-stale ]; then
  if_stale=true
  shift
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=${1:-$root/server/target/token-authority.jar}
archive=${2:-${jar%.jar}.jsa}
[ -f "$jar" ] || { echo "cds-archive: no jar at $jar (build it: ./mvnw -B -DskipTests package)" >&2; exit 2; }
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar") # the archive records the jar's path
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
java=${java:-$(command -v java || true)}
[ -n "$java" ] && [ -x "$java" ] || { echo "cds-archive: no java (set JAVA or JAVA_HOME, or put java on PATH)" >&2; exit 2; }
if $if_stale && [ -s "$archive" ] \
  && "$java" -Xshare:on -XX:SharedArchiveFile="$archive" -Xms64m -Xmx128m -XX:+UseSerialGC -jar "$jar" --version >/dev/null 2>&1; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# Throwaway credentials for the training run only; never written anywhere but its environment.
TRAIN_AGORA_CERT=$(random_hex 16)
TRAIN_ZEGO_SECRET=$(random_hex 16)
TRAIN_EASEMOB_SECRET=YXA6$(random_hex 14)
export TRAIN_AGORA_CERT TRAIN_ZEGO_SECRET TRAIN_EASEMOB_SECRET
cat >"$work/config.yaml" <<YAML
listen: {address: 127.0.0.1, port: 0}
apps:
  agora: {vendor: agora, app_id: $(random_hex 16), certificate: {env: TRAIN_AGORA_CERT}}
  zego: {vendor: zego, app_id: 1234567, server_secret: {env: TRAIN_ZEGO_SECRET}}
  easemob:
    vendor: easemob
    app_key: train#archive
    client_id: YXA6train
    client_secret: {env: TRAIN_EASEMOB_SECRET}
callers:
  - {identity: local, apps: ["*"], rpcs: ["*"], max_lifetime_seconds: 3600}
YAML

# Written beside the target and moved into place, so a running server never maps a half-written file.
partial=$archive.partial.$$
rm -f "$partial"
# The documented heap and collector: an archive made under other GC settings may not map.
"$java" -XX:ArchiveClassesAtExit="$partial" -Xms64m -Xmx128m -XX:+UseSerialGC \
  -jar "$jar" serve --config "$work/config.yaml" --reload-interval 0 --health-port 0 --metrics-port 0 \
  >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 600); do
  grep -qs '^LISTENING ' "$work/out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; echo "cds-archive: the training run exited" >&2; exit 1; }
  sleep 0.1
done
grep -qs '^LISTENING ' "$work/out" || { kill "$pid"; echo "cds-archive: no LISTENING within 60 s" >&2; exit 1; }
kill -TERM "$pid"
wait "$pid" || true
[ -s "$partial" ] || { cat "$work/err" >&2; echo "cds-archive: no archive written" >&2; exit 1; }
mv -f "$partial" "$archive"
echo "cds-archive: wrote $archive ($(($(stat -c %s "$archive") / 1024 / 1024)) MiB) for $jar"
