# Shared set-up for the bench scripts: tools, the devops command under test, and a local platform
# with one site. Source it from a bench script; it defines root, work, say and the functions below.

root=$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd -P)
work=$(mktemp -d "${TMPDIR:-/tmp}/devops-bench.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%s\n' "$*" >&2; }

# need_tools: hyperfine (apt), netlify-cli (npm, compat/), and target/devops.jar; sets java and jar.
need_tools() {
  if ! command -v hyperfine >/dev/null; then
    say "Installing hyperfine..."
    local sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq hyperfine >/dev/null
  fi
  netlify="$root/compat/node_modules/.bin/netlify"
  if [ ! -x "$netlify" ]; then
    say "Installing netlify-cli (npm ci in compat/)..."
    (cd "$root/compat" && npm ci --no-audit --no-fund --silent)
  fi
  jar="$root/target/devops.jar"
  if [ ! -f "$jar" ]; then
    say "Building target/devops.jar..."
    (cd "$root" && mvn -q -B package -DskipTests)
  fi
  java=${JAVA_HOME:+$JAVA_HOME/bin/}java
}

# The JVM flags bin/devops runs a short command with (its archive aside): every Java program a
# bench compares with devops runs with these too.
short_run_flags=(-XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr -XX:TieredStopAtLevel=1
  -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0)

# jackson_classpath: the project's own Jackson jars (core, databind, annotations), as Maven
# resolves them from the local repository, joined with ':'.
jackson_classpath() {
  (cd "$root" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt") >&2
  tr ':' '\n' <"$work/classpath.txt" | grep -E '/jackson-(core|databind|annotations)-[^/]*[.]jar$' \
    | paste -sd: -
}

# reference NAME CLASSPATH ARGS...: compiles bench/NAME.java (a single-file program) against
# CLASSPATH into a jar, and gives it a class-data archive of its own, made the way bin/devops
# makes one (the class list of one run with ARGS, then a static dump). Sets reference_cmd: the
# command that runs it with the launcher's flags and that archive.
reference() {
  local name=$1 cp=$2
  shift 2
  local dir="$work/ref/$name" jdk_bin=${JAVA_HOME:+$JAVA_HOME/bin/}
  mkdir -p "$dir/classes"
  "${jdk_bin}javac" -d "$dir/classes" ${cp:+-cp "$cp"} "$root/bench/$name.java"
  "${jdk_bin}jar" cf "$dir/$name.jar" -C "$dir/classes" .
  local path="$dir/$name.jar${cp:+:$cp}"
  "$java" "${short_run_flags[@]}" -XX:DumpLoadedClassList="$dir/classes.txt" -cp "$path" "$name" "$@" \
    >/dev/null
  "$java" -Xshare:dump -XX:SharedClassListFile="$dir/classes.txt" -XX:SharedArchiveFile="$dir/$name.jsa" \
    -cp "$path" -Xlog:disable >/dev/null 2>&1
  [ -s "$dir/$name.jsa" ] || { say "❌ no class-data archive for bench/$name.java"; exit 1; }
  reference_cmd="$java ${short_run_flags[*]} -Xshare:auto -XX:SharedArchiveFile=$dir/$name.jsa -cp $path $name"
}

# launcher_java: the java command bin/devops ends with (flags, archive, jar, main class), to time
# it without the launcher. Run bin/devops once before, so that the archive exists.
launcher_java() {
  local archive
  archive=$(ls "${jar%.jar}"-jdk*.jsa 2>/dev/null | head -n 1)
  [ -n "$archive" ] || { say "❌ bin/devops made no class-data archive next to $jar"; exit 1; }
  printf '%s' "$java ${short_run_flags[*]} -Xshare:auto -XX:SharedArchiveFile=$archive -cp $jar dev.devops.cli.Main"
}

# load: the load average now (1, 5 and 15 minutes).
load() { cut -d' ' -f1-3 /proc/loadavg; }

# pick_devops ARGS...: sets devops (the command timed) and devops_label. $DEVOPS wins, then
# bin/devops; otherwise java -jar with tuned flags and a class-data archive recorded from ARGS.
pick_devops() {
  if [ -n "${DEVOPS:-}" ]; then
    devops=$DEVOPS
    devops_label="\$DEVOPS ($DEVOPS)"
  elif [ -x "$root/bin/devops" ]; then
    devops="$root/bin/devops"
    devops_label="bin/devops"
  else
    local flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss1m"
    local cds="$work/devops.jsa"
    "$java" $flags -XX:ArchiveClassesAtExit="$cds" -jar "$jar" "$@" >/dev/null 2>&1 || true
    if [ -f "$cds" ]; then flags="$flags -XX:SharedArchiveFile=$cds"; fi
    devops="$java $flags -jar $jar"
    devops_label="java -jar target/devops.jar (tuned flags + class-data archive; no bin/devops here)"
  fi
}

# start_platform SITE_NAME [SERVE_FLAGS...]: starts `devops local serve` on a free port with one
# site, on Netlify's terms unless SERVE_FLAGS lift a limit (each caller says why); sets api, token
# and site_id, and gives both tools the same isolated environment (netlify-cli finds a
# local-platform site by its name, through listSites, so NETLIFY_SITE_ID holds the name).
start_platform() {
  token=bench-token-0123456789
  local name=$1
  shift
  "$java" -jar "$jar" local serve --port 0 --data-dir "$work/platform" --token "$token" --json "$@" \
    >"$work/serve.json" 2>"$work/serve.err" &
  server_pid=$!
  local _
  for _ in $(seq 1 100); do
    [ -s "$work/serve.json" ] && break
    sleep 0.1
  done
  api=$(sed -n 's/.*"api_url":"\([^"]*\)".*/\1/p' "$work/serve.json")
  [ -n "$api" ] || { say "❌ the local platform did not start: $(cat "$work/serve.err")"; exit 1; }
  say "Local platform at $api${*:+ ($*)}"
  site_id=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$name\"}" "$api/api/v1/sites" | grep -o '"id" *: *"[^"]*"' | head -1 | cut -d'"' -f4)
  [ -n "$site_id" ] || { say "❌ cannot create the bench site"; exit 1; }

  local home="$work/home"
  mkdir -p "$home/.config" "$home/.cache"
  export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache"
  export NETLIFY_API_URL="$api" NETLIFY_AUTH_TOKEN="$token" NETLIFY_SITE_ID="$name"
  export NETLIFY_TELEMETRY_DISABLED=1 CI=1 NO_COLOR=1
}

# alternate RUNS PREPARE NEW OLD: times two command lines alternately (new then old, then old then
# new, and so on), each run after PREPARE (a bash command line; empty for none), one pair first as
# a warm-up, then RUNS runs of each. Prints the two medians in seconds: "new old". hyperfine times
# every run of one command before the next command's, so a drift of the machine (or of the
# platform's JIT) lands on one side only; a comparison of two builds of devops must alternate.
alternate() {
  local runs=$1 prepare=$2 i side cmd t0 t1
  local -A line=([new]=$3 [old]=$4)
  : >"$work/alternate-new"
  : >"$work/alternate-old"
  for i in $(seq 0 "$runs"); do
    for side in $([ $((i % 2)) -eq 0 ] && echo new old || echo old new); do
      [ -z "$prepare" ] || bash -c "$prepare" >/dev/null 2>&1
      cmd=${line[$side]}
      t0=$(date +%s%N)
      # shellcheck disable=SC2086 # a command line, split into words as hyperfine -N does
      $cmd >/dev/null 2>&1 || { say "❌ failed: $cmd"; return 1; }
      t1=$(date +%s%N)
      [ "$i" -eq 0 ] || echo $(((t1 - t0) / 1000)) >>"$work/alternate-$side"
    done
  done
  local medians=()
  for side in new old; do
    medians+=("$(sort -n "$work/alternate-$side" | awk '{ v[NR] = $1 } END {
      printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1e6 }')")
  done
  echo "${medians[*]}"
}
