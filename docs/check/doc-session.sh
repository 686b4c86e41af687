#!/usr/bin/env bash
# One Markdown file's blocks, in order, in one shell (see run-doc-commands.sh).
# Usage: doc-session.sh BLOCK_DIR SESSION_DIR PIDFILE BIN_DIR
# The runner's own names start with __ so that documented commands cannot clobber them.
set -euo pipefail
__blocks=$1
__session=$2
__pidfile=$3
export PATH="$4:$PATH"
__servers=()            # process groups started by this session
declare -A __ports=()   # documented port -> real port
__where="(start)"

__stop_servers() {
  local pgid i
  for pgid in "${__servers[@]}"; do
    kill -TERM -- "-$pgid" 2>/dev/null || true
  done
  for pgid in "${__servers[@]}"; do
    # SIGTERM drains gracefully; the dev default's grace is 20 s, give it a little more.
    for ((i = 0; i < 250; i++)); do
      kill -0 -- "-$pgid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  done
  __servers=()
}

__on_exit() {
  local rc=$?
  __stop_servers
  if [[ $rc -ne 0 ]]; then
    echo "doc-test: FAILED at $__where (exit $rc)" >&2
  fi
  exit $rc
}
trap __on_exit EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

__substitute() {
  local code=$1 doc real
  for doc in "${!__ports[@]}"; do
    real=${__ports[$doc]}
    code=${code//$doc/$real}
  done
  printf '%s' "$code"
}

__serve() {
  local code=$1 main_port=$2 health_port=${3:-} log=$__session/.serve-$RANDOM extra=" --port 0" i
  [[ -n $health_port ]] && extra+=" --health-port 0"
  code=$(__substitute "$code")
  # Its own process group, so that stopping it also stops anything it spawned.
  setsid bash -c "exec ${code%$'\n'}$extra" >"$log.out" 2>"$log.err" </dev/null &
  local pid=$!
  __servers+=("$pid")
  echo "$pid" >>"$__pidfile"
  for ((i = 0; i < 600; i++)); do
    if grep -q '^LISTENING ' "$log.out" 2>/dev/null; then
      if [[ -z $health_port ]] || grep -q '^HEALTH ' "$log.out"; then
        break
      fi
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "server exited before listening; its stderr:" >&2
      cat "$log.err" >&2
      return 1
    fi
    sleep 0.1
  done
  grep -q '^LISTENING ' "$log.out" || { echo "server not listening after 60 s" >&2; cat "$log.err" >&2; return 1; }
  cat "$log.out"
  __ports[$main_port]=$(sed -n 's/^LISTENING .*:\([0-9]*\)$/\1/p' "$log.out")
  if [[ -n $health_port ]]; then
    __ports[$health_port]=$(sed -n 's/^HEALTH .*:\([0-9]*\)$/\1/p' "$log.out")
  fi
  echo "(doc-test: documented port $main_port is ${__ports[$main_port]} here${health_port:+, $health_port is ${__ports[$health_port]:-}})"
}

cd "$__session"
for __meta in "$__blocks"/*.meta; do
  read -r __kind __where __arg <"$__meta"
  [[ $__kind == skip ]] && continue
  __code=$(<"${__meta%.meta}.sh")
  echo "--- $__where ($__kind)"
  case $__kind in
    serve)
      # shellcheck disable=SC2086
      __serve "$__code" $__arg
      ;;
    run)
      eval "$(__substitute "$__code")"
      ;;
    fails)
      if (eval "$(__substitute "$__code")") >"$__session/.fails-out" 2>&1; then
        cat "$__session/.fails-out"
        echo "doc-test: expected this block to fail, it succeeded" >&2
        exit 1
      fi
      cat "$__session/.fails-out"
      if [[ -n $__arg ]] && ! grep -qF -- "$__arg" "$__session/.fails-out"; then
        echo "doc-test: it failed, but its output does not contain '$__arg'" >&2
        exit 1
      fi
      echo "(doc-test: failed as documented)"
      ;;
  esac
done
__where="(end)"
