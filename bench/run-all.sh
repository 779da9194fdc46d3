#!/usr/bin/env bash
# Runs every bench in turn on this machine and prints their tables as one report (markdown), with
# the machine, the JDKs and the load average at the start. Each bench installs its own tools.
# Usage: bench/run-all.sh [BENCH...]   (default: startup cli rollback recovery scale platform)
# Progress goes to stderr; the report to stdout (tee it into a file to keep it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(startup cli rollback recovery scale platform)

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
echo "# devops benchmarks, $(date -u +%Y-%m-%d)"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1); $("$java" -version 2>&1 | head -n 1); load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
failed=()
for bench in "${benches[@]}"; do
  printf 'Running bench/%s.sh...\n' "$bench" >&2
  echo
  echo "## bench/$bench.sh"
  echo
  start=$SECONDS
  if ! ./"$bench".sh; then
    failed+=("$bench")
    echo "(bench/$bench.sh failed; see its messages above on stderr)"
  fi
  printf 'bench/%s.sh took %d s\n' "$bench" $((SECONDS - start)) >&2
done
[ ${#failed[@]} -eq 0 ] || { printf '❌ failed: %s\n' "${failed[*]}" >&2; exit 1; }
