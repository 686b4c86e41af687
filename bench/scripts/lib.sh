# Shared by the bench scripts (sourced, not run): starting and stopping the real server jar,
# a throw-away mTLS PKI and config, and reading a process's resident memory.
# The caller sets: server_jar, work (a scratch directory it removes).

# The JVM flags the documented launch uses (README, docs/deployment.md, systemd unit, Kubernetes
# manifest); SERVER_JAVA_OPTS overrides them for a comparison.
server_java_opts=${SERVER_JAVA_OPTS-"-Xms64m -Xmx128m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError"}

# NICE=-10 runs the servers and load generators at a higher priority (root only): on a machine
# shared with other work, the scheduler otherwise hands out CPU by runnable thread, which favours
# whichever server runs more threads rather than the one that does less work.
bench_nice=${NICE:+nice -n $NICE}

# bench_prepare: for a script that set server_jar and bench_jar: checks both exist, makes the
# scratch directory $work and an EXIT trap that stops every server in the array pids and removes it.
bench_prepare() {
  local f
  for f in "$server_jar" "$bench_jar"; do
    [ -f "$f" ] || { echo "missing $f: run ./mvnw -q -B -DskipTests package" >&2; exit 1; }
  done
  work=$(mktemp -d)
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local p
  for p in "${pids[@]}"; do bench_stop_server "$p"; done
  rm -rf "$work"
}

# bench_start_server NAME [serve options...]: starts `serve --port 0 ...` in the background; sets
# <NAME>_pid, <NAME>_port and <NAME>_start_ms (launch to the LISTENING line, which the server
# prints once it reports SERVING). Audit and logs go to $work/NAME.err (appended, so it can be
# truncated between runs).
bench_start_server() {
  local name=$1
  shift
  local t0 pid line
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  $bench_nice java $server_java_opts -jar "$server_jar" serve --port 0 "$@" >"$work/$name.out" 2>>"$work/$name.err" &
  pid=$!
  for _ in $(seq 1 1500); do
    if line=$(grep -s -m1 '^LISTENING ' "$work/$name.out"); then
      printf -v "${name}_pid" %s "$pid"
      printf -v "${name}_port" %s "${line##*:}"
      printf -v "${name}_start_ms" %s $((($(date +%s%N) - t0) / 1000000))
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.err" >&2; echo "server $name exited" >&2; return 1; }
    sleep 0.01
  done
  echo "server $name did not start" >&2
  kill "$pid"
  return 1
}

