#!/usr/bin/env bash
# buf lint (STANDARD, the v2 name of the DEFAULT rules) on proto/, with buf from npm (@bufbuild/buf).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=ensure-tools.sh
. "$here/ensure-tools.sh"
node_dir="$here/../node"
ta_ensure_node
ta_ensure_npm_packages "$node_dir"
cd "$here/../../proto"
"$node_dir/node_modules/.bin/buf" lint
echo "buf lint: proto/ is clean"
