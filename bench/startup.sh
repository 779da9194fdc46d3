#!/usr/bin/env bash
# Start-up of the CLI, side by side in one run: plain `java -jar`, JVM flags tuned for short
# runs, the class-data archive (AppCDS) plus tuned flags, and bin/devops itself (the launcher
# users run, which adds the archive check). With JDK 25 present, also its AOT cache.
# Usage: bench/startup.sh [RUNS]   (default 30 timed runs per variant, 5 warm-up runs)
# Needs hyperfine (installed with apt-get when missing). Prints one markdown table per command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-30}

if ! command -v hyperfine >/dev/null 2>&1; then
  echo "installing hyperfine..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -q >&2 && apt-get install -y -q hyperfine >&2; else
    sudo apt-get update -q >&2 && sudo apt-get install -y -q hyperfine >&2
  fi
fi

bin/devops --version >/dev/null # builds the jar and its archive when needed
jar=$PWD/target/devops.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

java17=$(command -v java)
tuned=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr)
"$java17" "${tuned[@]}" -XX:ArchiveClassesAtExit="$work/app.jsa" -jar "$jar" --help >/dev/null 2>&1 || true

java25=""
for candidate in "${JAVA25_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
    java25=$candidate/bin/java
    break
  fi
done
if [ -n "$java25" ]; then
  "$java25" "${tuned[@]}" -XX:AOTCacheOutput="$work/app.aot" -jar "$jar" --help >/dev/null 2>&1 || true
fi

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
echo "# Start-up, median of $runs runs ($machine)"
echo "# JDK: $("$java17" -version 2>&1 | head -n 1)${java25:+; JDK 25: $("$java25" -version 2>&1 | head -n 1)}"

for args in "--version" "--help"; do
  names=() commands=()
  add() { names+=("$1"); commands+=("$2"); }
  add "java -jar (JDK 17)" "$java17 -jar $jar $args"
  add "tuned flags (JDK 17)" "$java17 -Xshare:auto ${tuned[*]} -jar $jar $args"
  add "AppCDS + tuned (JDK 17)" "$java17 -Xshare:auto -XX:SharedArchiveFile=$work/app.jsa ${tuned[*]} -jar $jar $args"
  if [ -n "$java25" ]; then
    add "java -jar (JDK 25)" "$java25 -jar $jar $args"
    add "AOT cache + tuned (JDK 25)" "$java25 -XX:AOTCache=$work/app.aot ${tuned[*]} -jar $jar $args"
  fi
  add "bin/devops (launcher)" "bin/devops $args"

  cli=()
  for i in "${!names[@]}"; do cli+=(-n "${names[$i]}" "${commands[$i]}"); done
  hyperfine -N --warmup 5 --runs "$runs" --style none --export-json "$work/result.json" \
    "${cli[@]}" >/dev/null 2>&1
  echo
  echo "## devops $args"
  echo
  echo "| variant | median | mean ± σ | min |"
  echo "|---|---:|---:|---:|"
  python3 - "$work/result.json" <<'PY' 2>/dev/null || jq -r '.results[] | "| \(.command) | \(.median*1000|floor) ms | \(.mean*1000|floor) ± \(.stddev*1000|floor) ms | \(.min*1000|floor) ms |"' "$work/result.json"
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"| {r['command']} | {r['median']*1000:.0f} ms | {r['mean']*1000:.0f} ± {r['stddev']*1000:.0f} ms | {r['min']*1000:.0f} ms |")
PY
done
