#!/usr/bin/env bash
# Side by side, in one run, against the same local platform:
#   1. `devops deployments list --json`  vs  `netlify api listSiteDeploys` (one page, production)
#      and bench/BareGet.java (the same page with HttpURLConnection and Jackson, nothing else)
#   2. `devops deploy`  vs  `netlify deploy --no-build`, for a 1,000-file site: every file new,
#      then one file changed.
# Prints a table of medians and ratios (devops / netlify-cli). Installs what it needs: hyperfine
# (apt), netlify-cli (npm ci in compat/), the jar (mvn package).
#
# Environment: RUNS (default 15), DEPLOY_RUNS (default 5), DEVOPS (the devops command to time;
# default bin/devops when present, else java -jar target/devops.jar with flags tuned for short
# runs and a class-data archive made on the first run). OLD_JAR: another build of devops (an
# earlier commit's target/devops.jar) to time against this one, through bin/devops with
# DEVOPS_JAR (it gets its own class-data archive), from its own project folder: the two jars
# alternate run by run (alternate in lib.sh), after the hyperfine runs.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${RUNS:-15}
deploy_runs=${DEPLOY_RUNS:-5}
need_tools
plain="$java -jar $jar" # for setting up the bench only
# Both tools are timed on their own work: the deploys here run back to back (Netlify would hold the
# 4th of a minute, and 1,000 uploads pass its 500 requests a minute), so those two limits are
# lifted; uploads in flight stay at Netlify's 5. bench/recovery.sh times deploys on Netlify's terms.
start_platform bench --rate-limit off --deploy-rate-limit off

project="$work/project"
mkdir -p "$project"
cd "$project"
$plain init --site bench >/dev/null 2>&1

# History: ten small production deploys.
for i in $(seq 1 10); do
  mkdir -p "$work/history/$i"
  printf '<h1>release %s</h1>\n' "$i" >"$work/history/$i/index.html"
  $plain deploy --dir "$work/history/$i" --prod --version "v1.0.$i" >/dev/null 2>&1
done

pick_devops deployments list --json
old=""
if [ -n "${OLD_JAR:-}" ]; then
  [ -f "$OLD_JAR" ] || { say "❌ OLD_JAR=$OLD_JAR: no such jar"; exit 1; }
  mkdir -p "$work/project-old"
  old="env -C $work/project-old DEVOPS_JAR=$OLD_JAR $root/bin/devops"
  $old init --site bench >/dev/null 2>&1
  devops="env DEVOPS_JAR=$jar $root/bin/devops" # the same launcher for both jars
  devops_label="bin/devops with DEVOPS_JAR=target/devops.jar; old = the same with DEVOPS_JAR=$OLD_JAR"
fi

# A 1,000-file site; `--prepare` rewrites it with fresh content (every file new) or changes one.
site="$work/site"
make_site() { # $1 = salt
  local i
  for i in $(seq 0 999); do
    mkdir -p "$site/p$((i / 100))"
    printf '<p>page %s %s</p>\n' "$i" "$1" >"$site/p$((i / 100))/page-$i.html"
  done
}
make_site initial
printf 'make_site() { for i in $(seq 0 999); do mkdir -p %q/p$((i / 100)); printf "<p>page %%s %%s</p>\\n" "$i" "$1" >%q/p$((i / 100))/page-$i.html; done; }\n' "$site" "$site" >"$work/make_site.sh"
all_new="bash -c 'source $work/make_site.sh; make_site \$RANDOM\$RANDOM\$RANDOM'"
one_changed="bash -c 'echo \$RANDOM\$RANDOM >$site/p4/page-420.html'"

per_page=6
list_data="{\"site_id\":\"$site_id\",\"page\":1,\"per_page\":$per_page,\"production\":true}"

reference BareGet "$(jackson_classpath)" "$api/api/v1/sites/$site_id/deploys?production=true&page=1&per_page=$per_page"
bare_get="$reference_cmd $api/api/v1/sites/$site_id/deploys?production=true&page=1&per_page=$per_page"

say "1/3 deployments list ($runs runs each)..."
hyperfine -N --style basic --warmup 2 --runs "$runs" --export-csv "$work/list.csv" \
  -n devops "$devops deployments list --json" \
  -n bare-get "$bare_get" \
  -n netlify-cli "$netlify api listSiteDeploys --data '$list_data'" >&2

