#!/bin/sh
# What loading libgit2 with dlopen saves against linking it (BENCHMARKS.md,
# "libgit2: dlopen against linking"). Builds the release binary as `make
# release` does, then the same objects relinked with -lgit2, which records
# libgit2.so in the binary's DT_NEEDED: the dynamic loader then maps and
# relocates libgit2 and its dependencies, and runs their constructors, at
# every start, as it would for a binary that calls libgit2 directly. (The
# binary is linked without BIND_NOW, so a direct call would bind its symbol
# on first use, by commands that use git anyway.) The code is identical;
# libgit2 loaded at start is found already mapped when a command needs it.
#
# Runs `zero --version` and `zero hook commit-msg` (no active session: the
# hook reads one file and exits, with neither git nor libgit2) for both
# binaries in one hyperfine invocation, and counts instructions with
# callgrind on stripped copies. Leaves .build/release/zero as `make release`
# builds it. Needs hyperfine, valgrind and strip (scripts/install-deps.sh --bench).
set -eu
cd "$(dirname "$0")/.."
flags="-c release --static-swift-stdlib -Xlinker -no-pie"
out=.build/bench-dlopen
mkdir -p "$out"

# shellcheck disable=SC2086  # $flags is a list of arguments
swift build $flags --product zero >&2
cp .build/release/zero "$out/zero-dlopen"
# shellcheck disable=SC2086
swift build $flags -Xlinker -lgit2 --product zero >&2
cp .build/release/zero "$out/zero-linked"
# shellcheck disable=SC2086
swift build $flags --product zero >&2   # relinks only: .build/release/zero is dlopen again

if ! readelf -d "$out/zero-linked" | grep -q 'NEEDED.*libgit2'; then
    echo "bench-dlopen: $out/zero-linked does not need libgit2; the linked variant is not linked" >&2
    exit 1
fi
if readelf -d "$out/zero-dlopen" | grep -q 'NEEDED.*libgit2'; then
    echo "bench-dlopen: $out/zero-dlopen needs libgit2 at start" >&2
    exit 1
fi
for variant in dlopen linked; do
    cp "$out/zero-$variant" "$out/zero-$variant-stripped"
    # callgrind cannot read the debug info of the Swift static binary.
    strip "$out/zero-$variant-stripped"
done
echo "shared libraries at start: dlopen $(ldd "$out/zero-dlopen" | wc -l), linked $(ldd "$out/zero-linked" | wc -l) (ldd lines, vdso included)"

# A repository with no active session: the commit-msg hook has nothing to add.
repo="$out/repo"
rm -rf "$repo"
git init -q "$repo"
printf 'a commit message\n' > "$repo/message"
message="$PWD/$repo/message"
dlopen="$PWD/$out/zero-dlopen"
linked="$PWD/$out/zero-linked"
report="$PWD/$out/hyperfine.json"
for binary in "$dlopen" "$linked"; do
    (cd "$repo" && "$binary" hook commit-msg "$message") || { echo "bench-dlopen: $binary hook commit-msg failed" >&2; exit 1; }
done

(cd "$repo" && hyperfine -N --warmup 5 --runs "${RUNS:-200}" --style basic --export-json "$report" \
    -n "dlopen: zero --version" "$dlopen --version" \
    -n "linked: zero --version" "$linked --version" \
    -n "dlopen: zero hook commit-msg" "$dlopen hook commit-msg $message" \
    -n "linked: zero hook commit-msg" "$linked hook commit-msg $message")
# Medians, as in the rest of BENCHMARKS.md: a start-up figure on a shared machine has a long tail.
python3 - "$report" <<'PY'
import json, sys
print("\n| command | median | mean ± σ |\n|---|---|---|")
for result in json.load(open(sys.argv[1]))["results"]:
    print(f"| {result['command']} | {result['median'] * 1000:.2f} ms | {result['mean'] * 1000:.2f} ± {result['stddev'] * 1000:.2f} ms |")
PY

count() {
    (cd "$repo" && valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null) \
        | sed -n 's/.*refs: *//p' | tr -d ','
}
echo
echo "| command | dlopen | linked | linked − dlopen |"
echo "|---|---|---|---|"
for command in "--version" "hook commit-msg $message"; do
    # shellcheck disable=SC2086  # the hook's arguments
    a=$(count "$PWD/$out/zero-dlopen-stripped" $command)
    # shellcheck disable=SC2086
    b=$(count "$PWD/$out/zero-linked-stripped" $command)
    label=$(printf '%s' "$command" | sed 's/ \/.*//')
    printf '| `zero %s` | %s | %s | %s |\n' "$label" "$a" "$b" "$((b - a))"
done
