#!/usr/bin/env bash
# Runs a command with the clock of the Node processes it starts (the test workers, the local
# runtime and the handlers it runs) set to an instant, moving on from there at the normal pace. The
# suite must pass at any hour of any day; CI runs it at night and on a Sunday in Warsaw.
#
#   test/clock/run-at.sh 'next tuesday 03:00' npx vitest run
#
# The instant is anything GNU date understands, read in Warsaw time; relative ones ('next sunday
# 12:00') keep it in the near future, so records kept for a while (TTL) are never already expired
# when DynamoDB Local, which keeps the real time, looks at them.
#
# The clock is moved by libfaketime (Debian's `faketime` package) with an offset from the real
# time, so processes started later agree with those started first. The monotonic clock is left
# alone: timers and timeouts keep their real length. Java (DynamoDB Local) is skipped: it runs
# many times slower under libfaketime and needs no other time than the real one.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 <ISO instant> <command> [args…]" >&2
  exit 2
fi
at="$1"
shift
lib=""
for candidate in /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 /usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1; do
  if [ -f "$candidate" ]; then lib="$candidate"; break; fi
done
if [ -z "$lib" ]; then
  echo "libfaketime is not installed (Debian: apt-get install faketime)" >&2
  exit 2
fi
target=$(TZ=Europe/Warsaw date -d "$at" +%s)
offset=$((target - $(date +%s)))
if [ "$offset" -ge 0 ]; then offset="+$offset"; fi
echo "clock: $(TZ=Europe/Warsaw date -d "@$target" '+%A %Y-%m-%d %H:%M %Z') in Warsaw (offset ${offset} s)"
export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
export FAKETIME="$offset"
export FAKETIME_DONT_FAKE_MONOTONIC=1
export FAKETIME_SKIP_CMDS=java
exec "$@"
