#!/usr/bin/env bash
# Runs Redis 7.0.15's tests/unit/maxmemory.tcl (../shared/redis-tests, BSD licence:
# redis-tests/COPYING) in external-server mode, as ../shared/tools/redis-suite runs a suite file,
# against a fresh server, and counts the results.
#
#   scripts/maxmemory-suite.sh [--server rdblens|redis] [--no-build] [--log DIR] [--only PATTERN]...
#
# Every test of that file is tagged `external:skip`, so the shared runner runs none of them. This
# script copies the suite to a temporary directory, removes only that tag from unit/maxmemory.tcl
# (no other line changes), and runs the file with the shared runner's options:
#   tclsh tests/test_helper.tcl --host 127.0.0.1 --port P --durable --single unit/maxmemory
#         --timeout 60 --tags "-needs:repl -needs:debug -needs:pfdebug"
# --server rdblens (default) builds (npm run build, unless --no-build) and starts
# `node bin/rdblens.js serve --port P`; --server redis starts redis-server 7.0.15 (the baseline).
# --only PATTERN passes `--only PATTERN` to test_helper.tcl (a test-name glob; may repeat).
# Prints one line per test ([ok]/[err]/[exception] and its name), then
#   unit/maxmemory  ok err exc secs
# and, with --log DIR, copies the harness output to DIR/unit_maxmemory.txt.
set -u
root=$(pwd)
SHARED=$(cd "$root/../shared" 2>/dev/null && pwd) || { echo "maxmemory-suite: ../shared is missing (run from the project root)" >&2; exit 2; }
SERVER=rdblens; LOG=""; BUILD=1; ONLY=()
while [ $# -gt 0 ]; do
  case $1 in
    --server) SERVER=$2; shift 2;;
    --log) LOG=$2; shift 2;;
    --no-build) BUILD=0; shift;;
    --only) ONLY+=(--only "$2"); shift 2;;
    -h|--help) sed -n 2,18p "$0"; exit 0;;
    *) echo "maxmemory-suite: unknown argument $1" >&2; exit 2;;
  esac
done
command -v tclsh >/dev/null || { echo "maxmemory-suite: tclsh is missing (apt-get install -y tcl)" >&2; exit 2; }
[ -f "$SHARED/redis-tests/unit/maxmemory.tcl" ] || { echo "maxmemory-suite: $SHARED/redis-tests/unit/maxmemory.tcl is missing" >&2; exit 2; }
work=$(mktemp -d); SP=""
trap 'if [ -n "$SP" ]; then kill "$SP" 2>/dev/null; wait "$SP" 2>/dev/null; fi; rm -rf "$work"' EXIT
cp -r "$SHARED/redis-tests" "$work/tests"; chmod -R u+w "$work/tests"; mkdir -p "$work/tests/tmp"
# the tag appears as `"external:skip"` (its own list element) and inside `"maxmemory external:skip"`
sed -i -e 's/ "external:skip"//g' -e 's/ external:skip"/"/g' "$work/tests/unit/maxmemory.tcl"
if grep -q 'external:skip' "$work/tests/unit/maxmemory.tcl"; then
  echo "maxmemory-suite: could not remove every external:skip tag from unit/maxmemory.tcl" >&2; exit 2
fi
[ -n "$LOG" ] && mkdir -p "$LOG"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
if [ "$SERVER" = rdblens ] && [ $BUILD = 1 ]; then
  npm run -s build >"$work/build.log" 2>&1 || { echo "maxmemory-suite: npm run build failed:"; tail -5 "$work/build.log"; exit 2; }
fi
P=$(free_port)
if [ "$SERVER" = redis ]; then
  mkdir -p "$work/r"
  redis-server --port "$P" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/r" --enable-debug-command yes >"$work/server.log" 2>&1 & SP=$!
elif [ "$SERVER" = rdblens ]; then
  node "$root/bin/rdblens.js" serve --port "$P" >"$work/server.log" 2>&1 & SP=$!
else
  echo "maxmemory-suite: --server is rdblens or redis" >&2; exit 2
fi
for _ in $(seq 1 150); do redis-cli -p "$P" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
s=$(date +%s)
(cd "$work" && timeout 900 tclsh tests/test_helper.tcl --host 127.0.0.1 --port "$P" --baseport 25111 --durable --single unit/maxmemory \
   --timeout 60 --tags "-needs:repl -needs:debug -needs:pfdebug" "${ONLY[@]}" >"$work/out.txt" 2>&1)
rc=$?; e=$(( $(date +%s) - s ))
kill "$SP" 2>/dev/null; wait "$SP" 2>/dev/null; SP=""
sed -i 's/\x1b\[[0-9;]*m//g' "$work/out.txt"
grep -E '^\[(ok|err|exception)\]' "$work/out.txt"
ok=$(grep -c '^\[ok\]' "$work/out.txt"); err=$(grep -c '^\[err\]' "$work/out.txt"); exc=$(grep -c '^\[exception\]' "$work/out.txt")
[ $rc -eq 124 ] && exc=$((exc+1))
if [ -n "$LOG" ]; then cp "$work/out.txt" "$LOG/unit_maxmemory.txt"; cp "$work/server.log" "$LOG/server.log"; fi
printf '%-26s %5s %5s %5s %6s\n' file ok err exc secs
printf '%-26s %5d %5d %5d %6d\n' unit/maxmemory "$ok" "$err" "$exc" "$e"
