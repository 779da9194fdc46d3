#!/usr/bin/env bash
# How fast a guard gets a broken deploy off the site: the time from the first failed probe to the
# verified rollback, against a local platform on Netlify's terms (500 API requests a minute, 3
# deploys a minute, 5 uploads in flight, only the documented endpoints) with 100 ms added to every
# answer (`devops local serve --latency 100`).
#
# A 200-file site in two releases: v1 (good) and v2, whose /healthz answers 500 (a _redirects rule).
# Before each run v2 is published again (restoreSiteDeploy), auto publishing on; then
# `devops guard --guard-interval 1s --failure-limit 3 --json` watches it, fails /healthz three
# rounds in a row, and rolls back to v1 (backup, compare-and-swap, restore, lock, verification,
# record). Each JSON line is stamped as it arrives; the table shows, per run and as the median:
#   first failed probe -> unhealthy (the limit reached), unhealthy -> rollback verified, and the
#   sum, first failed probe -> rollback verified.
#
# With the defaults the first part is about (LIMIT - 1) x INTERVAL: the guard waits for the 2nd and
# 3rd failure in a row; the second part is the rollback itself.
#
# Environment: RUNS (default 3), INTERVAL (default 10s, the guard's own), LIMIT (default 3),
# LATENCY (ms, default 100), DEVOPS (the devops command; default bin/devops when present, else
# java -jar with tuned flags).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${RUNS:-3}
interval=${INTERVAL:-10s}
limit=${LIMIT:-3}
latency=${LATENCY:-100}

jar="$root/target/devops.jar"
if [ ! -f "$jar" ]; then
  say "Building target/devops.jar..."
  (cd "$root" && mvn -q -B package -DskipTests)
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
pick_devops guard --help

# The platform on Netlify's terms, with latency.
token=bench-token-0123456789
"$java" -jar "$jar" local serve --port 0 --data-dir "$work/platform" --token "$token" --json \
  --latency "$latency" >"$work/serve.json" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/serve.json" ] && break
  sleep 0.1
done
api=$(sed -n 's/.*"api_url":"\([^"]*\)".*/\1/p' "$work/serve.json")
[ -n "$api" ] || { say "❌ the local platform did not start: $(cat "$work/serve.err")"; exit 1; }
say "Local platform at $api (Netlify's limits, ${latency} ms latency)"
call() { # METHOD PATH [BODY]
  curl -sf -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$api/api/v1$2"
}
site_id=$(call POST /sites '{"name":"guard-bench"}' | grep -o '"id" *: *"[^"]*"' | head -1 | cut -d'"' -f4)
[ -n "$site_id" ] || { say "❌ cannot create the bench site"; exit 1; }
export HOME="$work/home" NETLIFY_API_URL="$api" NETLIFY_AUTH_TOKEN="$token" NO_COLOR=1
mkdir -p "$HOME"

project="$work/project"
mkdir -p "$project"
cd "$project"
$devops init --site guard-bench >/dev/null 2>&1
sed -i 's/"paths" : \[ "\/" \]/"paths" : [ "\/", "\/healthz" ]/' .devops/config.json
grep -q '"/healthz"' .devops/config.json || { say "❌ could not set the health checks"; exit 1; }

make_site() { # $1 = dir, $2 = release
  local i
  mkdir -p "$1/assets"
  for i in $(seq 0 198); do
    printf '/* %s asset %s */\n' "$2" "$i" >"$1/assets/a$i.css"
  done
  printf '<h1>%s</h1>\n' "$2" >"$1/index.html"
}
make_site "$work/v1" v1.0.0
printf 'ok\n' >"$work/v1/healthz.html"
make_site "$work/v2" v2.0.0
printf 'down\n' >"$work/v2/500.html"
printf '/healthz /500.html 500\n' >"$work/v2/_redirects"
$devops deploy --dir "$work/v1" --prod --version v1.0.0 --json >"$work/v1.json" 2>/dev/null
$devops deploy --dir "$work/v2" --prod --version v2.0.0 --json >"$work/v2.json" 2>/dev/null
deploy_id() { grep -o '"deploy_id" *: *"[^"]*"' "$1" | head -1 | cut -d'"' -f4; }
v1=$(deploy_id "$work/v1.json")
v2=$(deploy_id "$work/v2.json")
[ -n "$v1" ] && [ -n "$v2" ] || { say "❌ the two releases did not deploy"; exit 1; }

# Stamps each line with the time it arrived (bash's clock, no process per line).
stamp() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }
first() { grep -m1 -E "$2" "$1" | cut -d' ' -f1; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

detect=()
rollback=()
total=()
for run in $(seq 1 "$runs"); do
  call POST "/deploys/$v1/unlock" >/dev/null
  call POST "/deploys/$v2/unlock" >/dev/null
  call POST "/sites/$site_id/deploys/$v2/restore" >/dev/null
  say "run $run/$runs: guarding v2 (broken /healthz)..."
  set +e
  $devops guard --guard-interval "$interval" --failure-limit "$limit" --json 2>"$work/err-$run.txt" \
    | stamp >"$work/run-$run.log"
  code=${PIPESTATUS[0]}
  set -e
  [ "$code" -eq 15 ] || { say "❌ run $run: exit $code, not 15"; cat "$work/err-$run.txt" >&2; exit 1; }
  log="$work/run-$run.log"
  t_fail=$(first "$log" '"event":"probe".*"ok":false')
  t_unhealthy=$(first "$log" '"event":"unhealthy"')
  t_verified=$(first "$log" '"step":"verify","status":"done"')
  grep -q '"outcome":"rolled_back"' "$log" || { say "❌ run $run did not roll back"; exit 1; }
  detect+=("$(seconds "$t_fail" "$t_unhealthy")")
  rollback+=("$(seconds "$t_unhealthy" "$t_verified")")
  total+=("$(seconds "$t_fail" "$t_verified")")
done
published=$(call GET "/sites/$site_id" | grep -o '"published_deploy" *: *{ *"id" *: *"[^"]*"' | grep -o '[0-9a-f]\{24\}' | head -1)
[ "$published" = "$v1" ] || { say "❌ the site does not serve v1 after the runs"; exit 1; }

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '\nMachine: %s, %s cores; %s; %s runs\n' "$(uname -m)" "$(nproc)" \
  "$("$java" -version 2>&1 | head -1)" "$runs"
printf 'devops = %s\n' "$devops_label"
printf 'Platform: Netlify limits on, %s ms latency; guard: --guard-interval %s --failure-limit %s; health checks / and /healthz; 200 files\n\n' \
  "$latency" "$interval" "$limit"
printf '| run | first failed probe → unhealthy | unhealthy → rollback verified | first failed probe → verified |\n'
printf '|---:|---:|---:|---:|\n'
for i in "${!total[@]}"; do
  printf '| %s | %s s | %s s | %s s |\n' "$((i + 1))" "${detect[$i]}" "${rollback[$i]}" "${total[$i]}"
done
printf '| median | %s s | %s s | **%s s** |\n' "$(median "${detect[@]}")" "$(median "${rollback[@]}")" "$(median "${total[@]}")"
