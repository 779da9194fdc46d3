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
# OLD_JAR: another build of devops (an earlier commit's target/devops.jar) to time against this
# one, through bin/devops with DEVOPS_JAR, from its own project folder (its own backups): the two
# jars alternate run by run (alternate in lib.sh), after the hyperfine runs.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${RUNS:-7}
need_tools
pick_devops rollback --help
# The runs here follow each other at once (their seeding uploads 2,000 files): the request and
# deploy limits are lifted, so the table times the tools, not Netlify's windows. bench/recovery.sh
# times the rollback on Netlify's terms, with latency.
start_platform rollback-bench --rate-limit off --deploy-rate-limit off

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
old=""
if [ -n "${OLD_JAR:-}" ]; then
  [ -f "$OLD_JAR" ] || { say "❌ OLD_JAR=$OLD_JAR: no such jar"; exit 1; }
  mkdir -p "$work/project-old"
  old="env -C $work/project-old DEVOPS_JAR=$OLD_JAR $root/bin/devops"
  $old init --site rollback-bench >/dev/null 2>&1
  devops="env DEVOPS_JAR=$jar $root/bin/devops" # the same launcher for both jars
  devops_label="bin/devops with DEVOPS_JAR=target/devops.jar; old = the same with DEVOPS_JAR=$OLD_JAR"
fi
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
printf '#!/usr/bin/env bash\n%q\nrm -rf %q %q\n' "$work/reset.sh" "$project/.devops/backups" "$work/project-old/.devops/backups" >"$work/reset-cold.sh"
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

if [ -n "$old" ]; then
  say "Old jar against new, alternately, cold and warm ($runs runs each)..."
  alternate "$runs" "$work/reset-cold.sh" "$devops rollback --yes --reason bench" \
    "$old rollback --yes --reason bench" >"$work/cold.alt"
  alternate "$runs" "$work/reset.sh" "$devops rollback --yes --reason bench" \
    "$old rollback --yes --reason bench" >"$work/warm.alt"
fi

# The last devops run must have verified the rollback: check the history says so.
grep -q '"outcome" : "verified"' "$project/.devops/rollback-history.json" \
  || { say "❌ the devops rollbacks did not verify"; exit 1; }

median() { awk -F, -v name="${2:-}" 'NR > 1 && (name == "" || $1 == name) { print $4; exit }' "$1"; }
cold=$(median "$work/cold.csv" devops); warm=$(median "$work/warm.csv" devops); bare=$(median "$work/netlify.csv")

printf '\nMachine: %s, %s cores; %s; node %s; %s runs each\n' "$(uname -m)" "$(nproc)" \
  "$("$java" -version 2>&1 | head -1)" "$(node --version)" "$runs"
printf 'devops = %s\n\n' "$devops_label"
printf '| %-72s | %12s |\n' "rollback of a 1,000-file site (median wall time)" "time"
printf '|%s|%s|\n' "$(printf -- '-%.0s' {1..74})" "$(printf -- '-%.0s' {1..14})"
printf '| %-72s | %10.3f s |\n' "devops rollback --yes (backup downloads 1,000 files; verify; lock)" "$cold"
printf '| %-72s | %10.3f s |\n' "devops rollback --yes (blob store warm: 0 new blobs; verify; lock)" "$warm"
printf '| %-72s | %10.3f s |\n' "netlify api restoreSiteDeploy (publish only: no checks, no backup)" "$bare"
if [ -n "$old" ]; then
  read -r new_cold old_cold <"$work/cold.alt"
  read -r new_warm old_warm <"$work/warm.alt"
  printf '| %-72s | %10.3f s |\n' "new jar, timed alternately with the old, backup downloads 1,000 files" "$new_cold"
  printf '| %-72s | %10.3f s |\n' "OLD_JAR, the same" "$old_cold"
  printf '| %-72s | %10.3f s |\n' "new jar, timed alternately with the old, blob store warm" "$new_warm"
  printf '| %-72s | %10.3f s |\n' "OLD_JAR, the same" "$old_warm"
  awk -v a="$new_cold" -v b="$new_warm" -v c="$old_cold" -v d="$old_warm" \
    'BEGIN { printf "\nnew ÷ old (alternating runs): cold %.2f, warm %.2f\n", a / c, b / d }'
fi
awk -v a="$cold" -v b="$warm" -v c="$bare" 'BEGIN { printf "\nratios: cold/restore %.2f, warm/restore %.2f\n", a / c, b / c }'
awk -v a="$cold" 'BEGIN { printf "goal: a full rollback with backup and verification in at most 1.5 s: %s\n", (a <= 1.5 ? "✅ met" : "❌ not met") }'
