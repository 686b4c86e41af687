#!/usr/bin/env bash
# buf lint (STANDARD, the v2 name of the DEFAULT rules) on proto/, with buf from npm.
# We depend on the platform package @bufbuild/buf-linux-x64 directly: the @bufbuild/buf wrapper's
# optional per-platform packages are not all served by the registry mirror, which makes its lock
# file unusable with `npm ci`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=ensure-tools.sh
. "$here/ensure-tools.sh"
node_dir="$here/../node"
ta_ensure_node
ta_ensure_npm_packages "$node_dir"
cd "$here/../../proto"
"$node_dir/node_modules/@bufbuild/buf-linux-x64/bin/buf" lint
echo "buf lint: proto/ is clean"
