#!/usr/bin/env bash
# Polyglot tests: start the REAL server jar twice -- the development default (`serve`, plaintext
# on loopback, here on a free port: a dev server left running on 50051 does not matter) and mTLS
# with a config file and openssl-made certificates, also on a free port -- and call every
# RPC from Python and from Node.js against each, checking every token through InspectToken. The
# two example clients run against the development default too.
#
# Needs: Java 17, the built server jar (server/target/token-authority.jar, or $TA_SERVER_JAR),
# and installs the rest itself (see ensure-tools.sh): Debian packages python3-grpcio,
# python3-grpc-tools, protobuf-compiler, protobuf-compiler-grpc, openssl (apt-get, when root);
# npm packages from client-stubs/node/package-lock.json (npm ci). Fails, naming what is missing,
# when it cannot install something. Run by `./mvnw -B verify` (client-stubs, integration-test).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
stubs="$(cd "$here/.." && pwd)"
root="$(cd "$stubs/.." && pwd)"
# shellcheck source=ensure-tools.sh
. "$here/ensure-tools.sh"

jar="${TA_SERVER_JAR:-$root/server/target/token-authority.jar}"
python="${TA_PYTHON:-/usr/bin/python3}" # Debian's python3: the one python3-grpcio installs into
work="$stubs/target/polyglot"

command -v java >/dev/null || ta_fail "java is required to run the server jar"
[ -f "$jar" ] || ta_fail "server jar not found at $jar: build it first (./mvnw -B verify builds server before client-stubs)"
ta_ensure_debian_packages
ta_ensure_node
ta_ensure_npm_packages "$stubs/node"
[ -x "$python" ] || ta_fail "$python not found (Debian package python3)"
"$python" -c 'import grpc, google.protobuf' 2>/dev/null || ta_fail "$python cannot import grpc/protobuf (Debian packages python3-grpcio, python3-protobuf)"

rm -rf "$work"
mkdir -p "$work"
"$stubs/python/generate_stubs.sh" "$stubs/python/generated"

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

