#!/usr/bin/env bash
# buf breaking (FILE rules, see proto/buf.yaml): proto/ as it is in the working tree against proto/
# of the previous main. Which commit that is:
#   - TA_BUF_AGAINST=<git ref>, when set;
#   - on a branch that has left main (main or origin/main exists and is not HEAD's own history
#     tip): the merge base, i.e. the main this branch will be merged into;
#   - otherwise (CI on main itself): HEAD~1, the previous commit of main's first-parent history.
# With no such commit (first commit, shallow clone) or no proto/ in it (first landing of the API)
# there is nothing to compare: it says so in one line and what it looked at, and exits 0.
# Usage: buf-breaking.sh [REPO_DIR]   (default: the repository holding this script)
# TA_BUF may name the buf binary (default: the one npm installed in client-stubs/node).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${1:-$here/../..}" && pwd)"
buf="${TA_BUF:-$here/../node/node_modules/@bufbuild/buf-linux-x64/bin/buf}"
[ -x "$buf" ] || { echo "ERROR: buf not found at $buf (run client-stubs/scripts/buf-lint.sh, which installs it)" >&2; exit 1; }
command -v git >/dev/null || { echo "ERROR: git is required for buf breaking (it compares with the previous main)" >&2; exit 1; }
g() { git -C "$repo" "$@"; }

not_run() {
  echo "buf breaking: NOT RUN, nothing to compare: $*"
  exit 0
}

g rev-parse --is-inside-work-tree >/dev/null 2>&1 || not_run "$repo is not a git checkout, so no earlier proto/ is known"
head="$(g rev-parse -q --verify 'HEAD^{commit}')" || not_run "the repository has no commit yet"

against="${TA_BUF_AGAINST:-}"
what="TA_BUF_AGAINST=$against"
if [ -z "$against" ]; then
  for main in refs/heads/main refs/remotes/origin/main; do
    g rev-parse -q --verify "$main^{commit}" >/dev/null || continue
    base="$(g merge-base HEAD "$main" 2>/dev/null || true)"
    if [ -n "$base" ] && [ "$base" != "$head" ]; then
      against="$base"
      what="merge base of HEAD and ${main#refs/*/}"
    fi
    break
  done
fi
if [ -z "$against" ]; then
  against="HEAD~1"
  what="HEAD~1, the previous commit of main's first-parent history"
fi

if ! commit="$(g rev-parse -q --verify "$against^{commit}")"; then
  shallow="$(g rev-parse --is-shallow-repository 2>/dev/null || echo false)"
  if [ "$shallow" = "true" ]; then
    not_run "$what does not exist in this shallow clone (fetch more history, e.g. git fetch --deepen=1, to compare)"
  fi
  not_run "$what does not exist (first commit of the repository)"
fi
short="$(g rev-parse --short=12 "$commit")"
g cat-file -e "$commit:proto/buf.yaml" 2>/dev/null \
  || not_run "$short ($what) has no proto/buf.yaml: this is the first landing of the API"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
g archive "$commit" proto | tar -x -C "$tmp"
cd "$repo/proto"
if ! "$buf" breaking --against "$tmp/proto"; then
  echo "buf breaking: FAILED: proto/ breaks compatibility with proto/ at $short ($what)" >&2
  exit 1
fi
echo "buf breaking: proto/ is compatible with proto/ at $short ($what)"
