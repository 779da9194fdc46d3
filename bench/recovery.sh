#!/usr/bin/env bash
# Recovery on Netlify's terms: the local platform with its API limits (500 requests and 3 deploys a
# minute, 5 uploads in flight, only the documented endpoints) and LATENCY ms added to every answer
# (`devops local serve --latency`), for sites of 1,000 and 50,000 files.
#
# For each size, two releases are deployed from another folder (as a git build on Netlify would:
# the folder timed has none of their bytes), on the same data with the limits lifted; then the
# platform is started again on Netlify's terms and, side by side:
#   1. `devops rollback --yes --reason bench --json` from a fresh project folder: the whole flow,
#      with a backup whose manifest is written before the switch and whose bytes (every file of the
#      live deploy, from its permalink) are stored after it, before the command exits;
#   2. `netlify api restoreSiteDeploy` alone (netlify-cli): the bare publish, nothing else.
# Then the deploy side, on the same terms: `devops deploy` of 1,000 new files against
# `netlify deploy --no-build` of 1,000 other new files.
#
# Prints a table: start -> verified switch (the rollback's time_to_verified_ms), total wall time,
# API calls, HTTP requests and answers of 429, with the goals marked ✅/❌.
# Environment: SIZES (default "1000 50000"), LATENCY (ms, default 100), DEVOPS (the command timed),
# DEPLOY (default 1; 0 skips the deploy comparison), KEEP (a folder that keeps each rollback's JSON
# lines, whose step events say where the time went).
# Installs what it needs: hyperfine (apt), netlify-cli (npm ci in compat/), python3, the jar.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sizes=${SIZES:-1000 50000}
latency=${LATENCY:-100}
need_tools
command -v python3 >/dev/null || {
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq python3-minimal >/dev/null
}
pick_devops rollback --help

token=bench-token-0123456789
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
api="http://127.0.0.1:$port"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache"
export NETLIFY_API_URL="$api" NETLIFY_AUTH_TOKEN="$token" NETLIFY_TELEMETRY_DISABLED=1 CI=1 NO_COLOR=1
mkdir -p "$HOME/.config" "$HOME/.cache"

