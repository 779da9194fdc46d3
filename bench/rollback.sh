#!/usr/bin/env bash
# Side by side, in one run, against the same local platform and a 1,000-file site:
#   1. `devops rollback --yes --reason bench`: the full flow (history, target, validation, impact,
#      backup of the live deploy, restore, publish wait, lock, verification of served bytes,
#      records), with an empty blob store, so every run downloads and checks all 1,000 files;
#   2. the same with the blob store kept between runs (the usual case: files already backed up);
#   3. `netlify api restoreSiteDeploy` alone (netlify-cli): the bare publish, nothing else.
# Before every timed run the site is put back on the newer deploy, unlocked. Prints a table of
# medians. Installs what it needs: hyperfine (apt), netlify-cli (npm ci in compat/), the jar.
#
# Environment: RUNS (default 7), DEVOPS (the devops command; default bin/devops when present,
# else java -jar target/devops.jar with flags tuned for short runs and a class-data archive).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
runs=${RUNS:-7}
work=$(mktemp -d "${TMPDIR:-/tmp}/devops-rollback-bench.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%s\n' "$*" >&2; }

# --- tools ---------------------------------------------------------------------------------
if ! command -v hyperfine >/dev/null; then
  say "Installing hyperfine..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq hyperfine >/dev/null
fi
netlify="$root/compat/node_modules/.bin/netlify"
if [ ! -x "$netlify" ]; then
  say "Installing netlify-cli (npm ci in compat/; takes a few minutes)..."
  (cd "$root/compat" && npm ci --no-audit --no-fund --silent)
fi
jar="$root/target/devops.jar"
if [ ! -f "$jar" ]; then
  say "Building target/devops.jar..."
  (cd "$root" && mvn -q -B package -DskipTests)
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

if [ -n "${DEVOPS:-}" ]; then
  devops=$DEVOPS
  devops_label="\$DEVOPS ($DEVOPS)"
elif [ -x "$root/bin/devops" ]; then
  devops="$root/bin/devops"
  devops_label="bin/devops"
else
  cds="$work/devops.jsa"
  flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss1m"
  "$java" $flags -XX:ArchiveClassesAtExit="$cds" -jar "$jar" rollback --help >/dev/null 2>&1 || true
  if [ -f "$cds" ]; then flags="$flags -XX:SharedArchiveFile=$cds"; fi
  devops="$java $flags -jar $jar"
  devops_label="java -jar target/devops.jar (tuned flags + class-data archive; no bin/devops here)"
fi

# --- the local platform ----------------------------------------------------------------------
token=bench-token-0123456789
"$java" -jar "$jar" local serve --port 0 --data-dir "$work/platform" --token "$token" --json \
  >"$work/serve.json" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/serve.json" ] && break
  sleep 0.1
done
api=$(sed -n 's/.*"api_url":"\([^"]*\)".*/\1/p' "$work/serve.json")
[ -n "$api" ] || { say "❌ the local platform did not start: $(cat "$work/serve.err")"; exit 1; }
say "Local platform at $api"
site_id=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"rollback-bench"}' "$api/api/v1/sites" | grep -o '"id" *: *"[^"]*"' | head -1 | cut -d'"' -f4)
[ -n "$site_id" ] || { say "❌ cannot create the bench site"; exit 1; }

home="$work/home"
mkdir -p "$home/.config" "$home/.cache"
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache"
export NETLIFY_API_URL="$api" NETLIFY_AUTH_TOKEN="$token" NETLIFY_SITE_ID="$site_id"
export NETLIFY_TELEMETRY_DISABLED=1 CI=1 NO_COLOR=1

project="$work/project"
mkdir -p "$project"
cd "$project"
$devops init --site rollback-bench >/dev/null 2>&1

