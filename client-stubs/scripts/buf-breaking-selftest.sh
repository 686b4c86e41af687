#!/usr/bin/env bash
# Proves buf-breaking.sh catches what it must, in throwaway git repositories with the project's
# own proto/buf.yaml: the first landing is reported, not silently skipped; a removed field on main
# fails, also behind a later commit; an added field passes; a branch is compared with where it left main; a shallow clone is
# reported. Run by buf-lint.sh (the build's buf step).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
check="$here/buf-breaking.sh"
buf_yaml="$here/../../proto/buf.yaml"
export TA_BUF="${TA_BUF:-$here/../node/node_modules/@bufbuild/buf-linux-x64/bin/buf}"
unset TA_BUF_AGAINST
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "buf breaking self-test FAILED: $*" >&2
  failures=$((failures + 1))
}

# expect NAME EXIT_CODE TEXT REPO: runs the check on REPO, wants that exit code and TEXT in its output.
expect() {
  local name="$1" want="$2" text="$3" repo="$4" out rc=0
  out="$(bash "$check" "$repo" 2>&1)" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, expected $want; output: $out"
  elif ! grep -qF -- "$text" <<<"$out"; then
    fail "$name: output lacks '$text'; output: $out"
  fi
}

api() { # api REPO FIELDS...: writes proto/ with message Grant holding the given fields
  local repo="$1"; shift
  mkdir -p "$repo/proto/src/main/proto/selftest/v1"
  cp "$buf_yaml" "$repo/proto/buf.yaml"
  {
    echo 'syntax = "proto3";'
    echo 'package selftest.v1;'
    echo 'message Grant {'
    local n=1 f
    for f in "$@"; do echo "  string $f = $n;"; n=$((n + 1)); done
    echo '}'
  } >"$repo/proto/src/main/proto/selftest/v1/grant.proto"
}

commit() { # commit REPO MESSAGE
  git -C "$1" add -A && git -C "$1" -c user.name=selftest -c user.email=selftest@invalid commit -q -m "$2"
}

repo="$work/repo"
git init -q "$repo" && git -C "$repo" symbolic-ref HEAD refs/heads/main
echo readme >"$repo/README" && commit "$repo" "before the API"
expect "no earlier commit" 0 "NOT RUN" "$repo"

api "$repo" channel user && commit "$repo" "first landing of proto/"
expect "first landing" 0 "first landing of the API" "$repo"

api "$repo" channel user role && commit "$repo" "add a field"
expect "field added" 0 "is compatible" "$repo"

api "$repo" channel role && commit "$repo" "remove a field"
expect "field removed on main" 1 "FAILED" "$repo"
expect "buf names the removed field" 1 '"user"' "$repo"

# Several commits pushed at once: the break is not in the last one, and still caught.
echo more >>"$repo/README" && commit "$repo" "unrelated, after the break"
expect "break hidden behind a later commit" 1 "FAILED" "$repo"

# A branch off main with two commits: the first breaks, the second does not touch proto/. HEAD~1
# alone would miss it; the comparison is with where the branch left main.
git -C "$repo" checkout -q -b feature
api "$repo" channel && commit "$repo" "branch: remove role"
echo more >>"$repo/README" && commit "$repo" "branch: unrelated"
expect "branch compared with main" 1 "merge base of HEAD and main" "$repo"

# An uncommitted breaking edit in the working tree counts too.
git -C "$repo" checkout -q main
api "$repo" channel && expect "working tree edit" 1 "FAILED" "$repo"
git -C "$repo" checkout -q -- proto

git clone -q --depth 1 "file://$repo" "$work/shallow"
expect "shallow clone" 0 "shallow clone" "$work/shallow"

if [ "$failures" -ne 0 ]; then
  exit 1
fi
echo "buf breaking self-test: first landing and shallow clone reported; removed fields caught on main, on a branch and in the working tree"
