#!/usr/bin/env bash
# The service comparisons of issue 11, side by side in one run, on loopback only, every load
# bounded in time; rewrites the service section of docs/benchmarks.md (between its
# service-comparison markers) with the machine, the commands, the numbers, the ratios and the load.
#
#   bench/scripts/service-compare.sh             # ~10 min with the defaults
#   ROUNDS=1 DURATION=3 bench/scripts/service-compare.sh   # quicker, noisier
#   SOAK=600 bench/scripts/service-compare.sh    # also a 10-minute RSS soak at half saturation
#
# 1. h2load (Debian nghttp2-client) with pre-framed gRPC bodies: IssueRtcToken, IssueZimToken,
#    RenewToken, IssueChatToken (Agora chat app token) against grpc.health.v1.Health/Check on the
#    same plaintext server, same connections x streams, rounds alternating. h2load counts HTTP 200
#    as success, so every token call is also checked on the server's audit log: a run with any
#    audit line whose outcome is not ok, or fewer ok lines than h2load's successes, fails the script.
# 2. p99 at half of saturation: h2load at a fixed request rate (half of IssueRtcToken's best), with
#    per-request times from --log-file.
# 3. mTLS vs plaintext with the project's load runner (h2load has no client certificates): an mTLS
#    and a plaintext server of the same configuration, alternating rounds from one warm client.
#    Then, on the plaintext one, token RPCs against Health/Check with the load runner (a real
#    gRPC client, whose own cost per call is part of what a caller sees).
# 4. The seed's Spring Boot App Server (bench/seed-app-server, built here with its own pom):
#    GET /chat/app/token vs IssueChatToken (agora_app), N connections x 1 in flight; req/s, p99, RSS,
#    start time.
# 5. The core JMH comparison, when the benchmarks jar has it (CORE_JMH, a JMH regex).
#
# Needs: server/target/token-authority.jar and bench/target/benchmarks.jar
# (./mvnw -q -B -DskipTests package), h2load and wrk (Debian nghttp2-client, wrk), openssl, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
server_jar=$root/server/target/token-authority.jar
bench_jar=$root/bench/target/benchmarks.jar
rounds=${ROUNDS:-2}
duration=${DURATION:-5}
warmup=${WARMUP:-2}
jit_warmup=${JIT_WARMUP:-8}
# At most 64 streams in all: every h2load stream is the dev default's one caller, whose calls in
# progress limits.per_caller.max_concurrent_calls caps at 64 (beyond it: CALLER_BUSY, which the
# audit check below would report).
settings=${SETTINGS:-1x8 2x16 4x16}
spring_conns=${SPRING_CONNS:-8 32}
soak=${SOAK:-0}
doc=${DOC:-$root/docs/benchmarks.md}
core_jmh=${CORE_JMH:-VendorComparison}
for f in "$server_jar" "$bench_jar"; do
  [ -f "$f" ] || { echo "missing $f: run ./mvnw -q -B -DskipTests package" >&2; exit 1; }
done
for tool in h2load wrk openssl curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install nghttp2-client wrk)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do bench_stop_server "$p"; done
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=lib.sh
. "$root/bench/scripts/lib.sh"

