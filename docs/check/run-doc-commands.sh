#!/usr/bin/env bash
# Runs the shell commands written in docs/*.md, so the docs cannot rot.
#
# Each Markdown file is one session: a fresh temporary directory holding
# server/target/token-authority.jar (the jar this build made) where the file's marked ```sh blocks
# run in order in one bash, as a reader would type them (variables carry over), with buf on PATH.
# Servers a block starts (<!-- doc-test: serve PORT -->) run in the background on free loopback
# ports, are bounded in time and are always stopped (trap), however the session ends.
# Markers are described in doc-blocks.mjs. Blocks marked not-tested are listed with their reason.
#
# Usage: run-doc-commands.sh [DOC.md...]   (default: every docs/*.md)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${TA_JAR:-$root/server/target/token-authority.jar}
session_timeout=${DOC_TEST_SESSION_TIMEOUT:-420}

die() { echo "doc-test: $*" >&2; exit 1; }
[[ -f $jar ]] || die "$jar is missing: build it first (./mvnw -B verify builds server before docs)"
# buf comes from its linux-x64 platform package: the @bufbuild/buf wrapper's other platform
# packages are not served by this registry, which breaks `npm ci` on its lock file.
buf_bin=$here/node_modules/@bufbuild/buf-linux-x64/bin
[[ -x $buf_bin/buf ]] || die "buf is missing: run 'npm ci' in docs/check"
for tool in java node openssl timeout setsid; do
  command -v "$tool" >/dev/null || die "'$tool' is required and not installed"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ta-doc-test.XXXXXX")
pidfile=$work/server-pids
: >"$pidfile"

cleanup() {
  # Backstop for sessions killed by the timeout: stop every server process group still alive.
  local pgid
  while read -r pgid; do
    [[ -n $pgid ]] && kill -TERM -- "-$pgid" 2>/dev/null || true
  done <"$pidfile"
  sleep 1
  while read -r pgid; do
    [[ -n $pgid ]] && kill -KILL -- "-$pgid" 2>/dev/null || true
  done <"$pidfile"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $# -gt 0 ]]; then
  docs=("$@")
else
  mapfile -t docs < <(find "$root/docs" -maxdepth 1 -name '*.md' | sort)
fi

ran=0
sessions_failed=0
not_tested=()
for doc in "${docs[@]}"; do
  name=$(basename "$doc" .md)
  blocks=$work/blocks/$name
  node "$here/doc-blocks.mjs" "$doc" "$blocks" || die "$doc: badly marked blocks (see above)"
  runnable=0
  for meta in "$blocks"/*.meta; do
    [[ -e $meta ]] || continue
    read -r kind where arg <"$meta"
    if [[ $kind == skip ]]; then
      not_tested+=("$where: $(head -n1 "${meta%.meta}.sh") -- $arg")
    else
      runnable=$((runnable + 1))
    fi
  done
  [[ $runnable -gt 0 ]] || continue
  session=$work/run/$name
  mkdir -p "$session/server/target"
  ln -s "$jar" "$session/server/target/token-authority.jar"
  echo "=== $name.md: $runnable block(s)"
  if timeout --kill-after=15 "$session_timeout" \
      bash "$here/doc-session.sh" "$blocks" "$session" "$pidfile" "$buf_bin"; then
    ran=$((ran + runnable))
  else
    rc=$?
    [[ $rc -eq 124 ]] && echo "doc-test: $name.md did not finish within ${session_timeout}s" >&2
    sessions_failed=$((sessions_failed + 1))
  fi
done

echo
echo "Not run here (${#not_tested[@]}):"
for t in "${not_tested[@]}"; do echo "  $t"; done
echo
if [[ $sessions_failed -gt 0 ]]; then
  echo "doc-test: $sessions_failed doc(s) failed" >&2
  exit 1
fi
echo "doc-test: $ran documented block(s) ran as written"
