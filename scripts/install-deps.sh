#!/bin/sh
# Installs what building and testing Zero needs, only when it is missing:
# libgit2 (headers and library), pkg-config, git, libcurl's headers (for
# zero-serve), OpenSSH's client (signed acts), python3, script(1) and jq for
# the tests; with --bench also hyperfine, valgrind and wrk; with --test also
# zizmor and check-jsonschema, which the workflow test runs on `zero pr
# workflow`, schemathesis, which tests zero serve against its OpenAPI
# document, and the MCP Python SDK, the outside client the MCP test drives
# `zero mcp` with, from PyPI into .build/tools/venv.
# Non-interactive; uses sudo when not root.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.build/tools/venv"
# Pinned: a newer zizmor brings new audits; move on when the workflow passes them.
mcp_version=2.3.0
tools="zizmor==1.32.0 check-jsonschema==0.39.0 schemathesis==4.32.5 mcp==$mcp_version"
have_tool() { command -v "$1" >/dev/null 2>&1 || [ -x "$venv/bin/$1" ]; }
# The MCP client must be the venv's own, at the pinned version (the test runs the venv's python).
have_mcp() {
  [ -x "$venv/bin/python" ] &&
    "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('mcp') != '$mcp_version')" >/dev/null 2>&1
}
want_tools=""
if [ "${1:-}" = "--test" ] && ! { have_tool zizmor && have_tool check-jsonschema && have_tool st && have_mcp; }; then
  want_tools=yes
fi

need=""
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
if [ ! -f /usr/include/git2.h ] || ! pkg-config --exists libgit2 2>/dev/null; then
  need="$need libgit2-dev"
fi
if [ "${1:-}" = "--bench" ]; then
  command -v hyperfine >/dev/null 2>&1 || need="$need hyperfine"
  command -v valgrind >/dev/null 2>&1 || need="$need valgrind"
  command -v wrk >/dev/null 2>&1 || need="$need wrk"
  command -v python3 >/dev/null 2>&1 || need="$need python3"
  command -v strip >/dev/null 2>&1 || need="$need binutils"
fi
command -v git >/dev/null 2>&1 || need="$need git"
# Signed operator acts, and the tests that sign and verify them (ssh-keygen, ssh-agent),
# start an agent (python3) and give zero a terminal (script).
command -v ssh-keygen >/dev/null 2>&1 || need="$need openssh-client"
command -v python3 >/dev/null 2>&1 || need="$need python3"
command -v script >/dev/null 2>&1 || need="$need bsdutils"
# zero-serve's webhooks use FoundationNetworking (libcurl); a release build links it statically.
[ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] || [ -f /usr/include/curl/curl.h ] || need="$need libcurl4-openssl-dev"
# The README's walkthrough (run by the tests) picks ids out of --json with jq.
command -v jq >/dev/null 2>&1 || need="$need jq"
# Debian's python3 makes a venv only with python3-venv (it carries ensurepip).
if [ -n "$want_tools" ] && ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  need="$need python3-venv"
fi

install_packages() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "zero: missing:$need; install them with your package manager" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
      echo "zero: missing:$need and not root (no sudo); install them first" >&2
      exit 1
    fi
  fi
  echo "installing:$need" >&2
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet.
  $sudo apt-get install -y -q $need >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q $need >/dev/null
  }
}
[ -z "$need" ] || install_packages

if [ -n "$want_tools" ]; then
  echo "installing $tools into $venv" >&2
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check $tools
fi
