#!/usr/bin/env bash
# Fresh-clone test: clones this repository (its committed HEAD) into an empty temporary folder and
# runs a fast subset of the README's test command there, with nothing beside the clone (no
# shared folder of vectors) and HOME pointing at an empty folder, so a test that reads anything outside the clone
# fails here. Only Maven's own caches are handed in explicitly (the local repository and the
# wrapper's Maven distribution), so the run is offline and quick.
#
# Run by `./mvnw -B verify` (server module, phase integration-test); skipped with -DskipTests,
# -DskipITs or -Dfreshclone.skip. Skips cleanly (exit 0, one line) when the build is not inside a
# git checkout, e.g. a source archive. Uncommitted changes are not in the clone: commit first.
# Usage: .ci/fresh-clone-test.sh   (env: TA_MAVEN_REPO_LOCAL, the local repository to use)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo_local=${TA_MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
maven_user_home=${MAVEN_USER_HOME:-$HOME/.m2}
tests=(AnyTokenTest AccessToken2VectorTest LegacyAccessTokenVectorTest Token04VectorTest DynamicTokenVectorTest
  AgoraTokenIssuerVectorTest Agora006VendorDefaultTest DevModeEndToEndTest CliHelpTest)

top=$(git -C "$root" rev-parse --show-toplevel 2>/dev/null || true)
if [[ -z $top || $(cd "$top" && pwd -P) != $(cd "$root" && pwd -P) ]]; then
  echo "fresh-clone test: SKIPPED, $root is not a git checkout"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ta-fresh-clone.XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/clone"
mkdir "$work/home"
echo "fresh-clone test: $(git -C "$work/clone" rev-parse --short HEAD) cloned into $work/clone (nothing beside it, HOME=$work/home)"
[[ ! -e $work/shared ]] || { echo "fresh-clone test: $work/shared must not exist" >&2; exit 1; }

cd "$work/clone"
list=$(IFS=,; echo "${tests[*]}")
HOME="$work/home" MAVEN_USER_HOME="$maven_user_home" ./mvnw -B -o -q -Dmaven.repo.local="$repo_local" \
  -pl server -am test -Dtest="$list" -Dsurefire.failIfNoSpecifiedTests=false

# Every class named ran at least one test (a renamed class must not pass by running nothing).
for t in "${tests[@]}"; do
  report=$(ls server/target/surefire-reports/TEST-*."$t".xml 2>/dev/null | head -n 1)
  [[ -n $report ]] || { echo "fresh-clone test: $t did not run" >&2; exit 1; }
  grep -q 'tests="[1-9]' "$report" || { echo "fresh-clone test: $t ran no test" >&2; exit 1; }
done
echo "fresh-clone test: ${#tests[@]} test classes passed in a fresh clone"
