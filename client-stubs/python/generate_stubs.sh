#!/usr/bin/env bash
# Generates the Python messages and gRPC stubs for tokenauthority.v1 from proto/ into
# client-stubs/python/generated (or $1), with Debian's protoc and grpc_python_plugin.
#
# Why not `python3 -m grpc_tools.protoc`: Debian 12's python3-grpc-tools is grpcio-tools 1.14
# with protoc 3.5, which predates proto3 `optional` and rejects our API. protobuf-compiler
# (protoc 3.21) with protobuf-compiler-grpc (the grpc 1.51 plugin) produce code that matches
# Debian's python3-protobuf 3.21 / python3-grpcio 1.51 runtime exactly. The well-known types
# (google/protobuf/timestamp.proto) come from python3-grpc-tools' bundled copy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
proto_root="$here/../../proto/src/main/proto"
out="${1:-$here/generated}"

for tool in protoc grpc_python_plugin /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "generate_stubs.sh: missing $tool (apt-get install protobuf-compiler protobuf-compiler-grpc python3)" >&2; exit 1; }
done
wkt="$(/usr/bin/python3 -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')" \
  || { echo "generate_stubs.sh: missing python3-grpc-tools (apt-get install python3-grpc-tools)" >&2; exit 1; }
[ -f "$wkt/google/protobuf/timestamp.proto" ] || { echo "generate_stubs.sh: no timestamp.proto under $wkt" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
protoc -I"$proto_root" -I"$wkt" \
  --python_out="$out" \
  --grpc_python_out="$out" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
  "$proto_root/tokenauthority/v1/token_authority.proto"
touch "$out/tokenauthority/__init__.py" "$out/tokenauthority/v1/__init__.py"
echo "generated Python stubs in $out"
