#!/usr/bin/env bash
# Start-up of the CLI, side by side in one run: plain `java -jar`, JVM flags tuned for short
# runs, a dynamic and the launcher's static class-data archive (AppCDS) with tuned flags, and
# bin/devops itself (the launcher users run). With JDK 25 present, also its AOT cache.
# Commands: --version, --help, and `deployments list --json` against a local platform.
# Usage: bench/startup.sh [RUNS]   (default 30 timed runs per variant, 5 warm-up runs)
# Installs hyperfine and curl with apt-get when missing. Prints one markdown table per command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
runs=${1:-30}

missing=()
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3-minimal)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}..." >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q >&2 && $sudo apt-get install -y -q "${missing[@]}" >&2
fi

bin/devops --version >/dev/null # builds the jar and its archive when needed
jar=$repo/target/devops.jar
work=$(mktemp -d)
server=""
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

tuned=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr)
java17=$(command -v java)
static_jsa=$(ls "$repo"/target/devops-jdk17*.jsa 2>/dev/null | head -n 1)
# For comparison: a dynamic archive from the same training run.
"$java17" "${tuned[@]}" -XX:ArchiveClassesAtExit="$work/dynamic.jsa" -cp "$jar" \
  dev.devops.cli.StartupTraining </dev/null >/dev/null 2>&1 || true

java25=""
for candidate in "${JAVA25_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
    java25=$candidate/bin/java
    JAVA_HOME=$candidate bin/devops --version >/dev/null # makes the launcher's AOT cache
    break
  fi
done
aot=$(ls "$repo"/target/devops-jdk25*.aot 2>/dev/null | head -n 1)

# A local platform with a site of three deploys, for `deployments list --json`.
project=$work/project
mkdir -p "$project"
token=bench-token
# --legacy-kind: TEMPORARY, no Netlify limits until the devops CLI follows Netlify's terms.
"$java17" -jar "$jar" local serve --port 0 --data-dir "$work/platform" --token "$token" --legacy-kind \
  >"$work/serve.log" 2>&1 &
server=$!
list_ready=false
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log")
  if [ -n "$port" ]; then
    list_ready=true
    break
  fi
  sleep 0.1
done
if $list_ready; then
  export NETLIFY_AUTH_TOKEN=$token NETLIFY_API_URL="http://127.0.0.1:$port"
  curl -fs -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"bench"}' "http://127.0.0.1:$port/api/v1/sites" || list_ready=false
  (cd "$project" && "$repo/bin/devops" init --site bench --api-url "http://127.0.0.1:$port" >/dev/null 2>&1) \
    || list_ready=false
  for v in 1 2 3; do
    mkdir -p "$work/site$v" && echo "<h1>v1.0.$v</h1>" >"$work/site$v/index.html"
    (cd "$project" && "$repo/bin/devops" deploy --dir "$work/site$v" --prod --version "v1.0.$v" >/dev/null 2>&1) \
      || list_ready=false
  done
fi

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
echo "# Start-up, median of $runs runs ($machine; load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "# JDK: $("$java17" -version 2>&1 | head -n 1)${java25:+; JDK 25: $("$java25" -version 2>&1 | head -n 1)}"

commands=("--version" "--help")
$list_ready && commands+=("deployments list --json") || echo "# (deployments list skipped: no local platform or no such command in this build)"

cd "$project"
for args in "${commands[@]}"; do
  names=() lines=()
  add() { names+=("$1"); lines+=("$2"); }
  add "java -jar (JDK 17)" "$java17 -jar $jar $args"
  add "tuned flags (JDK 17)" "$java17 -Xshare:auto ${tuned[*]} -jar $jar $args"
  add "dynamic AppCDS + tuned (JDK 17)" "$java17 -Xshare:auto -XX:SharedArchiveFile=$work/dynamic.jsa ${tuned[*]} -jar $jar $args"
  add "static AppCDS + tuned (JDK 17)" "$java17 -Xshare:auto -XX:SharedArchiveFile=$static_jsa ${tuned[*]} -jar $jar $args"
  if [ -n "$java25" ]; then
    add "java -jar (JDK 25)" "$java25 -jar $jar $args"
    add "AOT cache + tuned (JDK 25)" "$java25 -XX:AOTCache=$aot ${tuned[*]} -jar $jar $args"
  fi
  add "bin/devops (launcher, JDK 17)" "$repo/bin/devops $args"

  cli=()
  for i in "${!names[@]}"; do cli+=(-n "${names[$i]}" "${lines[$i]}"); done
  hyperfine -N --warmup 5 --runs "$runs" --style none --export-json "$work/result.json" \
    "${cli[@]}" >/dev/null 2>&1
  echo
  echo "## devops $args"
  echo
  echo "| variant | median | mean ± σ | user CPU |"
  echo "|---|---:|---:|---:|"
  python3 - "$work/result.json" "$args" <<'PY'
import json, sys
goals = {"--version": 150, "deployments list --json": 250}
launcher = None
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"| {r['command']} | {r['median']*1000:.0f} ms | {r['mean']*1000:.0f} ± {r['stddev']*1000:.0f} ms | {r['user']*1000:.0f} ms |")
    if r["command"].startswith("bin/devops"):
        launcher = r["median"] * 1000
goal = goals.get(sys.argv[2])
if goal and launcher is not None:
    mark = "✅ met" if launcher <= goal else "❌ not met"
    print(f"\ngoal: bin/devops {sys.argv[2]} in at most {goal} ms (median): {launcher:.0f} ms, {mark}")
PY
done