serve() { # serve FLAGS...: `devops local serve` on $port over $work/platform
  "$java" -jar "$jar" local serve --port "$port" --data-dir "$work/platform" --token "$token" --json "$@" \
    >"$work/serve.json" 2>"$work/serve.err" &
  server_pid=$!
  local _
  for _ in $(seq 1 200); do
    [ -s "$work/serve.json" ] && return 0
    sleep 0.1
  done
  say "❌ the local platform did not start: $(cat "$work/serve.err")"
  exit 1
}
stop() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
call() { # METHOD PATH [BODY]: the platform's API (set-up only)
  curl -sf -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$api/api/v1$2"
}
calls() { # total API calls the platform answered since the last reset
  curl -sf -H "Authorization: Bearer $token" "$api/__admin/calls" \
    | python3 -c 'import json, sys; print(sum(json.load(sys.stdin).values()))'
}
reset_calls() { curl -sf -X DELETE -H "Authorization: Bearer $token" "$api/__admin/calls" >/dev/null; }
make_site() { # DIR FILES SALT
  python3 - "$1" "$2" "$3" <<'PY'
import os, sys
root, files, salt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(files):
    d = os.path.join(root, "p%d" % (i // 1000))
    os.makedirs(d, exist_ok=True)
    name = "index.html" if i == 0 else "page-%d.html" % i
    with open(os.path.join(root if i == 0 else d, name), "w") as f:
        f.write("<p>%s page %d</p>\n" % (salt, i))
PY
}
ms_now() { date +%s%3N; }

rows=()
goal_rows=()
for files in $sizes; do
  name="recovery-$files"
  say "── $files files: seeding two releases (limits lifted)..."
  serve --rate-limit off --deploy-rate-limit off --upload-concurrency off
  site_id=$(call POST /sites "{\"name\":\"$name\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  seed="$work/seed-$files"
  mkdir -p "$seed"
  (cd "$seed" && $devops init --site "$name" --api-url "$api" >/dev/null 2>&1)
  for v in 1 2; do
    make_site "$work/site-$files-v$v" "$files" "v$v"
    (cd "$seed" && $devops deploy --dir "$work/site-$files-v$v" --prod --version "v$v.0.0" --json \
      >"$work/deploy-$files-v$v.json" 2>"$work/deploy-$files-v$v.err") \
      || { say "❌ seeding deploy failed: $(tail -3 "$work/deploy-$files-v$v.err")"; exit 1; }
  done
  v2=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["deploy_id"])' "$work/deploy-$files-v2.json")
  stop

  say "── $files files: the rollback on Netlify's terms, ${latency} ms latency..."
  serve --latency "$latency"
  project="$work/project-$files"
  mkdir -p "$project"
  (cd "$project" && $devops init --site "$name" --api-url "$api" >/dev/null 2>&1)
  sleep 1
  started=$(ms_now)
  (cd "$project" && $devops rollback --yes --reason bench --json >"$work/rollback-$files.json" \
    2>"$work/rollback-$files.err") || say "⚠️ the rollback exited $?: $(tail -3 "$work/rollback-$files.err")"
  wall=$(($(ms_now) - started))
  read -r verified api_calls http rate_limited outcome complete < <(python3 - "$work/rollback-$files.json" <<'PY'
import json, sys
last = [json.loads(l) for l in open(sys.argv[1]) if l.strip()][-1]
print(last.get("time_to_verified_ms"), last.get("api_calls"), last.get("http_requests"),
      last.get("rate_limited"), last.get("outcome"), last.get("backup_complete"))
PY
)
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work/rollback-$files.json" "$KEEP/"; fi
  rows+=("| devops rollback, $files files | $verified ms | $wall ms | $api_calls | $http | $rate_limited | $outcome, backup complete: $complete |")

  reset_calls
  started=$(ms_now)
  NETLIFY_SITE_ID=$site_id "$netlify" api restoreSiteDeploy \
    --data "{\"site_id\":\"$site_id\",\"deploy_id\":\"$v2\"}" >/dev/null 2>"$work/netlify-$files.err" \
    || say "⚠️ netlify api restoreSiteDeploy failed: $(tail -3 "$work/netlify-$files.err")"
  netlify_wall=$(($(ms_now) - started))
  rows+=("| netlify api restoreSiteDeploy, $files files | (not verified) | $netlify_wall ms | $(calls) | | | publish only: no backup, no check |")
  stop

  if [ "$files" -le 1000 ]; then verified_goal=2500; else verified_goal=3500; fi
  mark() { [ "$1" != None ] && [ "$1" -le "$2" ] && echo ✅ || echo ❌; }
  goal_rows+=("| start → verified switch ≤ $verified_goal ms, $files files | $verified ms | $(mark "$verified" "$verified_goal") |")
  if [ "$files" -le 1000 ]; then
    goal_rows+=("| total wall ≤ 10000 ms, $files files | $wall ms | $(mark "$wall" 10000) |")
  fi
  goal_rows+=("| 0 answers of 429, $files files | $rate_limited | $( [ "$rate_limited" = 0 ] && echo ✅ || echo ❌) |")
done

deploy_rows=()
if [ "${DEPLOY:-1}" != 0 ]; then
say "── deploy of 1,000 new files on Netlify's terms, ${latency} ms latency..."
serve --latency "$latency"
site_id=$(call POST /sites '{"name":"deploy-bench"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
project="$work/project-deploy"
mkdir -p "$project"
(cd "$project" && $devops init --site deploy-bench --api-url "$api" >/dev/null 2>&1)
make_site "$work/deploy-devops" 1000 devops-deploy
make_site "$work/deploy-netlify" 1000 netlify-deploy
sleep 60 # a fresh minute: both start with the whole request budget
reset_calls
started=$(ms_now)
(cd "$project" && $devops deploy --dir "$work/deploy-devops" --prod --json >/dev/null 2>"$work/deploy-devops.err") \
  || say "⚠️ devops deploy failed: $(tail -3 "$work/deploy-devops.err")"
devops_deploy=$(($(ms_now) - started))
devops_deploy_calls=$(calls)
sleep 60
reset_calls
started=$(ms_now)
NETLIFY_SITE_ID=deploy-bench "$netlify" deploy --no-build --dir "$work/deploy-netlify" --prod --json \
  >/dev/null 2>"$work/deploy-netlify.err" || say "⚠️ netlify deploy failed: $(tail -3 "$work/deploy-netlify.err")"
netlify_deploy=$(($(ms_now) - started))
netlify_deploy_calls=$(calls)
stop
deploy_rows+=("| devops deploy --prod | $devops_deploy ms | $devops_deploy_calls |")
deploy_rows+=("| netlify deploy --no-build --prod | $netlify_deploy ms | $netlify_deploy_calls |")
deploy_rows+=("| ratio devops ÷ netlify-cli | $(python3 -c "print(f'{$devops_deploy / $netlify_deploy:.2f}')") | |")
fi

echo "Netlify's limits on (500 API requests and 3 deploys a minute, 5 uploads in flight), ${latency} ms"
echo "added to every answer; devops = $devops_label; load average $(load) at the end."
echo
echo "| run | start → verified switch | total wall | API calls | HTTP requests | 429s | result |"
echo "|---|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo
if [ ${#deploy_rows[@]} -gt 0 ]; then
  echo "| deploy of 1,000 new files | wall | API calls (uploads included) |"
  echo "|---|---:|---:|"
  printf '%s\n' "${deploy_rows[@]}"
  echo
fi
echo "| goal | measured | |"
echo "|---|---:|---|"
printf '%s\n' "${goal_rows[@]}"
