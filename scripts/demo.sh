#!/usr/bin/env bash
# `make demo`: the whole lifecycle of a case in a throw-away git repository,
# printing each command and what it did. Usage: scripts/demo.sh [path/to/zero]
set -euo pipefail

ZERO=${1:-zero}
ZERO=$(cd "$(dirname "$ZERO")" && pwd)/$(basename "$ZERO")
demo=$(mktemp -d "${TMPDIR:-/tmp}/zero-demo.XXXXXX")
export HOME="$demo/home"          # keep the user's git config out of it
mkdir -p "$HOME" "$demo/repo"
cd "$demo/repo"

bold=$(printf '\033[1m'); dim=$(printf '\033[2m'); red=$(printf '\033[31m'); off=$(printf '\033[0m')
if [ -n "${NO_COLOR:-}" ] || [ ! -t 1 ]; then bold=""; dim=""; red=""; off=""; fi

say()  { printf '\n%s# %s%s\n' "$bold" "$*" "$off"; }
run()  { printf '%s$ %s%s\n' "$dim" "$*" "$off"; "$@"; }
# Runs a command that is expected to be refused, and shows its exit code.
refused() {
  printf '%s$ %s%s\n' "$dim" "$*" "$off"
  set +e; "$@"; code=$?; set -e
  if [ "$code" = 0 ]; then echo "${red}expected a refusal, got exit 0${off}"; exit 1; fi
  printf '%s(exit %s: refused as expected)%s\n' "$dim" "$code" "$off"
}
as() { git config user.name "$1"; git config user.email "$2"; printf '%s[acting as %s <%s>]%s\n' "$dim" "$1" "$2" "$off"; }
zero() { "$ZERO" "$@"; }

say "A repository with a bug: the JWT expiry check uses < where it needs <="
git init -q -b main
as "Ada" "ada@example.com"
mkdir -p auth
cat > auth/jwt.rs <<'RS'
fn is_expired(now: u64, expiry: u64) -> bool {
    expiry < now
}
RS
cat > test.sh <<'SH'
#!/bin/sh
# A stand-in test suite: passes once the expiry check uses <=.
if grep -q 'expiry <= now' auth/jwt.rs; then echo "test result: ok. 3 passed; 0 failed"; else echo "test result: FAILED. 2 passed; 1 failed"; exit 1; fi
SH
chmod +x test.sh
git add -A && git commit -qm "initial code"
echo "repository: $PWD"

say "The operator sets up Zero: config.yaml names them as the operator, and git hooks enforce the gates"
run zero init
run git add -A
run git commit -qm "adopt zero"
ADOPTED=$(git rev-parse HEAD)

say "A case for the bug"
run zero case new "auth timeout on /api/login" --type bug --tag auth --priority high \
    --observed "/api/login returns 504 after 30s at the token's expiry second" --expected "login completes in under 2s"
CASE=$(zero case list --json | sed -n 's/.*"id" : "\([0-9a-f-]*\)".*/\1/p' | head -1)
C=${CASE:0:4}
echo "(a prefix is enough: $C)"

say "An agent plans: a planning session, a hypothesis, steps and a scope"
as "Agent" "agent@example.com"
run zero session new "$C" --type planning
run zero session plan "$C" --hypothesis "JWT expiry check uses < instead of <=" \
    --step "Patch auth/jwt.rs: change < to <=" --step "Run ./test.sh" --scope 'auth/**'

say "Without an approved plan, git itself refuses the code change; the agent cannot approve its own plan"
sed -i 's/expiry < now/expiry <= now/' auth/jwt.rs
refused git commit -qam "fix expiry check"
refused zero session approve "$C"
refused zero session new "$C" --type implementing

say "The operator reviews and approves; the approval binds to the plan's SHA-256"
as "Ada" "ada@example.com"
run zero session show "$C/1"
run zero session approve "$C"

say "The agent implements under the approved plan; the approval is committed before the code"
as "Agent" "agent@example.com"
run zero session new "$C" --type implementing --start
run git add zero-memory
run git commit -qm "zero: plan approved, session 2 started"
run git commit -qam "fix expiry check"
echo "(the commit-msg hook linked the commit to the session:)"
git log -1 --format='%B' | sed 's/^/    /'
run zero session progress "$C" --done 1 --file modified:auth/jwt.rs

say "A bypass is still caught: code slipped into a merge commit with the hooks skipped; zero check judges every commit, merges included"
git checkout -q -b side
echo "Notes on the fix." > NOTES.md
run git add NOTES.md
run git commit -qm "notes"
git checkout -q main
run git merge -q --no-ff --no-commit side
echo "debug = true" > settings.toml
run git add settings.toml
run git commit -qm "merge side" --no-verify
refused zero check --range HEAD~1..HEAD
run git reset -q --hard HEAD~1
git branch -q -D side

say "A kill in the middle of a change: the next command finishes it, and zero doctor checks the whole memory"
set +e; ( ZERO_KILL_AT_STEP=3 "$ZERO" session progress "$C" --discovery "the check runs on every request"; true ) 2>/dev/null; set -e
echo "(zero session progress was killed after its third file-system step: its intent record is written, its files are not)"
refused zero doctor
run zero session progress "$C" --note "carrying on"
zero session show "$C" | grep "the check runs on every request" >/dev/null && echo "(the killed command's discovery is in the session: it was finished, not lost)"
run zero doctor

say "Proof: the test run is captured with its output, exit code, HEAD and summary"
run zero proof run "$C" -- ./test.sh
run zero session complete "$C" --output "Patched auth/jwt.rs: expiry <= now. ./test.sh: 3 passed."
run git add zero-memory
run git commit -qm "zero: session complete"
PROOF=$(zero proof list "$C" --json | sed -n 's/.*"short_id" : "\([0-9a-f]*\)".*/\1/p' | head -1)

say "A forged outcome is refused: the agent marks its own proof verified by hand"
PROOF_FILE="zero-memory/cases/$CASE/proofs/$PROOF.md"
sed -i "s/^verified: false/verified: true\nverified_by: Agent <agent@example.com>\nverified_at: 2026-04-21T15:00:00Z/" "$PROOF_FILE"
refused git commit -qam "proof verified"
run git checkout -- "$PROOF_FILE"

say "The operator reviews the diff, verifies the proof and resolves"
as "Ada" "ada@example.com"
run zero session accept "$C"
run zero proof verify "$C" "$PROOF"
run zero case resolve "$C" --outcome ConfirmedCodeBug --root-cause "off-by-one in the expiry comparison" --fix "use <="

say "Ended sessions are append-only: a hand edit is caught"
cp "zero-memory/cases/$CASE/sessions/002.md" /tmp/zero-demo-session.bak
sed -i 's/3 passed/30 passed/' "zero-memory/cases/$CASE/sessions/002.md"
refused zero session show "$C/2"
cp /tmp/zero-demo-session.bak "zero-memory/cases/$CASE/sessions/002.md"

say "Where everything stands, and what the pull request shows"
run git add -A
run git commit -qm "zero: case resolved"
run zero case show "$C"
run zero case log "$C"
run zero status
run zero check --range "$ADOPTED..HEAD"
run zero pr body "$C"

say "The memory is plain files, committed with the code"
find zero-memory -type f -not -name .lock | sort
echo
echo "demo repository kept at $demo/repo"
