#!/usr/bin/env bash
# Scale: a site with a long history and deploys of 50,000 files, against the local platform.
#   - seeds 10,000 production deploys through the real API (POST /sites/{id}/deploys, each one
#     a file digest whose blob the platform already holds, so each is ready at once: the same
#     call `netlify deploy` makes for an unchanged site), then deploys two releases of a
#     50,000-file site with `devops deploy` (every file new, then 500 files changed);
#   - times and measures the peak RSS (/usr/bin/time -v) of: the two deploys (files hashed per
#     second), a redeploy with nothing changed (hashing only), `deployments list --limit 5`
#     (with the API calls it made, from GET /__admin/calls), `deployments validate`, `rollback
#     analyze`, and `backup create` of the live 50,000-file deploy, twice (the second must
#     write 0 new blobs).
# Prints one table; a row whose goal does not hold is marked ❌.
# Environment: DEPLOYS (default 10000), FILES (default 50000), DEVOPS (the devops command).
# Installs what it needs with apt-get: time (GNU), curl, python3.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
deploys=${DEPLOYS:-10000}
files=${FILES:-50000}

missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3-minimal)
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing ${missing[*]}..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
jar="$root/target/devops.jar"
[ -f "$jar" ] || (cd "$root" && mvn -q -B package -DskipTests)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
pick_devops deployments list --json
# Seeding 10,000 deploys and 50,000-file uploads is far past Netlify's limits: all three are lifted.
start_platform scale-bench --rate-limit off --deploy-rate-limit off --upload-concurrency off

project="$work/project"
mkdir -p "$project"
cd "$project"
$devops init --site scale-bench >/dev/null 2>&1

