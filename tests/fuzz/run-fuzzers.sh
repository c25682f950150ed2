#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in a build directory of their own and runs each
# one for DURATION_SECONDS, starting from its committed corpus in tests/fuzz/corpus/<target>.
#
#   tests/fuzz/run-fuzzers.sh 120
#
# The fuzz flags (-fsanitize=fuzzer,address,undefined) come from tests/fuzz/meson.build,
# which compiles the code under test into each target so that coverage reaches it; the
# build directory itself is configured with -Db_sanitize=none. New inputs go to
# <build>/fuzz-work/<target>, crash reproducers to <build>/fuzz-artifacts/<target>. A
# reproducer worth keeping is copied into the corpus, where the unit suite replays it.
#
# Each corpus file starts with one option byte (see fuzz-imap-parser.c): " " for the
# defaults, "!" for UTF8=ACCEPT, "\"" for small limits.
#
# Environment: FUZZ_BUILD_DIR (default _build-fuzz), FUZZ_JOBS (parallel workers, default 1).
set -euo pipefail

if [ $# -ne 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 DURATION_SECONDS" >&2
  exit 2
fi
duration=$1

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

build=${FUZZ_BUILD_DIR:-_build-fuzz}
jobs=${FUZZ_JOBS:-1}
targets=(imap-parser pop3-reply smtp-reply autoconfig-parser mime)

if ! command -v clang > /dev/null; then
  echo "clang is needed for libFuzzer" >&2
  exit 1
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Db_sanitize=none -Dbuildtype=debugoptimized
else
  # Targets added since the last run only exist after the build files are regenerated.
  meson setup --reconfigure "$build" > /dev/null
fi
meson compile -C "$build" "${targets[@]/#/fuzz-}"

status=0
failures=()
for target in "${targets[@]}"; do
  exe="$build/tests/fuzz/fuzz-$target"
  work="$build/fuzz-work/$target"
  artifacts="$build/fuzz-artifacts/$target"
  dict="tests/fuzz/$target.dict"
  args=(-max_total_time="$duration" -timeout=10 -rss_limit_mb=2048 -max_len=16384
        -artifact_prefix="$artifacts/" -print_final_stats=1)

  mkdir -p "$work" "$artifacts"
  if [ -f "$dict" ]; then
    args+=(-dict="$dict")
  fi
  if [ "$jobs" -gt 1 ]; then
    args+=(-fork="$jobs")
  fi

  echo "== fuzz-$target for ${duration}s"
  log="$build/fuzz-work/$target.log"
  if ! "$exe" "${args[@]}" "$work" "tests/fuzz/corpus/$target" 2>&1 | tee "$log"; then
    echo "fuzz-$target found a problem; reproducers are in $artifacts" >&2
    failures+=("fuzz-$target: $(grep -m1 -E '^(SUMMARY|==[0-9]+==ERROR)' "$log" || echo 'see its log')")
    status=1
  fi
done

# Last, so that the tail of a CI log says which target failed and why.
for failure in "${failures[@]}"; do
  echo "FAILED $failure" >&2
done

exit $status
