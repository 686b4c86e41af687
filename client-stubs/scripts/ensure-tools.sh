#!/usr/bin/env bash
# Sourced by the polyglot and buf scripts: makes sure every tool they use is present, installing
# what is missing (Debian packages with apt-get when we are root, npm packages with `npm ci`), and
# failing loudly, naming what is missing, when it cannot. Nothing is ever skipped silently.

# Debian packages the scripts need. python3-grpc-tools supplies the well-known .proto files;
# protoc and the gRPC Python plugin come from protobuf-compiler(-grpc), see python/generate_stubs.sh.
TA_DEBIAN_PACKAGES=(python3 python3-grpcio python3-protobuf python3-grpc-tools protobuf-compiler protobuf-compiler-grpc openssl)

ta_fail() {
  echo "ERROR: $*" >&2
  exit 1
}

ta_missing_debian_packages() {
  local pkg missing=()
  command -v dpkg-query >/dev/null || ta_fail "dpkg-query not found: this script installs its Python tools from Debian packages (${TA_DEBIAN_PACKAGES[*]}); install their equivalents and put protoc, grpc_python_plugin and a python3 with grpcio on PATH"
  for pkg in "${TA_DEBIAN_PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
      missing+=("$pkg")
    fi
  done
  echo "${missing[*]}"
}

ta_ensure_debian_packages() {
  local missing
  missing="$(ta_missing_debian_packages)"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    ta_fail "missing Debian packages: $missing. Install them with: sudo apt-get install -y $missing"
  fi
  echo "installing missing Debian packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  if ! apt-get install -y -q $missing >/dev/null; then
    apt-get update -q >/dev/null || ta_fail "apt-get update failed"
    # shellcheck disable=SC2086
    apt-get install -y -q $missing >/dev/null || ta_fail "apt-get install failed for: $missing"
  fi
  missing="$(ta_missing_debian_packages)"
  [ -z "$missing" ] || ta_fail "still missing after apt-get install: $missing"
}

ta_ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      echo "installing Debian packages: nodejs npm"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null; } \
        || ta_fail "could not install nodejs and npm"
    else
      ta_fail "node and npm are required (Node.js >= 18); install them, e.g. sudo apt-get install -y nodejs npm"
    fi
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 18 ] || ta_fail "Node.js >= 18 is required, found $(node --version)"
}

# npm ci in client-stubs/node when node_modules is absent or older than the lock file.
ta_ensure_npm_packages() {
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || ta_fail "npm ci failed in $dir"
  fi
  [ -x "$dir/node_modules/@bufbuild/buf-linux-x64/bin/buf" ] || ta_fail "buf missing from $dir/node_modules after npm ci (@bufbuild/buf-linux-x64)"
}