port_open() {
  "$python" - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

# start_server NAME [serve args...]: runs the jar (which must be given a port; 0 = free) and waits
# for its "LISTENING host:port" line; sets server_port to the port it listens on.
server_port=""
start_server() {
  local name="$1" log="$work/server-$1.log"
  shift
  echo "starting server ($name): java -jar $(basename "$jar") serve $*"
  java -jar "$jar" serve "$@" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "---- server-$name.log ----" >&2
      tail -n 50 "$log" >&2
      ta_fail "the $name server exited before listening"
    fi
    server_port=$(sed -n 's/^LISTENING .*:\([0-9]*\)$/\1/p' "$log")
    if [ -n "$server_port" ] && port_open "$server_port"; then
      return 0
    fi
    sleep 0.5
  done
  tail -n 50 "$log" >&2
  ta_fail "the $name server did not listen within 60 s"
}

passed=0
failed=0
failures=()
# run_suite NAME COMMAND...: runs one suite, records the outcome, never stops the script.
run_suite() {
  local name="$1"
  shift
  echo "==== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

python_suite() {
  (cd "$stubs/python" && PYTHONPATH="$stubs/python/generated" "$python" -m unittest -v test_polyglot)
}
# Test files named explicitly: Node >= 21 reads `node --test DIR` as a module path, not a directory.
node_suite() {
  (cd "$stubs/node" && node --test test/polyglot.test.js)
}

# --- 0. the clients alone: round_robin over every resolved address (two local servers each) --
run_suite "python, round_robin over two servers" \
  bash -c "cd '$stubs/python' && PYTHONPATH='$stubs/python/generated' '$python' -m unittest -v test_load_balancing"
run_suite "node, round_robin over two servers" bash -c "cd '$stubs/node' && node --test test/load-balancing.test.js"

# --- 1. development default: plaintext on loopback, demo apps agora / zego / easemob ----------
# On a free port rather than the default 50051, which a reader's own dev server may hold.
start_server dev --port 0
dev_port=$server_port
export TA_TARGET="127.0.0.1:$dev_port" TA_MODE=plaintext TA_AGORA_APP=agora TA_ZEGO_APP=zego TA_EASEMOB_APP=easemob
run_suite "python, development default" python_suite
run_suite "node, development default" node_suite
run_suite "python example, development default" \
  bash -c "cd '$stubs/python' && '$python' example_client.py --target '$TA_TARGET'"
run_suite "node example, development default" bash -c "cd '$stubs/node' && node example.js"
# The README's commands, as written (blocks marked doc-test), each in a fresh shell from the root;
# the documented 127.0.0.1:50051 is this run's development server.
readme_blocks="$work/readme-blocks"
if node "$root/docs/check/doc-blocks.mjs" "$stubs/README.md" "$readme_blocks"; then
  for meta in "$readme_blocks"/*.meta; do
    read -r kind where _ <"$meta"
    [ "$kind" = run ] || continue
    sed -i "s/127\.0\.0\.1:50051/127.0.0.1:$dev_port/g" "${meta%.meta}.sh"
    run_suite "README.md block at $where" bash -c "cd '$root' && bash -euo pipefail '${meta%.meta}.sh'"
  done
else
  failed=$((failed + 1))
  failures+=("client-stubs/README.md has badly marked sh blocks")
fi
stop_server

# --- 2. mTLS with a configuration file -------------------------------------------------------
pki="$work/pki"
mkdir -p "$pki"
(
  cd "$pki"
  key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
  key ca.key
  openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=polyglot test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem 2>/dev/null
  leaf() { # name subject-CN SAN EKU
    key "$1.key"
    openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$3" "$4" >"$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -sha256 \
      -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  }
  leaf server localhost "DNS:localhost,IP:127.0.0.1" serverAuth
  leaf client polyglot "URI:spiffe://tokenauthority.test/polyglot" clientAuth
  leaf stranger stranger "URI:spiffe://tokenauthority.test/stranger" clientAuth
) || ta_fail "openssl could not create the test certificates"

# Random credentials for this run, handed to the server through the environment only.
TA_POLY_AGORA_CERT="$(openssl rand -hex 16)"
TA_POLY_ZEGO_SECRET="$(openssl rand -hex 16)"
TA_POLY_EASEMOB_SECRET="YXA6$(openssl rand -hex 14)"
export TA_POLY_AGORA_CERT TA_POLY_ZEGO_SECRET TA_POLY_EASEMOB_SECRET
cat >"$work/mtls.yaml" <<YAML
listen:
  address: 127.0.0.1
  port: 0
tls:
  certificate_file: pki/server.pem
  private_key_file: pki/server.key
  client_ca_file: pki/ca.pem
  client_auth: required
apps:
  poly-agora:
    vendor: agora
    app_id: $(openssl rand -hex 16)
    certificate: {env: TA_POLY_AGORA_CERT}
  poly-zego:
    vendor: zego
    app_id: 1234567
    server_secret: {env: TA_POLY_ZEGO_SECRET}
  poly-easemob:
    vendor: easemob
    app_key: "poly#demo"
    client_id: poly-client
    client_secret: {env: TA_POLY_EASEMOB_SECRET}
callers:
  - identity: spiffe://tokenauthority.test/polyglot
    apps: ["*"]
    rpcs: ["*"]
    max_lifetime_seconds: 86400
YAML
start_server mtls --config "$work/mtls.yaml"
mtls_port=$server_port
export TA_TARGET="localhost:$mtls_port" TA_MODE=mtls TA_CA="$pki/ca.pem" TA_CERT="$pki/client.pem" TA_KEY="$pki/client.key" \
  TA_STRANGER_CERT="$pki/stranger.pem" TA_STRANGER_KEY="$pki/stranger.key" \
  TA_AGORA_APP=poly-agora TA_ZEGO_APP=poly-zego TA_EASEMOB_APP=poly-easemob
run_suite "python, mTLS" python_suite
run_suite "node, mTLS" node_suite
stop_server

# The server must never have logged a secret of this run.
for secret in "$TA_POLY_AGORA_CERT" "$TA_POLY_ZEGO_SECRET" "$TA_POLY_EASEMOB_SECRET"; do
  if grep -qF -- "$secret" "$work"/server-*.log; then
    failed=$((failed + 1))
    failures+=("a configured secret appears in a server log")
  fi
done

echo
for f in "${failures[@]+"${failures[@]}"}"; do
  echo "FAILED: $f (server logs: $work/server-*.log)"
done
echo "polyglot suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