# measure NAME CMD...: runs CMD once under GNU time; records wall seconds and peak RSS (MiB).
declare -A wall rss
measure() {
  local name=$1
  shift
  /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/$name.out" 2>"$work/$name.err" \
    || { say "❌ $name failed: $(tail -n 3 "$work/$name.err")"; exit 1; }
  wall[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.3f", s}' "$work/time.txt")
  rss[$name]=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
  say "  $name: ${wall[$name]} s, peak RSS ${rss[$name]} MiB"
}
admin() { curl -sf -X "$1" -H "Authorization: Bearer $token" "$api/__admin/$2"; }

# 1. History: one small deploy by devops, then DEPLOYS digest-only deploys over the API.
mkdir -p "$work/small"
echo '<h1>seed</h1>' >"$work/small/index.html"
$devops deploy --dir "$work/small" --prod --version seed >/dev/null 2>&1
say "Seeding $deploys deploys through the API..."
start=$(date +%s.%N)
python3 - "$api" "$token" "$site_id" "$deploys" <<'PY'
import hashlib, http.client, json, sys, urllib.parse
api, token, site, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sha = hashlib.sha1(b"<h1>seed</h1>\n").hexdigest()
url = urllib.parse.urlparse(api)
conn = http.client.HTTPConnection(url.hostname, url.port)
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
for i in range(count):
    body = json.dumps({"files": {"/index.html": sha}, "title": f"seed {i}"})
    conn.request("POST", f"/api/v1/sites/{site}/deploys", body, headers)
    reply = conn.getresponse()
    data = reply.read()
    if reply.status != 200 or json.loads(data).get("required"):
        sys.exit(f"seed deploy {i}: HTTP {reply.status} {data[:200]!r}")
PY
seed_s=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
say "  seeded in $seed_s s"

# 2. Two releases of a FILES-file site: v1 (the rollback target) and v2 (live, 500 changed).
say "Writing two $files-file sites..."
python3 - "$work" "$files" <<'PY'
import os, sys
work, count = sys.argv[1], int(sys.argv[2])
for release in ("v1", "v2"):
    for i in range(count):
        d = os.path.join(work, release, f"d{i // 1000:03d}")
        os.makedirs(d, exist_ok=True)
        tag = release if release == "v2" and i % (count // 500) == 0 else "v1"
        with open(os.path.join(d, f"page-{i}.html"), "w") as f:
            f.write(f"<p>page {i} of release {tag}</p>\n" + "x" * (i % 700) + "\n")
PY
say "Deploying (every file new, then 500 changed, then nothing changed)..."
measure deploy_new $devops deploy --dir "$work/v1" --prod --version v1.0.0 --json
measure deploy_changed $devops deploy --dir "$work/v2" --prod --version v2.0.0 --json
measure deploy_same $devops deploy --dir "$work/v2" --prod --version v2.0.1 --json
uploaded() { grep -o '"uploaded_files" *: *[0-9]*' "$work/$1.out" | grep -o '[0-9]*$'; }
deploy_id() { grep -o '"deploy_id" *: *"[^"]*"' "$work/$1.out" | head -1 | cut -d'"' -f4; }
target=$(deploy_id deploy_new)
live=$(deploy_id deploy_same)

# 3. The commands of an incident against the long history.
say "Incident commands..."
admin DELETE calls
measure list $devops deployments list --limit 5 --json
list_calls=$(admin GET calls | python3 -c "import json, sys; c = json.load(sys.stdin); print(c.get('listSiteDeploys', 0))")
measure validate $devops deployments validate --id "$target" --json
measure analyze $devops rollback analyze --from "$live" --to "$target" --json
measure backup_1 $devops backup create --deployment "$live" --reason bench-1 --json
measure backup_2 $devops backup create --deployment "$live" --reason bench-2 --json
new_blobs() { grep -o '"new_blobs" *: *[0-9]*' "$work/$1.out" | head -1 | grep -o '[0-9]*$'; }

mark() { python3 -c "import sys; print('✅' if eval(sys.argv[1]) else '❌')" "$1"; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$1" "$2"; }
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
echo "# Scale: $deploys + 4 deploys on one site, releases of $files files ($machine; $devops_label)"
echo
echo "| command | wall | peak RSS | detail | goal |"
echo "|---|---:|---:|---|---|"
echo "| \`deploy\`, $files files, every file new | ${wall[deploy_new]} s | ${rss[deploy_new]} MiB | $(uploaded deploy_new) uploaded; $(rate "$files" "${wall[deploy_new]}") files/s end to end | |"
echo "| \`deploy\`, 500 files changed | ${wall[deploy_changed]} s | ${rss[deploy_changed]} MiB | $(uploaded deploy_changed) uploaded; $(rate "$files" "${wall[deploy_changed]}") files/s | |"
echo "| \`deploy\`, nothing changed (hashing) | ${wall[deploy_same]} s | ${rss[deploy_same]} MiB | $(uploaded deploy_same) uploaded; $(rate "$files" "${wall[deploy_same]}") files/s | |"
echo "| \`deployments list --limit 5\` | ${wall[list]} s | ${rss[list]} MiB | $list_calls listSiteDeploys call(s) | one page $(mark "$list_calls == 1") |"
va=$(python3 -c "import sys; print(f'{float(sys.argv[1]) + float(sys.argv[2]):.3f}')" "${wall[validate]}" "${wall[analyze]}")
echo "| \`deployments validate\` | ${wall[validate]} s | ${rss[validate]} MiB | | |"
echo "| \`rollback analyze\` | ${wall[analyze]} s | ${rss[analyze]} MiB | validate + analyze: $va s | ≤ 1 s $(mark "$va <= 1.0") |"
echo "| \`backup create\`, first | ${wall[backup_1]} s | ${rss[backup_1]} MiB | $(new_blobs backup_1) new blobs | RSS ≤ 256 MiB $(mark "${rss[backup_1]} <= 256") |"
echo "| \`backup create\`, again | ${wall[backup_2]} s | ${rss[backup_2]} MiB | $(new_blobs backup_2) new blobs | 0 new blobs $(mark "$(new_blobs backup_2) == 0") |"
echo
echo "Seeding $deploys deploys over the API took $seed_s s."
