#!/usr/bin/env bash
# Fuzzes the Jazzer targets (docs/fuzzing.md), one after the other, each for DURATION.
#
#   server/scripts/fuzz.sh [DURATION] [Class#method ...]    (default: 10m for every target)
#
# DURATION is Jazzer's format: 30s, 10m, 1h.
#
# Each target runs in its own JVM through Surefire with JAZZER_FUZZ=1 (Jazzer fuzzes one test per
# run). Logs go to server/target/fuzz/<target>.log; the last libFuzzer line of each ("Done N runs in
# S second(s)") is printed as a summary. Findings are written next to the seeds
# (src/test/resources/.../<Class>Inputs/<method>/crash-*) and fail the run; the generated corpus
# stays in server/.cifuzz-corpus (not committed). Do not build in the same checkout meanwhile.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${1:-10m}
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(
    AccessToken2FuzzTest#token AccessToken2FuzzTest#signedMessage
    LegacyAccessTokenFuzzTest#token LegacyAccessTokenFuzzTest#signedMessage
    Token04FuzzTest#token Token04FuzzTest#plaintext
    DynamicTokenFuzzTest#token DynamicTokenFuzzTest#json
    AnyTokenFuzzTest#parse
    ConfigLoaderFuzzTest#load
    RequestValidationFuzzTest#handle
  )
fi

mkdir -p server/target/fuzz
failed=0
for target in "${TARGETS[@]}"; do
  log="server/target/fuzz/${target/\#/.}.log"
  extra=()
  if [[ $target == ConfigLoaderFuzzTest* ]]; then
    # channel_pattern and user_pattern are regular expressions by design, written by the operator:
    # Jazzer's regex-injection detector would report every invalid one, which the loader refuses
    # with ConfigException as it should (ConfigLoaderTest).
    extra+=(-Djazzer.disabled_hooks=com.code_intelligence.jazzer.sanitizers.RegexInjection)
  fi
  echo "fuzzing $target for $DURATION -> $log"
  # Only the server module runs (its dependencies come from the reactor's target/classes).
  # Non-incremental compilation recompiles only stale files: the regenerated proto sources, not the
  # whole server module before every target.
  if ! JAZZER_FUZZ=1 ./mvnw -B -o -pl server -am test -Dmaven.compiler.useIncrementalCompilation=false \
      -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.max_duration="$DURATION" "${extra[@]}" >"$log" 2>&1; then
    echo "  FINDING or failure in $target (see $log)"
    failed=1
  fi
  grep -aE "^Done [0-9]+ runs in [0-9]+ second|^#[0-9]+ +DONE" "$log" | tail -2 | sed 's/^/  /' || true
done
exit $failed
