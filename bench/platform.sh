#!/usr/bin/env bash
# Local platform vs nginx, same files, same machine, same run.
#
# Prints requests per second of each (wrk, keep-alive, a mix of small and medium static files),
# their ratio, and the latency of restoreSiteDeploy (the rollback switch) while the platform
# serves that load. Installs nginx and wrk with apt if they are missing.
#
# Usage: bench/platform.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-64}"
THREADS=2
RESTORES=200
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
TOKEN="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

need() {
  command -v "$1" >/dev/null 2>&1 && return
  echo "installing $2 ..." >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}
need nginx nginx
need wrk wrk
need curl curl
need python3 python3

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

JAR="$ROOT/target/devops.jar"
if [ ! -f "$JAR" ]; then
  echo "building $JAR ..." >&2
  (cd "$ROOT" && mvn -q -B package -DskipTests)
fi

# ---- the files: a small site, two versions (A is benchmarked, B is the restore target) ----
make_site() { # dir marker
  local dir="$1" marker="$2"
  mkdir -p "$dir/css" "$dir/js" "$dir/img" "$dir/docs"
  python3 - "$dir" "$marker" <<'PY'
import os, sys, random
d, m = sys.argv[1], sys.argv[2]
r = random.Random(m)
def text(n): return "".join(r.choice("abcdefghij <>/\n") for _ in range(n))
open(f"{d}/index.html", "w").write(f"<!doctype html><title>{m}</title>" + text(6000))
open(f"{d}/docs/index.html", "w").write(f"<h1>{m} docs</h1>" + text(3000))
open(f"{d}/css/site.css", "w").write(f"/*{m}*/" + text(2000))
open(f"{d}/js/app.js", "w").write(f"//{m}\n" + text(30000))
open(f"{d}/img/logo.png", "wb").write(bytes(r.getrandbits(8) for _ in range(15000)))
open(f"{d}/404.html", "w").write(f"{m} not found")
PY
}
make_site "$WORK/www-a" A
make_site "$WORK/www-b" B
PATHS=(/index.html /docs/index.html /css/site.css /js/app.js /img/logo.png)

# ---- the local platform ----
PORT="$(free_port)"
# The API limits are lifted: the bench restores far more than 500 times a minute, on purpose.
java -jar "$JAR" local serve --port "$PORT" --data-dir "$WORK/data" --token "$TOKEN" \
  --rate-limit off --deploy-rate-limit off --upload-concurrency off \
  >"$WORK/platform.out" 2>"$WORK/platform.err" &
PIDS+=($!)
API="http://127.0.0.1:$PORT/api/v1"
for _ in $(seq 100); do curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$API/user" && break; sleep 0.1; done

api() { curl -fsS -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" "$@"; }
SITE_ID="$(api -X POST -d '{"name":"bench"}' "$API/sites" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"

deploy_dir() { # dir -> deploy id (digest deploy, uploads, waits until ready)
  local dir="$1" digest id
  digest="$(cd "$dir" && find . -type f | sed 's|^\./||' | sort | while read -r f; do
    printf '"%s":"%s",' "$f" "$(sha1sum "$f" | cut -d' ' -f1)"; done)"
  id="$(api -X POST -d "{\"files\":{${digest%,}}}" "$API/sites/$SITE_ID/deploys" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  (cd "$dir" && find . -type f | sed 's|^\./||' | while read -r f; do
    curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $TOKEN" \
      -H "Content-Type: application/octet-stream" --data-binary "@$f" "$API/deploys/$id/files/$f"; done)
  for _ in $(seq 200); do
    api "$API/deploys/$id" | grep -q '"state":"ready"' && break; sleep 0.05
  done
  echo "$id"
}
DEPLOY_B="$(deploy_dir "$WORK/www-b")"
DEPLOY_A="$(deploy_dir "$WORK/www-a")"

# ---- nginx serving the same files ----
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
# nginx workers drop to "nobody" when started as root: let them read the files.
NGINX_USER=""
[ "$(id -u)" -eq 0 ] && NGINX_USER="user root;"
chmod 755 "$WORK"
cat >"$WORK/nginx/nginx.conf" <<CONF
$NGINX_USER
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  etag on;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp;
  scgi_temp_path $WORK/nginx/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www-a;
    error_page 404 /404.html;
  }
}
CONF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/index.html" && break; sleep 0.1; done

