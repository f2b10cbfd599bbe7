#!/usr/bin/env bash
# Runs wrk against the release server's Xtream Codes API with the ten iptv-org playlists
# imported (2,607 channels), side by side with nginx serving the same bytes as static files
# (Debian nginx, a temporary config on loopback, stopped by PID; `gzip_static` of the same .gz
# bytes for the gzip rows), and prints both and the ratio (switchyard / nginx):
#   get_live_streams (the whole catalogue, ~730 KB), plain and gzip;
#   authentication only (player_api.php without action, ~440 B);
#   get.php?type=m3u_plus (~480 KB), plain and gzip.
#   bench/wrk_xtream.sh [SECONDS] [CONNECTIONS]
# SWITCHYARD_BIN=path runs that binary instead of building the release preset's (e.g. an older
# build, for a before/after comparison in one sitting).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
scripts/setup
bin=${SWITCHYARD_BIN:-}
if [[ -z $bin ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target switchyard >/dev/null
  bin=build/release/switchyard
fi
work=$(mktemp -d)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
source "$(dirname "$0")/nginx_peer.sh"
port=$(free_port)
"$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
nginx_pid=
cleanup() {
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  kill "$server" 2>/dev/null
  wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
"$bin" import m3u ../shared/data/iptv/m3u/*.m3u --server "$base" --data-dir "$work/data" --category-from country >/dev/null
key=$(head -1 "$work/data/admin.key")
line=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"username":"bench1","max_connections":1000}' "$base/v1/iptv/lines")
pass=$(sed -E 's/.*"password":"([^"]+)".*/\1/' <<<"$line")
after=$(sed -E 's/.*"position":"([^"]+)".*/\1/' <<<"$line")
until curl -sf -H "Authorization: Bearer $key" "$base/v1/iptv/lines/1?after=$after" >/dev/null; do sleep 1; done
creds="username=bench1&password=$pass"
live_url="$base/player_api.php?$creds&action=get_live_streams"
auth_url="$base/player_api.php?$creds"
m3u_url="$base/get.php?$creds&type=m3u_plus&output=ts"

# The same bytes as files, for nginx. The .gz files are the server's own gzip answers; a server
# that answers plain to `Accept-Encoding: gzip` gets them from gzip(1) instead.
www="$work/www"
mkdir -p "$www"
fetch_gzip() {  # url file.gz plain-file
  local headers
  headers=$(curl -sf -H 'Accept-Encoding: gzip' -D - -o "$2" "$1" | tr -d '\r')
  if ! grep -qi '^content-encoding: *gzip' <<<"$headers"; then
    gzip -n -c "$3" >"$2"
    echo "note: $1 answered plain to Accept-Encoding: gzip; nginx's .gz made by gzip(1)" >&2
  fi
  cmp -s <(gunzip -c "$2") "$3" || { echo "the gzip answer of $1 is not the plain one" >&2; exit 1; }
}
curl -sf "$live_url" -o "$www/get_live_streams.json"
fetch_gzip "$live_url" "$www/get_live_streams.json.gz" "$www/get_live_streams.json"
curl -sf "$auth_url" -o "$www/auth.json"
curl -sf "$m3u_url" -o "$www/playlist.m3u"
fetch_gzip "$m3u_url" "$www/playlist.m3u.gz" "$www/playlist.m3u"
chmod -R a+rX "$www"
start_nginx_peer "$work" "$www" 'application/json json; audio/x-mpegurl m3u;' playlist.m3u

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(nginx -v 2>&1)"
echo "get_live_streams: $(stat -c %s "$www/get_live_streams.json") bytes plain, $(stat -c %s "$www/get_live_streams.json.gz") gzip; 2,607 channels"
echo "authentication only: $(stat -c %s "$www/auth.json") bytes"
echo "get.php m3u_plus: $(stat -c %s "$www/playlist.m3u") bytes plain, $(stat -c %s "$www/playlist.m3u.gz") gzip"
echo "wrk -t2 -c$connections -d${seconds}s --timeout 30s; wrk and both servers share the cores; load before: $(cut -d" " -f1-3 /proc/loadavg)"
echo

# One wrk run: prints "<req/s> <p99 ms>".
measure() {
  local out
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s --latency "$@")
  awk '/Requests\/sec:/ {rps=$2}
       /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; p99=v}
       END {printf "%.0f %.2f\n", rps, p99}' <<<"$out"
}
printf '%-34s %14s %10s %14s %10s %8s\n' what switchyard_rps p99_ms nginx_rps p99_ms ratio
row() {
  local name=$1 sy_url=$2 ng_url=$3
  shift 3
  read -r s_rps s_p99 < <(measure "$@" "$sy_url")
  read -r n_rps n_p99 < <(measure "$@" "$ng_url")
  printf '%-34s %14s %10s %14s %10s %8s\n' "$name" "$s_rps" "$s_p99" "$n_rps" "$n_p99" \
    "$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN {printf "%.3f", a/b}')"
}
gz=(-H 'Accept-Encoding: gzip')
row "get_live_streams plain" "$live_url" "$nbase/get_live_streams.json"
row "get_live_streams gzip" "$live_url" "$nbase/get_live_streams.json" "${gz[@]}"
row "player_api.php auth only" "$auth_url" "$nbase/auth.json"
row "get.php m3u_plus plain" "$m3u_url" "$nbase/playlist.m3u"
row "get.php m3u_plus gzip" "$m3u_url" "$nbase/playlist.m3u" "${gz[@]}"
echo "load after: $(cut -d" " -f1-3 /proc/loadavg)"
