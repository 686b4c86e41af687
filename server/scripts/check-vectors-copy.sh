#!/usr/bin/env bash
# For developers, not part of the test run: does the repository's copy of the vendor vectors
# (server/src/test/resources/vectors) still equal the originals the project was handed (the
# vectors folder of the shared folder that sits beside a developer's checkout)?
# Usage: server/scripts/check-vectors-copy.sh [SHARED_VECTORS_DIR]   (default: shared/vectors next
# to the repository's folder). Exit 0: equal; 1: they differ (listed); 0 with a note when there is
# no such folder to compare with.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
copy=$root/server/src/test/resources/vectors
shared=${1:-$(dirname "$root")/shared/vectors}
if [[ ! -d $shared ]]; then
  echo "no shared vectors at $shared: nothing to compare (the repository's copy is what the tests use)"
  exit 0
fi
status=0
for original in "$shared"/*.json; do
  name=$(basename "$original")
  if [[ ! -f $copy/$name ]]; then
    echo "missing from the repository: $name"; status=1
  elif ! cmp -s "$original" "$copy/$name"; then
    echo "differs: $name"; status=1
  fi
done
for mine in "$copy"/*.json; do
  [[ -f $shared/$(basename "$mine") ]] || { echo "only in the repository: $(basename "$mine")"; status=1; }
done
[[ $status -eq 0 ]] && echo "the repository's vectors equal $shared"
exit $status
