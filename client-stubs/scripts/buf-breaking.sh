#!/usr/bin/env bash
# buf breaking (FILE rules, see proto/buf.yaml): proto/ as it is in the working tree against the
# proto/ that main has published before. Which commits those are:
#   - TA_BUF_AGAINST=<git ref>, when set: that one;
#   - on a branch that has left main (main or origin/main exists and is not HEAD's own history
#     tip): the merge base, i.e. the main this branch will be merged into;
#   - otherwise (CI on main itself): EVERY commit of main's first-parent history that changed
#     proto/, so a push of several commits cannot hide a break in an earlier one, and v1 stays
#     compatible with each version ever published. (HEAD itself only when the working tree differs.)
# A commit without proto/buf.yaml (before buf was set up) is compared with today's rules.
# With no such commit (first landing of the API) or a shallow clone there is nothing to compare:
# it says so in one line and what it looked at, and exits 0.
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

shallow="$(g rev-parse --is-shallow-repository 2>/dev/null || echo false)"
declare -a commits=()
if [ -n "$against" ]; then
  if ! commit="$(g rev-parse -q --verify "$against^{commit}")"; then
    [ "$shallow" = "true" ] && not_run "$what does not exist in this shallow clone (fetch more history to compare)"
    not_run "$what does not exist"
  fi
  g cat-file -e "$commit:proto" 2>/dev/null \
    || not_run "$(g rev-parse --short=12 "$commit") ($what) has no proto/: this is the first landing of the API"
  commits=("$commit")
else
  [ "$shallow" = "true" ] && not_run "this is a shallow clone, so main's earlier versions of proto/ are unknown (fetch the history to compare)"
  what="a version of proto/ published on main"
  while read -r c; do
    [ "$c" = "$head" ] && g diff --quiet HEAD -- proto && continue # the working tree is HEAD: nothing to compare
    g cat-file -e "$c:proto" 2>/dev/null && commits+=("$c")
  done < <(g rev-list --first-parent HEAD -- proto)
  [ "${#commits[@]}" -gt 0 ] || not_run "no earlier commit of main has proto/: this is the first landing of the API"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0
for commit in "${commits[@]}"; do
  short="$(g rev-parse --short=12 "$commit")"
  rm -rf "$tmp/proto"
  g archive "$commit" proto | tar -x -C "$tmp"
  [ -f "$tmp/proto/buf.yaml" ] || cp "$repo/proto/buf.yaml" "$tmp/proto/buf.yaml"
  if ! (cd "$repo/proto" && "$buf" breaking --against "$tmp/proto"); then
    echo "buf breaking: FAILED: proto/ breaks compatibility with proto/ at $short ($what)" >&2
    failed=1
  fi
done
[ "$failed" -eq 0 ] || exit 1
echo "buf breaking: proto/ is compatible with proto/ at ${#commits[@]} commit(s) ($what): $(for c in "${commits[@]}"; do g rev-parse --short=12 "$c"; done | paste -sd' ')"