say() { echo "== $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# Kept when a run fails half-way, so its numbers are not lost.
mkdir -p "$root/bench/target"
results=$root/bench/target/service-compare-results.md
: >"$results"
out() { echo "$*" >>"$results"; }

service=tokenauthority.v1.TokenAuthorityService
declare -A path=(
  [health]=grpc.health.v1.Health/Check
  [rtc]=$service/IssueRtcToken
  [zim]=$service/IssueZimToken
  [renew]=$service/RenewToken
  [chat]=$service/IssueChatToken
)
declare -A body=([health]=health [rtc]=rtc [zim]=zim [renew]=renew-rtc [chat]=chat-app)
methods="health rtc zim renew chat"

# audit_counts [SERVER]: audit lines since the last call, "ok failed"; then the log is emptied.
audit_counts() {
  local f=$work/${1:-ta}.err ok bad
  ok=$(grep -c '"outcome":"ok"' "$f" || true)
  bad=$(grep '"rpc":' "$f" | grep -vc '"outcome":"ok"' || true)
  : >"$f"
  echo "$ok $bad"
}

max_rss=0
note_rss() {
  local r
  r=$(rss_kib "$1")
  [ "$r" -gt "$max_rss" ] && max_rss=$r
  return 0
}

# grpc_h2load SERVER METHOD [h2load options...]: prints h2load's output. SERVER is a name given
# to bench_start_server; its bodies (the RenewToken one holds a token it issued) are in bodies-SERVER.
grpc_h2load() {
  local port_var=${1}_port bodies=$work/bodies-$1 m=$2
  shift 2
  $bench_nice h2load -t 1 -d "$bodies/${body[$m]}.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
    "$@" "http://127.0.0.1:${!port_var}/${path[$m]}"
}
reqs_per_s() { awk '/^finished in/ { gsub(",", "", $4); print $4 }'; }
succeeded() { awk '/^requests:/ { print $8 }'; }
# Percentile P (0-100) of the third column (microseconds) of an h2load log file, in ms.
pct_ms() { cut -f3 "$2" | sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100); if (i < 1) i = 1; printf "%.2f", v[i] / 1000 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

started=$(date -u +%FT%TZ)
load_start=$(loadavg)
say "$started nproc=$(nproc) load $load_start"

# --- 1. h2load: token RPCs against Health/Check, same server -------------------------------------
# BASELINE_JAR (e.g. the jar of an older commit) adds a second server measured in the same rounds.
bench_start_server ta
pids+=("$ta_pid")
say "plaintext server on $ta_port, SERVING after $ta_start_ms ms, RSS $(rss_kib "$ta_pid") KiB"
idle_rss=$(rss_kib "$ta_pid")
servers=ta
if [ -n "${BASELINE_JAR:-}" ]; then
  server_jar=$BASELINE_JAR bench_start_server base
  pids+=("$base_pid")
  servers="ta base"
fi
for srv in $servers; do
  port_var=${srv}_port
  java -cp "$bench_jar" dev.tokenauthority.bench.load.GrpcBodies --target "127.0.0.1:${!port_var}" --out "$work/bodies-$srv"
done
# JIT warm-up: every RPC at the largest setting before anything is measured.
last=${settings##* }
for srv in $servers; do
  for meth in $methods; do
    grpc_h2load "$srv" "$meth" -c "${last%x*}" -m "${last#*x}" -D "$jit_warmup" >/dev/null
  done
  audit_counts "$srv" >/dev/null
done
tsv=$work/qps.tsv
: >"$tsv"
for s in $settings; do
  c=${s%x*} m=${s#*x}
  for r in $(seq 1 "$rounds"); do
    for srv in $servers; do
      for meth in $methods; do
        pid_var=${srv}_pid
        cpu0=$(proc_cpu_ticks "${!pid_var}")
        o=$(grpc_h2load "$srv" "$meth" -c "$c" -m "$m" -D "$duration" --warm-up-time "$warmup")
        cpu1=$(proc_cpu_ticks "${!pid_var}")
        [ "$srv" = ta ] && note_rss "$ta_pid"
        q=$(reqs_per_s <<<"$o") n=$(succeeded <<<"$o")
        # Server CPU per call: CPU seconds per second of the run (warm-up included) over req/s.
        cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v q="$q" -v d=$((warmup + duration)) \
          'BEGIN { printf "%.1f", (q > 0 ? t / hz / d / q * 1e6 : 0) }')
        read -r ok bad < <(audit_counts "$srv")
        if [ "$meth" != health ] && { [ "$bad" -ne 0 ] || [ "$ok" -lt "$n" ]; }; then
          echo "$o" >&2
          echo "audit disagrees with h2load for $meth: $ok ok / $bad not ok lines, h2load says $n succeeded" >&2
          exit 1
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$r" "$meth" "$q" "$ok" "$srv" "$cpu_us" >>"$tsv"
        say "$srv $s round $r $meth: $q req/s, server CPU $cpu_us us/call (audit: $ok ok, $bad not ok)"
      done
    done
  done
done
[ -z "${BASELINE_JAR:-}" ] || bench_stop_server "$base_pid"

out "### Token RPCs against Health/Check (h2load, plaintext, same server)"
out ""
out "Median req/s over $rounds alternating rounds of ${duration} s (after ${warmup} s warm-up each);"
out "ratio = the RPC's req/s / Health/Check's req/s in the same round on the same server (median, and min-max over rounds)."
out "Every token call was also counted on the server's audit log: no line with an outcome other than ok."
[ -z "${BASELINE_JAR:-}" ] || out "\"baseline\" rows: a second server from \`${BASELINE_NAME:-$BASELINE_JAR}\`, measured in the same rounds."
out ""
out "| server | connections × streams | Health/Check | IssueRtcToken | IssueZimToken | RenewToken (007) | IssueChatToken (app) |"
out "|---|---|---:|---:|---:|---:|---:|"
best_rtc=0 best_setting=
for s in $settings; do
  for srv in $servers; do
    row="| $([ "$srv" = ta ] && echo "this tree" || echo baseline) | $s |"
    for meth in $methods; do
      med=$(awk -v s="$s" -v m="$meth" -v v="$srv" '$1 == s && $3 == m && $6 == v { print $4 }' "$tsv" | median)
      if [ "$meth" = health ]; then
        row="$row $(printf '%.0f' "$med") |"
      else
        rs=$(awk -v s="$s" -v m="$meth" -v v="$srv" '$1 == s && $6 == v && $3 == "health" { h[$2] = $4 }
          $1 == s && $6 == v && $3 == m { r[$2] = $4 } END { for (k in r) printf "%.3f\n", r[k] / h[k] }' "$tsv" | sort -g)
        row="$row $(printf '%.0f' "$med") (**$(median <<<"$rs" | xargs printf '%.2f')**, $(head -1 <<<"$rs" | xargs printf '%.2f')-$(tail -1 <<<"$rs" | xargs printf '%.2f')) |"
      fi
      if [ "$srv" = ta ] && [ "$meth" = rtc ] && awk -v a="$med" -v b="$best_rtc" 'BEGIN { exit !(a > b) }'; then
        best_rtc=$med best_setting=$s
      fi
    done
    out "$row"
  done
done
out ""
out "Server CPU per call (user + system time of the server process during each h2load run, over its"
out "calls; median over rounds, µs): less sensitive than req/s to what else the machine runs."
out "ratio = Health/Check's CPU per call / the RPC's, i.e. the req/s ratio a CPU-bound server would reach."
out ""
out "| server | connections × streams | Health/Check | IssueRtcToken | IssueZimToken | RenewToken (007) | IssueChatToken (app) |"
out "|---|---|---:|---:|---:|---:|---:|"
for s in $settings; do
  for srv in $servers; do
    row="| $([ "$srv" = ta ] && echo "this tree" || echo baseline) | $s |"
    hc=$(awk -v s="$s" -v v="$srv" '$1 == s && $6 == v && $3 == "health" { print $7 }' "$tsv" | median)
    for meth in $methods; do
      med=$(awk -v s="$s" -v m="$meth" -v v="$srv" '$1 == s && $3 == m && $6 == v { print $7 }' "$tsv" | median)
      if [ "$meth" = health ]; then
        row="$row $med |"
      else
        row="$row $med (**$(ratio "$hc" "$med")**) |"
      fi
    done
    out "$row"
  done
done
out ""

# --- 2. p99 at half of saturation ---------------------------------------------------------------
c=${best_setting%x*} m=${best_setting#*x}
per_client=$(awk -v q="$best_rtc" -v c="$c" 'BEGIN { printf "%d", q / 2 / c }')
out "### Latency at half of saturation (h2load --rps, open loop)"
out ""
out "IssueRtcToken saturated at $(printf '%.0f' "$best_rtc") req/s ($best_setting); offered half of it:"
out "$c connections × $per_client req/s each, up to $m streams, $((duration * 2)) s, per-request times from h2load's --log-file."
out ""
out "| RPC | offered req/s | achieved req/s | p50 ms | p90 ms | p99 ms | max ms |"
out "|---|---:|---:|---:|---:|---:|---:|"
for meth in health rtc zim renew; do
  o=$(grpc_h2load ta "$meth" -c "$c" -m "$m" --rps "$per_client" -D $((duration * 2)) --warm-up-time "$warmup" \
    --log-file "$work/lat-$meth.tsv")
  note_rss "$ta_pid"
  read -r ok bad < <(audit_counts)
  [ "$meth" = health ] || [ "$bad" -eq 0 ] || { echo "audit: $bad failed $meth calls" >&2; exit 1; }
  out "| ${path[$meth]##*/} | $((per_client * c)) | $(reqs_per_s <<<"$o" | xargs printf '%.0f') | $(pct_ms 50 "$work/lat-$meth.tsv") | $(pct_ms 90 "$work/lat-$meth.tsv") | $(pct_ms 99 "$work/lat-$meth.tsv") | $(pct_ms 100 "$work/lat-$meth.tsv") |"
  say "half saturation $meth done"
done
out ""

# --- 3. mTLS vs plaintext (load runner) ---------------------------------------------------------
# Its own pair of servers (same jar, same configuration but `tls:`), compared from one warm
# load-runner JVM (lib.sh mtls_compare says why).
make_pki "$work/pki"
mtls_config "$work/pki" >"$work/mtls.yaml"
plaintext_config >"$work/plain.yaml"
export_bench_secrets
bench_start_server tls --config "$work/mtls.yaml"
pids+=("$tls_pid")
bench_start_server plain --config "$work/plain.yaml"
pids+=("$plain_pid")
say "mTLS server on $tls_port, SERVING after $tls_start_ms ms; plaintext twin on $plain_port"
out "### mTLS against plaintext (project load runner)"
out ""
mtls_compare "$work/pki" "$rounds" "$warmup" "$duration" >>"$results"
note_rss "$tls_pid"
say "mTLS comparison done"
out ""
out "### Token RPCs against Health/Check (project load runner)"
out ""
health_compare "$rounds" "$warmup" "$duration" rtc zim renew-rtc >>"$results"
note_rss "$plain_pid"
say "load-runner Health/Check comparison done"
bench_stop_server "$tls_pid"
bench_stop_server "$plain_pid"
out ""

# --- 4. The seed's Spring Boot App Server --------------------------------------------------------
spring_dir=$root/bench/seed-app-server
if [ "${SPRING:-1}" != 0 ] && [ -f "$spring_dir/pom.xml" ]; then
  (cd "$root" && ./mvnw -q -B -f "$spring_dir/pom.xml" clean package -DskipTests) >&2
  spring_jar=$(ls "$spring_dir"/target/seed-app-server-*.jar | head -1)
  spring_port=$(shuf -i 20000-60000 -n 1)
  t0=$(date +%s%N)
  $bench_nice java ${SPRING_JAVA_OPTS:-} -jar "$spring_jar" --server.port="$spring_port" --appid="$(openssl rand -hex 16)" \
    --appcert="$(openssl rand -hex 16)" --expire.second=3600 >"$work/spring.out" 2>&1 &
  spring_pid=$!
  pids+=("$spring_pid")
  until curl -sf "http://127.0.0.1:$spring_port/chat/app/token" >/dev/null; do
    kill -0 "$spring_pid" 2>/dev/null || { cat "$work/spring.out" >&2; exit 1; }
    sleep 0.01
  done
  spring_start_ms=$((($(date +%s%N) - t0) / 1000000))
  token=$(curl -sf "http://127.0.0.1:$spring_port/chat/app/token")
  [[ $token == 007* ]] || { echo "the App Server answered '$token'" >&2; exit 1; }
  # The JIT warm-up our server had in section 1 (its IssueChatToken too), for the App Server: a
  # cold Spring Boot app served ~27 % fewer requests in its first round (16:34 run), which flattered our ratio.
  $bench_nice wrk -t 1 -c "${spring_conns##* }" -d "$((2 * jit_warmup))s" "http://127.0.0.1:$spring_port/chat/app/token" >/dev/null
  out "### Against the seed's App Server (Spring Boot, \`GET /chat/app/token\`)"
  out ""
  out "The App Server is the seed's controller on Spring Boot 2.4.3 (the seed's version; compiled for Java 8 as the"
  out "seed's pom says, run on the same Java 17 as ours, default JVM flags as the seed documents none) with the vendor's"
  out "builder from Maven Central (io.agora:authentication 2.0.0: AccessToken2 + ServiceChat, as the controller uses)."
  out "N connections × 1 request in flight, $rounds alternating rounds of ${duration} s each; HTTP/1.1 keep-alive"
  out "(wrk, one thread) for the App Server, gRPC IssueChatToken (agora_app, h2load, one thread) for Token Authority; RSS is the"
  out "largest VmRSS seen after a run. Start = launch until the first answer (App Server) or SERVING (ours)."
  out "The App Server is warmed for $((2 * jit_warmup)) s at N = ${spring_conns##* } before the first round (our server had its warm-up above)."
  out ""
  out "Server µs/request = the server process's user + system CPU over the run / its requests (what each costs"
  out "the machine, whatever the other side gets of the two cores); CPU ratio = the App Server's µs/request / ours."
  out ""
  out "| N | round | App Server req/s | p99 ms | server µs/req | Token Authority req/s | p99 ms | server µs/req | ratio | CPU ratio |"
  out "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  spring_rss=0 ta_chat_rss=0
  for n in $spring_conns; do
    for r in $(seq 1 "$rounds"); do
      # wrk, not h2load --h1: h2load counts Tomcat's answers ("HTTP/1.1 200" without a reason
      # phrase) as failures. Both are single-threaded C clients; wrk has no warm-up option, so a
      # first unmeasured run warms up.
      $bench_nice wrk -t 1 -c "$n" -d "${warmup}s" "http://127.0.0.1:$spring_port/chat/app/token" >/dev/null
      s0=$(proc_cpu_ticks "$spring_pid")
      so=$($bench_nice wrk -t 1 -c "$n" -d "${duration}s" --latency "http://127.0.0.1:$spring_port/chat/app/token")
      s1=$(proc_cpu_ticks "$spring_pid")
      sr=$(rss_kib "$spring_pid")
      [ "$sr" -gt "$spring_rss" ] && spring_rss=$sr
      spring_bad=$(awk '/Non-2xx/ { print $NF }' <<<"$so")
      spring_bad=${spring_bad:-0}
      [ "$spring_bad" -eq 0 ] || { echo "$so" >&2; echo "App Server: $spring_bad answers not 2xx" >&2; exit 1; }
      t0=$(proc_cpu_ticks "$ta_pid")
      to=$(grpc_h2load ta chat -c "$n" -m 1 -D "$duration" --warm-up-time "$warmup" --log-file "$work/ta-lat.tsv")
      t1=$(proc_cpu_ticks "$ta_pid")
      tr=$(rss_kib "$ta_pid")
      [ "$tr" -gt "$ta_chat_rss" ] && ta_chat_rss=$tr
      read -r ok bad < <(audit_counts)
      [ "$bad" -eq 0 ] || { echo "audit: $bad failed chat calls" >&2; exit 1; }
      sq=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$so") tq=$(reqs_per_s <<<"$to")
      sp99=$(awk '$1 == "99%" { v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v)
        printf "%.2f", v * (u == "us" ? 0.001 : (u == "s" ? 1000 : 1)) }' <<<"$so")
      # h2load's rate over its measured window stands for its warm-up too (as in section 1).
      scpu=$(awk -v t=$((s1 - s0)) -v hz="$(getconf CLK_TCK)" -v q="$sq" -v d="$duration" 'BEGIN { printf "%.1f", t / hz * 1e6 / (q * d) }')
      tcpu=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v q="$tq" -v d=$((warmup + duration)) 'BEGIN { printf "%.1f", t / hz * 1e6 / (q * d) }')
      out "| $n | $r | $(printf '%.0f' "$sq") | $sp99 | $scpu | $(printf '%.0f' "$tq") | $(pct_ms 99 "$work/ta-lat.tsv") | $tcpu | **$(ratio "$tq" "$sq")** | $(ratio "$scpu" "$tcpu") |"
      say "spring N=$n round $r: $sq vs ours $tq"
    done
  done
  out ""
  out "| | App Server | Token Authority |"
  out "|---|---:|---:|"
  out "| RSS under this load | $((spring_rss / 1024)) MiB | $((ta_chat_rss / 1024)) MiB |"
  out "| start to first answer / SERVING | $spring_start_ms ms | $ta_start_ms ms |"
  out "| JVM flags | \`${SPRING_JAVA_OPTS:-(defaults)}\` | \`$server_java_opts\` |"
  out ""
  bench_stop_server "$spring_pid"
fi

# --- Memory and start-up --------------------------------------------------------------------------
note_rss "$ta_pid"
out "### Memory and start-up (plaintext server, JVM flags \`$server_java_opts\`)"
out ""
out "| measure | value |"
out "|---|---:|"
# Start-up with a class-data sharing archive (server/scripts/cds-archive.sh), three launches each way
# alternating, the median of each.
"$root/server/scripts/cds-archive.sh" "$server_jar" "$work/ta.jsa" >/dev/null
plain_starts="" cds_starts=""
for _ in 1 2 3; do
  bench_start_server start_plain && plain_starts="$plain_starts $start_plain_start_ms" && bench_stop_server "$start_plain_pid"
  server_java_opts="-XX:SharedArchiveFile=$work/ta.jsa $server_java_opts" bench_start_server start_cds \
    && cds_starts="$cds_starts $start_cds_start_ms" && bench_stop_server "$start_cds_pid"
done
out "| launch to SERVING (LISTENING line) | $ta_start_ms ms (mTLS server: $tls_start_ms ms) |"
out "| launch to SERVING, median of 3 alternating: without / with the CDS archive | $(tr ' ' '\n' <<<"$plain_starts" | grep . | median) ms / $(tr ' ' '\n' <<<"$cds_starts" | grep . | median) ms |"
out "| RSS idle after start | $((idle_rss / 1024)) MiB |"
out "| largest RSS seen after a run (all of the above) | $((max_rss / 1024)) MiB |"
out ""
if [ "$soak" -gt 0 ]; then
  rate=$(awk -v q="$best_rtc" 'BEGIN { printf "%d", q / 2 / 2 }')
  grpc_h2load ta rtc -c 2 -m 16 --rps "$rate" -D "$soak" >"$work/soak.txt" &
  soak_pid=$!
  samples="" soak_ok=0 soak_bad=0
  for _ in $(seq 1 $((soak / 30))); do
    sleep 30
    samples="$samples $(($(rss_kib "$ta_pid") / 1024))"
    read -r ok bad < <(audit_counts)
    soak_ok=$((soak_ok + ok)) soak_bad=$((soak_bad + bad))
  done
  wait "$soak_pid"
  out "RSS soak: IssueRtcToken offered at $((rate * 2)) req/s (half of saturation) for $soak s,"
  out "$(reqs_per_s <"$work/soak.txt" | xargs printf '%.0f') req/s achieved, audit $soak_ok ok / $soak_bad not ok;"
  out "VmRSS every 30 s (MiB):$samples"
  out ""
fi
bench_stop_server "$ta_pid"

# --- 5. The core JMH comparison (speedcore's), when present ----------------------------------------
if [ "${CORE:-1}" != 0 ] && java -jar "$bench_jar" -l | grep -qE "$core_jmh"; then
  say "core JMH comparison ($core_jmh)"
  mkdir -p "$root/bench/target"
  java -jar "$bench_jar" "$core_jmh" -prof gc | tee "$root/bench/target/core-jmh.txt" >&2
  out "The core JMH comparison (\`java -jar bench/target/benchmarks.jar '$core_jmh' -prof gc\`) ran in the"
  out "same session; its output is in \`bench/target/core-jmh.txt\` and its section of this page."
  out ""
fi

# --- docs/benchmarks.md ----------------------------------------------------------------------------
section=$work/section.md
{
  echo "<!-- service-comparison:start (written by bench/scripts/service-compare.sh; edit the script, not this) -->"
  echo "## Service comparison"
  echo ""
  echo "Run $started → $(date -u +%FT%TZ); load average (\`uptime\`) $load_start at the start, $(loadavg) at the end;"
  echo "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM,"
  echo "$(java -version 2>&1 | head -1), $(h2load --version | head -1); tree $(git -C "$root" rev-parse --short HEAD)."
  echo "Client and server share the machine (and its other users), so only the ratios measured side by side count."
  [ -z "${NICE:-}" ] || echo "Servers and load generators ran at \`nice -n $NICE\` (see bench/scripts/lib.sh: on a shared machine the scheduler otherwise shares CPU out by runnable thread)."
  echo ""
  echo "<!-- not-tested: runs for minutes and rewrites this section -->"
  echo '```sh'
  echo "./mvnw -q -B -DskipTests package && bench/scripts/service-compare.sh"
  echo "# settings used: ROUNDS=$rounds DURATION=$duration WARMUP=$warmup SETTINGS='$settings' SPRING_CONNS='$spring_conns' SOAK=$soak NICE=${NICE:-}"
  echo '```'
  echo ""
  cat "$results"
  echo "<!-- service-comparison:end -->"
} >"$section"
if grep -q '<!-- service-comparison:start' "$doc"; then
  awk -v f="$section" '/<!-- service-comparison:start/ { while ((getline l < f) > 0) print l; skip = 1; next }
    /<!-- service-comparison:end -->/ { skip = 0; next } !skip' "$doc" >"$work/doc.md"
else
  { cat "$doc"; echo ""; cat "$section"; } >"$work/doc.md"
fi
cp "$work/doc.md" "$doc"
cat "$section"
say "wrote the service section of $doc"
