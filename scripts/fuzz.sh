#!/bin/sh
# make fuzz: builds the libFuzzer targets (Fuzz/) and runs each reader for
# FUZZ_SECONDS (default 60), seeded from the golden files and the regression
# corpus. A crash or a lossy rewrite stops with its input in .build/fuzz/<target>/;
# copy it into Tests/ZeroCoreTests/FuzzRegressions/<target>-<what>.txt.
set -eu
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-header session meta proof classification config trailers intent}"
swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld >&2
binary="Fuzz/.build/release/zero-fuzz"
golden=Tests/ZeroCoreTests/Golden
regressions=Tests/ZeroCoreTests/FuzzRegressions
summary=.build/fuzz/summary.txt
mkdir -p .build/fuzz
: > "$summary"
for target in $targets; do
    corpus=".build/fuzz/$target/corpus"
    mkdir -p "$corpus"
    case "$target" in
        header|meta) cp "$golden/meta.yaml" "$corpus/" ;;
        session) cp "$golden/002.md" "$corpus/" ;;
        proof) cp "$golden/7c1e2a90.md" "$corpus/" ;;
        classification) cp "$golden/final-classification.md" "$corpus/" ;;
        config) cp "$golden/config.yaml" "$corpus/" ;;
        trailers) printf 'fix the check\n\nZero-Case: 31255233-0c7f-4164-8feb-0dc1b8af28ef\nZero-Session: 2\n' > "$corpus/trailers.txt" ;;
        intent) printf 'zero-intent 1\nend x\n' > "$corpus/intent.txt" ;;
    esac
    for file in "$regressions/$target"-*; do [ -e "$file" ] && cp "$file" "$corpus/"; done
    log=".build/fuzz/$target/log.txt"
    status=0
    SWIFT_BACKTRACE=enable=no ZERO_FUZZ_TARGET="$target" "$binary" "$corpus" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix=".build/fuzz/$target/" -max_len=65536 >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    line="$target: ${runs:-?} executions in ${seconds}s"
    if [ "$status" -ne 0 ]; then
        line="$line — FOUND A PROBLEM (see $log and .build/fuzz/$target/crash-*)"
    fi
    echo "$line" | tee -a "$summary"
    [ "$status" -eq 0 ] || exit 1
done