# Two releases of a 1,000-file site: v1 (the rollback target) and v2 (live).
make_site() { # $1 = dir, $2 = release
  local i
  for i in $(seq 0 999); do
    mkdir -p "$1/p$((i / 100))"
    printf '<p>page %s of %s</p>\n' "$i" "$2" >"$1/p$((i / 100))/page-$i.html"
  done
  printf '<h1>%s</h1>\n' "$2" >"$1/index.html"
}
make_site "$work/v1" v1.0.0
make_site "$work/v2" v2.0.0
$devops deploy --dir "$work/v1" --prod --version v1.0.0 --json >"$work/v1.json" 2>/dev/null
$devops deploy --dir "$work/v2" --prod --version v2.0.0 --json >"$work/v2.json" 2>/dev/null
deploy_id() { grep -o '"deploy_id" *: *"[^"]*"' "$1" | head -1 | cut -d'"' -f4; }
v1=$(deploy_id "$work/v1.json")
v2=$(deploy_id "$work/v2.json")
[ -n "$v1" ] && [ -n "$v2" ] || { say "❌ the two releases did not deploy"; exit 1; }

# Back on v2, auto publishing on, before every timed run.
printf '#!/usr/bin/env bash\nset -e\nc() { curl -sf -X POST -H "Authorization: Bearer %s" "%s/api/v1$1" >/dev/null; }\nc /deploys/%s/unlock\nc /deploys/%s/unlock\nc /sites/%s/deploys/%s/restore\n' \
  "$token" "$api" "$v1" "$v2" "$site_id" "$v2" >"$work/reset.sh"
chmod +x "$work/reset.sh"
printf '#!/usr/bin/env bash\n%q\nrm -rf %q\n' "$work/reset.sh" "$project/.devops/backups" >"$work/reset-cold.sh"
chmod +x "$work/reset-cold.sh"

restore_data="{\"site_id\":\"$site_id\",\"deploy_id\":\"$v1\"}"

say "1/3 devops rollback, cold blob store ($runs runs)..."
hyperfine -N --style basic --warmup 1 --runs "$runs" --export-csv "$work/cold.csv" \
  --prepare "$work/reset-cold.sh" \
  -n devops "$devops rollback --yes --reason bench" >&2
say "2/3 devops rollback, blob store kept ($runs runs)..."
hyperfine -N --style basic --warmup 1 --runs "$runs" --export-csv "$work/warm.csv" \
  --prepare "$work/reset.sh" \
  -n devops "$devops rollback --yes --reason bench" >&2
say "3/3 netlify api restoreSiteDeploy ($runs runs)..."
hyperfine -N --style basic --warmup 1 --runs "$runs" --export-csv "$work/netlify.csv" \
  --prepare "$work/reset.sh" \
  -n netlify-cli "$netlify api restoreSiteDeploy --data '$restore_data'" >&2

# The last devops run must have verified the rollback: check the history says so.
grep -q '"outcome" : "verified"' "$project/.devops/rollback-history.json" \
  || { say "❌ the devops rollbacks did not verify"; exit 1; }

median() { awk -F, 'NR == 2 { print $4 }' "$1"; }
cold=$(median "$work/cold.csv"); warm=$(median "$work/warm.csv"); bare=$(median "$work/netlify.csv")

printf '\nMachine: %s, %s cores; %s; node %s; %s runs each\n' "$(uname -m)" "$(nproc)" \
  "$("$java" -version 2>&1 | head -1)" "$(node --version)" "$runs"
printf 'devops = %s\n\n' "$devops_label"
printf '| %-72s | %12s |\n' "rollback of a 1,000-file site (median wall time)" "time"
printf '|%s|%s|\n' "$(printf -- '-%.0s' {1..74})" "$(printf -- '-%.0s' {1..14})"
printf '| %-72s | %10.3f s |\n' "devops rollback --yes (backup downloads 1,000 files; verify; lock)" "$cold"
printf '| %-72s | %10.3f s |\n' "devops rollback --yes (blob store warm: 0 new blobs; verify; lock)" "$warm"
printf '| %-72s | %10.3f s |\n' "netlify api restoreSiteDeploy (publish only: no checks, no backup)" "$bare"
awk -v a="$cold" -v b="$warm" -v c="$bare" 'BEGIN { printf "\nratios: cold/restore %.2f, warm/restore %.2f\n", a / c, b / c }'
