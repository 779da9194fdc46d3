#!/usr/bin/env bash
# Start-up of the CLI against its floors and netlify-cli, side by side in one hyperfine run on
# one machine, against the same local platform:
#   - bare JVM: bench/Hello.java, which prints one line;
#   - bare GET: bench/BareGet.java, one GET of a listSiteDeploys page with HttpURLConnection,
#     read and printed with Jackson (the project's own Jackson jars);
#   - devops --version, through bin/devops and as the java command bin/devops ends with (the
#     difference is the launcher's own cost);
#   - devops deployments list --json, through bin/devops (the same listSiteDeploys page, plus the
#     site);
#   - netlify api listSiteDeploys (netlify-cli from compat/), the same page.
# Every Java program runs with the launcher's flags (-XX:+UseSerialGC -XX:TieredStopAtLevel=1;
# bin/devops adds -XX:CompileThresholdScaling=10 for deployments, status and dry runs, which
# makes the single-threaded bare GET slower, so it runs without) and a class-data archive of its
# own, made the same way. With JDK 25 installed, bin/devops also
# runs on it (its AOT cache). Prints the medians, then the ratios against their goals.
# Usage: RUNS=30 bench/startup.sh   (default 30 timed runs per command, 3 warm-up runs)
# Installs what it needs: hyperfine and python3 (apt), netlify-cli (npm ci in compat/).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${RUNS:-30}
need_tools
if ! command -v python3 >/dev/null; then
  say "Installing python3..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq python3-minimal >/dev/null
fi
devops="$root/bin/devops"
"$devops" --version >/dev/null # builds the jar and its archive when needed
# Five seeding deploys in a row pass Netlify's 3 a minute: that limit alone is lifted.
start_platform startup-bench --deploy-rate-limit off

project="$work/project"
mkdir -p "$project"
cd "$project"
"$devops" init --site startup-bench >/dev/null 2>&1
for v in 1 2 3 4 5; do
  mkdir -p "$work/site$v"
  printf '<h1>v1.0.%s</h1>\n' "$v" >"$work/site$v/index.html"
  "$devops" deploy --dir "$work/site$v" --prod --version "v1.0.$v" >/dev/null 2>&1
done

# The page `deployments list` reads: its default 5 targets and the live deploy.
page_url="$api/api/v1/sites/$site_id/deploys?production=true&page=1&per_page=6"
list_data="{\"site_id\":\"$site_id\",\"page\":1,\"per_page\":6,\"production\":true}"
say "Compiling bench/Hello.java and bench/BareGet.java, with class-data archives..."
reference Hello ""
hello=$reference_cmd
reference BareGet "$(jackson_classpath)" "$page_url"
bare_get="$reference_cmd $page_url"
direct=$(launcher_java)

names=() commands=()
add() { names+=("$1"); commands+=("$2"); }
add "bare JVM (bench/Hello.java)" "$hello"
add "bare GET (bench/BareGet.java)" "$bare_get"
add "devops --version" "$devops --version"
add "devops --version, the launcher's java command" "$direct --version"
add "devops deployments list --json" "$devops deployments list --json"
add "netlify api listSiteDeploys" "$netlify api listSiteDeploys --data '$list_data'"
jdk25=""
for candidate in "${JAVA25_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
    jdk25=$candidate
    JAVA_HOME=$jdk25 "$devops" --version >/dev/null 2>&1 # makes the launcher's AOT cache
    add "devops --version (JDK 25, AOT cache)" "env JAVA_HOME=$jdk25 $devops --version"
    add "devops deployments list --json (JDK 25, AOT cache)" "env JAVA_HOME=$jdk25 $devops deployments list --json"
    break
  fi
done

cli=()
for i in "${!names[@]}"; do cli+=(-n "${names[$i]}" "${commands[$i]}"); done
load_before=$(load)
say "Timing ${#names[@]} commands, $runs runs each (load average $load_before)..."
hyperfine -N --warmup 3 --runs "$runs" --style basic --export-json "$work/startup.json" "${cli[@]}" >&2
load_after=$(load)

echo "Start-up, median of $runs runs, bench/startup.sh; $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $("$java" -version 2>&1 | head -n 1)${jdk25:+; JDK 25: $("$jdk25/bin/java" -version 2>&1 | head -n 1)}; node $(node --version), $("$netlify" --version 2>/dev/null | head -n 1 | cut -d' ' -f1); load average $load_before before, $load_after after."
echo
python3 - "$work/startup.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
print("| command | median | mean ± σ | user CPU |")
print("|---|---:|---:|---:|")
for name, r in results.items():
    print(f"| {name} | {r['median']*1000:.0f} ms | {r['mean']*1000:.0f} ± {r['stddev']*1000:.0f} ms | {r['user']*1000:.0f} ms |")
m = {name: r["median"] for name, r in results.items()}
print()
print("| ratio of medians | value | goal |")
print("|---|---:|---|")
def ratio(label, a, b, goal):
    value = m[a] / m[b]
    print(f"| {label} | {value:.2f} | ≤ {goal} {'✅' if value <= goal else '❌'} |")
ratio("`deployments list --json` ÷ `netlify api listSiteDeploys`", "devops deployments list --json", "netlify api listSiteDeploys", 0.2)
ratio("`deployments list --json` ÷ bare GET", "devops deployments list --json", "bare GET (bench/BareGet.java)", 1.3)
ratio("`--version` ÷ bare JVM", "devops --version", "bare JVM (bench/Hello.java)", 1.5)
overhead = (m["devops --version"] - m["devops --version, the launcher's java command"]) * 1000
print(f"\nbin/devops's own cost: {overhead:.1f} ms (median of `devops --version` minus that of the java command it runs).")
PY