# Same bytes from both, or the comparison means nothing.
for p in "${PATHS[@]}"; do
  cmp -s <(curl -fs "http://127.0.0.1:$NGINX_PORT$p") <(curl -fs -H "Host: bench.localhost" "http://127.0.0.1:$PORT$p") \
    || { echo "platform and nginx serve different bytes for $p" >&2; exit 1; }
done

cat >"$WORK/paths.lua" <<LUA
local paths = { $(printf '"%s",' "${PATHS[@]}") }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Host"] = wrk.host_header })
end
LUA

run_wrk() { # url host -> rps
  local url="$1" host="$2"
  sed "s|wrk.host_header|\"$host\"|" "$WORK/paths.lua" >"$WORK/run.lua"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/run.lua" "$url" >"$WORK/wrk.out" 2>&1
  if grep -q "Non-2xx" "$WORK/wrk.out"; then echo "non-2xx responses:" >&2; cat "$WORK/wrk.out" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out"
}

echo "warming up (JIT) ..." >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$WORK/paths.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1 || true
sed "s|wrk.host_header|\"bench.localhost\"|" "$WORK/paths.lua" >"$WORK/warm.lua"
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$WORK/warm.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$WORK/paths.lua" "http://127.0.0.1:$NGINX_PORT" >/dev/null 2>&1 || true

# Alternate the two servers and keep each one's best round, so that a burst of other load on
# the machine does not decide the comparison.
NGINX_RPS=0
PLATFORM_RPS=0
best() { python3 -c "print(max(float('$1'), float('$2')))"; }
for round in 1 2; do
  echo "round $round: nginx ..." >&2
  NGINX_RPS="$(best "$NGINX_RPS" "$(run_wrk "http://127.0.0.1:$NGINX_PORT" "127.0.0.1:$NGINX_PORT")")"
  echo "round $round: local platform ..." >&2
  PLATFORM_RPS="$(best "$PLATFORM_RPS" "$(run_wrk "http://127.0.0.1:$PORT" "bench.localhost")")"
done

# ---- restore latency while the platform serves the same load ----
echo "measuring restore latency under load ($RESTORES restores) ..." >&2
sed "s|wrk.host_header|\"bench.localhost\"|" "$WORK/paths.lua" >"$WORK/load.lua"
wrk -t"$THREADS" -c"$CONNECTIONS" -d600s -s "$WORK/load.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1 &
LOAD_PID=$!
PIDS+=($LOAD_PID)
sleep 1
: >"$WORK/restore.ms"
for i in $(seq "$RESTORES"); do
  target="$DEPLOY_B"; [ $((i % 2)) -eq 0 ] && target="$DEPLOY_A"
  curl -fsS -o /dev/null -w '%{time_total}\n' -X POST -H "Authorization: Bearer $TOKEN" \
    "$API/sites/$SITE_ID/deploys/$target/restore" >>"$WORK/restore.ms"
done
kill "$LOAD_PID" 2>/dev/null || true

read -r P50 P99 <<<"$(python3 - "$WORK/restore.ms" <<'PY'
import sys
v = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
q = lambda p: v[min(len(v) - 1, int(round(p * (len(v) - 1))))]
print(f"{q(0.50):.1f} {q(0.99):.1f}")
PY
)"
RATIO="$(python3 -c "print(f'{$PLATFORM_RPS / $NGINX_RPS:.2f}')")"

printf '\n%s\n' "Static serving, best of 2 alternating rounds of $DURATION s, $CONNECTIONS connections, $THREADS wrk threads, ${#PATHS[@]} files ($(nproc) CPUs, $(java -version 2>&1 | head -1))"
printf '%-34s %14s\n' "server" "requests/s"
printf '%-34s %14.0f\n' "nginx $(nginx -v 2>&1 | sed 's|.*/||')" "$NGINX_RPS"
printf '%-34s %14.0f\n' "devops local serve" "$PLATFORM_RPS"
printf '%-34s %14s   (goal >= 0.50)\n' "ratio platform / nginx" "$RATIO"
printf '\n%-34s %14s\n' "restoreSiteDeploy under load" "ms"
printf '%-34s %14s\n' "p50" "$P50"
printf '%-34s %14s\n' "p99" "$P99"
