#!/usr/bin/env bash
# Time `make run` in a checkout until its login page answers 200, then stop the server it started.
# A newcomer's first hour (issue 18): on a fresh clone run it twice; the second run is the restart.
#   git clone /path/to/repo /tmp/fresh && scripts/time_make_run.sh /tmp/fresh 8001 /tmp/run1.log
set -u
dir=${1:?usage: time_make_run.sh DIR [PORT] [LOG]}
port=${2:-8000}
log=${3:-/dev/null}
cd "$dir" || exit 1
start=$(date +%s.%N)
setsid env PORT="$port" make run >"$log" 2>&1 &
pid=$!
code=000
for _ in $(seq 1 1800); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/accounts/login/" || true)
  [ "$code" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
end=$(date +%s.%N)
kill -- -"$pid" 2>/dev/null
wait "$pid" 2>/dev/null
printf 'login page %s after %.1f s (load average %s)\n' "$code" "$(echo "$end - $start" | bc)" "$(cut -d' ' -f1 /proc/loadavg)"