# bench_stop_server PID: SIGTERM (graceful drain) and wait.
bench_stop_server() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# proc_cpu_ticks PID: user + system CPU time of a process so far, in clock ticks (getconf CLK_TCK).
proc_cpu_ticks() {
  # Fields 14 and 15 of /proc/PID/stat, counted after the command name's closing parenthesis.
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# rss_kib PID: resident set size in KiB (VmRSS).
rss_kib() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# make_pki DIR: an EC P-256 CA, a server certificate for localhost/127.0.0.1 and a client
# certificate with the SPIFFE id spiffe://bench.local/load-runner.
make_pki() {
  mkdir -p "$1"
  (
    cd "$1"
    ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
    # shellcheck disable=SC2086
    openssl req -x509 $ec -keyout ca-key.pem -out ca.pem -days 2 -subj /CN=bench-ca 2>/dev/null
    # shellcheck disable=SC2086
    openssl req $ec -keyout server-key.pem -out server.csr -subj /CN=localhost 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile server.ext \
      -out server.pem 2>/dev/null
    # shellcheck disable=SC2086
    openssl req $ec -keyout client-key.pem -out client.csr -subj /CN=load-runner 2>/dev/null
    printf 'subjectAltName=URI:spiffe://bench.local/load-runner\nextendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile client.ext \
      -out client.pem 2>/dev/null
  )
}

# mtls_config PKI_DIR: prints a server config (mTLS required, the three demo vendors, the load
# runner's identity allowed everything); secrets come from the BENCH_* variables export_bench_secrets sets.
mtls_config() {
  cat <<YAML
listen: {address: 127.0.0.1, port: 0}
tls:
  certificate_file: $1/server.pem
  private_key_file: $1/server-key.pem
  client_ca_file: $1/ca.pem
  client_auth: required
apps:
  agora:
    vendor: agora
    app_id: $(openssl rand -hex 16)
    certificate: {env: BENCH_AGORA_CERT}
  zego:
    vendor: zego
    app_id: 1234567
    server_secret: {env: BENCH_ZEGO_SECRET}
  easemob:
    vendor: easemob
    app_key: bench#load
    client_id: YXA6benchclient
    client_secret: {env: BENCH_EASEMOB_SECRET}
callers:
  - identity: spiffe://bench.local/load-runner
    apps: ["*"]
    rpcs: ["*"]
    max_lifetime_seconds: 3600
YAML
}

# plaintext_config: mtls_config's server without `tls:` (plaintext, loopback), the same apps, and
# the same grant for the identity every plaintext caller has ("local"): a like-for-like baseline.
plaintext_config() {
  mtls_config /unused | sed -e '/^tls:/,/^  client_auth:/d' -e 's#identity: spiffe://bench.local/load-runner#identity: local#'
}

export_bench_secrets() {
  BENCH_AGORA_CERT=$(openssl rand -hex 16)
  BENCH_ZEGO_SECRET=$(openssl rand -hex 16)
  BENCH_EASEMOB_SECRET=YXA6$(openssl rand -hex 14)
  export BENCH_AGORA_CERT BENCH_ZEGO_SECRET BENCH_EASEMOB_SECRET
}

# mtls_compare PKI_DIR ROUNDS WARMUP DURATION: the load runner's side-by-side comparison of the
# servers bench_start_server started as "tls" (mtls_config PKI_DIR) and "plain" (plaintext_config):
# one load-runner JVM, WARMUP_ROUNDS (default 2) unreported rounds, then ROUNDS alternating rounds
# of WARMUP + DURATION s each. Prints a markdown paragraph and table; fails on a load-runner error
# or an audit line whose outcome is not ok. Needs bench_jar and work.
# Why one JVM: a fresh load runner per run spends its measured window compiling (mTLS has more
# client code to compile than plaintext) on the cores the servers use. Why --async (LR_CLIENT=async,
# the default; "blocking" for one thread per call in flight): no thread hop per call, so the
# client's own CPU per call, which comes off the same cores, stays small.
mtls_compare() {
  local pki=$1 rounds=$2 warmup=$3 duration=$4 conc=${LR_CONCURRENCY:-8} chans=${LR_CHANNELS:-1}
  local client=${LR_CLIENT:-async} warm=${WARMUP_ROUNDS:-2} bad
  # shellcheck disable=SC2046,SC2154
  $bench_nice java -cp "$bench_jar" dev.tokenauthority.bench.load.LoadRunner --target "127.0.0.1:$tls_port" \
    --server-pid "$tls_pid" --ca "$pki/ca.pem" --cert "$pki/client.pem" --key "$pki/client-key.pem" \
    --authority localhost --baseline-target "127.0.0.1:$plain_port" --baseline-server-pid "$plain_pid" \
    --warmup "$warmup" --duration "$duration" --rounds "$rounds" --warmup-rounds "$warm" \
    --concurrency "$conc" --channels "$chans" $([ "$client" = async ] && echo --async) --mix rtc=1 \
    --deadline-ms 30000 >"$work/mtls-compare.txt"
  if ! awk '$1 == "ALL" && $3 != 0 { bad = 1 } END { exit bad }' "$work/mtls-compare.txt"; then
    echo "load runner errors:" >&2
    cat "$work/mtls-compare.txt" >&2
    return 1
  fi
  bad=$(cat "$work/tls.err" "$work/plain.err" | grep '"rpc":' | grep -vc '"outcome":"ok"' || true)
  [ "$bad" -eq 0 ] || { echo "audit: $bad calls not ok" >&2; return 1; }
  : >"$work/tls.err"
  : >"$work/plain.err"
  echo "IssueRtcToken, $conc callers on $chans connection(s) per server ($client client), one load-runner JVM:"
  echo "$warm unreported rounds, then $rounds alternating rounds of $warmup s warm-up + $duration s. Same jar and"
  echo "configuration (\`bench/scripts/lib.sh\` \`mtls_config\` / \`plaintext_config\`). CPU per call = user + system"
  echo "time (/proc/PID/stat) over the measured window / its calls, µs; server CPU ratio = plaintext's / mTLS's."
  echo ""
  echo "| round | plaintext calls/s | mTLS calls/s | mTLS / plaintext | p99 ms plaintext / mTLS | server µs/call plaintext / mTLS | server CPU ratio | load runner µs/call plaintext / mTLS |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  awk '$1 == "COMPARE" && $2 ~ /^[0-9]+$/ {
    printf "| %s | %s | %s | **%s** | %s / %s | %s / %s | **%s** | %s / %s |\n", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
  }' "$work/mtls-compare.txt"
  echo ""
  # Rounds swing with whatever else the shared machine runs; the median and the ratio of the sums
  # over all rounds are steadier.
  awk '$1 == "COMPARE" && $2 ~ /^[0-9]+$/ { n++; r[n] = $5; c[n] = $10; pb += $3; pt += $4; sb += $8; st += $9 }
    function med(a, k,  i, j, t) {
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    END {
      printf "Over the %d rounds: mTLS / plaintext calls/s median **%.2f**, ratio of the sums **%.2f**;", n, med(r, n), pt / pb
      printf " server CPU ratio median **%.2f**, ratio of the mean µs per call **%.2f**.\n", med(c, n), sb / st
    }' "$work/mtls-compare.txt"
}

# health_compare ROUNDS WARMUP DURATION OP...: the load runner's side of issue 11's ratio, token
# RPC against Health/Check on the one server bench_start_server started as "plain"
# (plaintext_config): for each OP (a --mix key: rtc, zim, renew-rtc, ...) one load-runner JVM,
# --warmup-rounds unreported rounds, then ROUNDS alternating rounds of Health/Check (the baseline
# side) and OP. Prints a markdown table; fails on a load-runner error or an audit line not ok.
# Unlike h2load, the runner is a real gRPC client, so the ratio includes a caller's own cost.
health_compare() {
  local rounds=$1 warmup=$2 duration=$3 conc=${LR_CONCURRENCY:-16} chans=${LR_CHANNELS:-2} op bad
  shift 3
  echo "Each token RPC against Health/Check on one plaintext server (\`plaintext_config\`), $conc callers on"
  echo "$chans connections (async client), one load-runner JVM per RPC: ${WARMUP_ROUNDS:-1} unreported round(s), then"
  echo "$rounds alternating rounds of $warmup s warm-up + $duration s. CPU per call = user + system time"
  echo "(/proc/PID/stat) over the measured window / its calls, µs."
  echo ""
  echo "| RPC | round | Health/Check calls/s | RPC calls/s | RPC / Check | p99 ms Check / RPC | server µs/call Check / RPC | load runner µs/call Check / RPC |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for op in "$@"; do
    # shellcheck disable=SC2154
    $bench_nice java -cp "$bench_jar" dev.tokenauthority.bench.load.LoadRunner --target "127.0.0.1:$plain_port" \
      --server-pid "$plain_pid" --baseline-target "127.0.0.1:$plain_port" --baseline-server-pid "$plain_pid" \
      --baseline-mix health=1 --mix "$op=1" --warmup "$warmup" --duration "$duration" --rounds "$rounds" \
      --warmup-rounds "${WARMUP_ROUNDS:-1}" --concurrency "$conc" --channels "$chans" --async \
      --deadline-ms 30000 >"$work/health-compare-$op.txt"
    if ! awk '$1 == "ALL" && $3 != 0 { bad = 1 } END { exit bad }' "$work/health-compare-$op.txt"; then
      echo "load runner errors:" >&2
      cat "$work/health-compare-$op.txt" >&2
      return 1
    fi
    bad=$(grep '"rpc":' "$work/plain.err" | grep -vc '"outcome":"ok"' || true)
    [ "$bad" -eq 0 ] || { echo "audit: $bad calls not ok" >&2; return 1; }
    : >"$work/plain.err"
    awk -v op="$op" '$1 == "COMPARE" && $2 ~ /^[0-9]+$/ {
      printf "| %s | %s | %s | %s | **%s** | %s / %s | %s / %s | %s / %s |\n", op, $2, $3, $4, $5, $6, $7, $8, $9, $11, $12
    }' "$work/health-compare-$op.txt"
  done
}
