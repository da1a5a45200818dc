#!/usr/bin/env bash
# Fuzzes the LibTorch-free decoders with libFuzzer (clang): the stream parser
# plus rANS segment decoding (tests/fuzz/bitstream_fuzzer.cc), the PNG/JPEG
# decoder (tests/fuzz/image_fuzzer.cc) and the server's request checks
# (tests/fuzz/request_fuzzer.cc; built where Protobuf and gRPC are). Builds
# them with -fsanitize=fuzzer,address,undefined in their own build folder, runs
# each on a scratch copy of its committed corpus (tests/fuzz/corpus/<target>/,
# which new inputs never touch), then prints executions, coverage and findings.
# Every crash, leak, timeout or out-of-memory input is copied into
# tests/fuzz/corpus/<target>/, where <target>_corpus_test replays it in the
# normal test suite: commit it with the fix. Exit status 1 if anything was found.
#
# Usage: bench/fuzz.sh [--seconds N] [--jobs J] [TARGET...]
#   --seconds N  fuzzing time per target (default 600)
#   --jobs J     targets fuzzed at the same time, and compile jobs (default 1)
#   TARGET       bitstream, image or request (default: every one built)
# Environment: VLMC_FUZZ_BUILD_DIR (build-fuzz). Logs, scratch corpora and
# artifacts go to $VLMC_FUZZ_BUILD_DIR/runs/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600
parallel=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds | --jobs)
      [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || {
        echo "fuzz.sh: $1 needs a positive integer" >&2
        exit 2
      }
      if [ "$1" = --seconds ]; then seconds=$2; else parallel=$2; fi
      shift
      ;;
    -h | --help)
      sed -n '2,18s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    bitstream | image | request) targets+=("$1") ;;
    *)
      echo "fuzz.sh: unknown argument $1 (see --help)" >&2
      exit 2
      ;;
  esac
  shift
done

if ! command -v clang++ >/dev/null ||
  [ ! -f "$(clang++ -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]; then
  echo "fuzz.sh: clang++ with libFuzzer not found: apt-get install clang libclang-rt-dev" \
    "(both in scripts/debian-packages.txt)" >&2
  exit 1
fi

build_dir=${VLMC_FUZZ_BUILD_DIR:-build-fuzz}
# The libraries get coverage instrumentation (fuzzer-no-link) and, through
# VLMC_SANITIZE, ASan + UBSan; only the fuzzer executables link libFuzzer.
if [ ! -f "$build_dir/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVLMC_WITH_TORCH=OFF \
    -DVLMC_SANITIZE=ON -DVLMC_BUILD_FUZZERS=ON \
    -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
fi
if [ ${#targets[@]} -eq 0 ]; then
  targets=(bitstream image)
  # CMake defines it only where Protobuf and gRPC are installed.
  if ninja -C "$build_dir" -t query request_fuzzer >/dev/null 2>&1; then
    targets+=(request)
  fi
fi
nice ninja -C "$build_dir" -j "$parallel" "${targets[@]/%/_fuzzer}"

# Runs one target; everything it writes stays under runs/<target>/.
fuzz_one() {
  local target=$1 dir="$build_dir/runs/$1"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp tests/fuzz/corpus/"$target"/* "$dir/corpus/"
  # Leaks are findings too; UBSan reports abort (VLMC_SANITIZE: no recover).
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    nice "$build_dir/tests/fuzz/${target}_fuzzer" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    "$dir/corpus" >"$dir/log.txt" 2>&1 || true
}

echo "fuzz.sh: fuzzing ${targets[*]} for $seconds s each, $parallel at a time"
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
  fuzz_one "$target" &
done
wait

found=0
printf '%-10s %14s %10s %-32s %s\n' target executions exec/s coverage findings
for target in "${targets[@]}"; do
  dir="$build_dir/runs/$target"
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log.txt")
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log.txt")
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$dir/log.txt" | tail -n 1)
  findings=()
  for artifact in "$dir"/artifacts/*; do
    [ -f "$artifact" ] || continue
    cp "$artifact" "tests/fuzz/corpus/$target/"
    findings+=("tests/fuzz/corpus/$target/$(basename "$artifact")")
  done
  printf '%-10s %14s %10s %-32s %s\n' "$target" "${executions:-?}" \
    "${per_second:-?}" "${coverage:-?}" "${findings[*]:-none}"
  if [ ${#findings[@]} -gt 0 ]; then
    found=1
    echo "  reproduce: $build_dir/tests/fuzz/${target}_fuzzer ${findings[0]}" \
      "(log: $dir/log.txt)"
  fi
done
exit "$found"