say "2/3 deploy of 1,000 files, every file new ($deploy_runs runs each)..."
hyperfine --style basic --warmup 1 --runs "$deploy_runs" --export-csv "$work/deploy-new.csv" \
  --prepare "$all_new" \
  -n devops "$devops deploy --dir $site --prod --json" \
  -n netlify-cli "$netlify deploy --no-build --dir $site --prod --json" >&2

say "3/3 deploy of 1,000 files, one file changed ($deploy_runs runs each)..."
hyperfine --style basic --warmup 1 --runs "$deploy_runs" --export-csv "$work/deploy-one.csv" \
  --prepare "$one_changed" \
  -n devops "$devops deploy --dir $site --prod --json" \
  -n netlify-cli "$netlify deploy --no-build --dir $site --prod --json" >&2

# The old jar against the new, timed alternately (see alternate in lib.sh): one "new old" line
# of medians per row.
if [ -n "$old" ]; then
  say "Old jar against new, alternately: list ($runs runs each), deploys ($deploy_runs each)..."
  alternate "$runs" "" "$devops deployments list --json" "$old deployments list --json" >"$work/list.alt"
  alternate "$deploy_runs" "$all_new" "$devops deploy --dir $site --prod --json" \
    "$old deploy --dir $site --prod --json" >"$work/deploy-new.alt"
  alternate "$deploy_runs" "$one_changed" "$devops deploy --dir $site --prod --json" \
    "$old deploy --dir $site --prod --json" >"$work/deploy-one.alt"
fi

median() { # $1 = csv, $2 = command name -> median seconds
  awk -F, -v name="$2" 'NR > 1 && $1 == name { print $4 }' "$1"
}

printf '\nMachine: %s, %s cores; %s; node %s; load average %s at the end\n' "$(uname -m)" "$(nproc)" "$("$java" -version 2>&1 | head -1)" "$(node --version)" "$(load)"
printf 'devops = %s\n\n' "$devops_label"
if [ -n "$old" ]; then
  printf 'new and old: the two jars timed alternately, apart from the devops and netlify-cli runs\n\n'
  printf '| %-46s | %12s | %15s | %7s | %12s | %12s | %9s |\n' "benchmark (median wall time)" "devops" "netlify-cli" "ratio" "new" "old" "new ÷ old"
  printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..48})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..17})" "$(printf -- '-%.0s' {1..9})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..11})"
else
  printf '| %-46s | %12s | %15s | %7s |\n' "benchmark (median wall time)" "devops" "netlify-cli" "ratio"
  printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..48})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..17})" "$(printf -- '-%.0s' {1..9})"
fi
for row in "list.csv|deployments list --json vs api listSiteDeploys" \
  "deploy-new.csv|deploy, 1,000 files, all new" \
  "deploy-one.csv|deploy, 1,000 files, one changed"; do
  csv="$work/${row%%|*}"
  ours=$(median "$csv" devops)
  theirs=$(median "$csv" netlify-cli)
  if [ -n "$old" ]; then
    read -r new_alt old_alt <"${csv%.csv}.alt"
    awk -v label="${row#*|}" -v a="$ours" -v b="$theirs" -v n="$new_alt" -v o="$old_alt" \
      'BEGIN { printf "| %-46s | %10.3f s | %13.3f s | %7.2f | %10.3f s | %10.3f s | %9.2f |\n", label, a, b, a / b, n, o, n / o }'
  else
    awk -v label="${row#*|}" -v a="$ours" -v b="$theirs" \
      'BEGIN { printf "| %-46s | %10.3f s | %13.3f s | %7.2f |\n", label, a, b, a / b }'
  fi
done
list=$(median "$work/list.csv" devops)
awk -v a="$list" -v n="$(median "$work/list.csv" netlify-cli)" -v g="$(median "$work/list.csv" bare-get)" 'BEGIN {
  printf "\ngoals: deployments list --json at most 0.2 of netlify api listSiteDeploys: %.2f %s; at most 1.3 of bench/BareGet.java (%.3f s): %.2f %s\n",
    a / n, (a / n <= 0.2 ? "✅" : "❌"), g, a / g, (a / g <= 1.3 ? "✅" : "❌") }'
