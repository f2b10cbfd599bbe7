#!/usr/bin/env bash
# Runs wrk against the release server's guide and VOD answers, side by side with nginx serving
# the same bytes as static files, and prints the ratio (switchyard / nginx):
#   xmltv.php for the 4,525-programme Turkcell TV+ guide, plain and gzip (nginx: gzip_static of
#   the same .gz bytes), get_vod_streams and get_live_streams with both Xtream captures imported
#   (361 movies, 13,572 live streams).
# The guide is moved by whole days to today first, as the README tour does, so that its
# programmes fall inside the server's retention window.
# xmltv.php renders the guide on every request, so it runs with fewer connections (a third
# argument) than the lists: at 64 no request completes within a 10 s run on 2 cores.
#   bench/wrk_iptv_guide_vod.sh [SECONDS] [CONNECTIONS] [XMLTV_CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
xmltv_connections=${3:-8}
scripts/setup
cmake --preset release >/dev/null
cmake --build --preset release --target switchyard >/dev/null
bin=build/release/switchyard
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

"$bin" import xtream ../shared/data/iptv/xtream/iris --server "$base" --data-dir "$work/data" >/dev/null 2>&1
"$bin" import xtream ../shared/data/iptv/xtream/hellraiser --server "$base" --data-dir "$work/data" >/dev/null 2>&1
python3 - "$work/guide.xml" <<'PY'
import datetime as dt, re, sys
xml = open('../shared/data/iptv/epg/tvplus.com.tr.guide.xml', encoding='utf-8', newline='').read()
first = min(dt.datetime.strptime(s, '%Y%m%d%H%M%S %z') for s in re.findall(r'start="(\d{14} [+-]\d{4})"', xml))
days = (dt.datetime.now(dt.timezone.utc) - first).days
move = lambda m: m[1] + (dt.datetime.strptime(m[2], '%Y%m%d%H%M%S') + dt.timedelta(days=days)).strftime('%Y%m%d%H%M%S')
open(sys.argv[1], 'w', encoding='utf-8', newline='').write(re.sub(r'((?:start|stop)=")(\d{14})', move, xml))
PY
# The captures carry streams for only a few of the guide's 144 channels: one more stream per
# guide channel (tvg-id = its id), so that the line's xmltv.php carries the whole guide.
python3 - "$work/guide.xml" "$work/guide.m3u" <<'PY'
import re, sys
xml = open(sys.argv[1], encoding='utf-8').read()
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    out.write('#EXTM3U\n')
    for cid, name in re.findall(r'<channel id="([^"]+)">\s*<display-name[^>]*>([^<]+)<', xml):
        out.write(f'#EXTINF:-1 tvg-id="{cid}",{name}\nhttp://guide.invalid/{cid}.ts\n')
PY
"$bin" import m3u "$work/guide.m3u" --server "$base" --data-dir "$work/data" >/dev/null 2>&1
"$bin" import xmltv "$work/guide.xml" --server "$base" --data-dir "$work/data" >/dev/null 2>&1
key=$(head -1 "$work/data/admin.key")
line=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"username":"bench1","max_connections":1000}' "$base/v1/iptv/lines")
pass=$(sed -E 's/.*"password":"([^"]+)".*/\1/' <<<"$line")
after=$(sed -E 's/.*"position":"([^"]+)".*/\1/' <<<"$line")
until curl -sf -H "Authorization: Bearer $key" "$base/v1/iptv/lines/1?after=$after" >/dev/null; do sleep 1; done
creds="username=bench1&password=$pass"

# The same bytes as files, for nginx.
www="$work/www"
mkdir -p "$www"
curl -sf "$base/xmltv.php?$creds" -o "$www/xmltv.xml"
curl -sf -H 'Accept-Encoding: gzip' "$base/xmltv.php?$creds" -o "$www/xmltv.xml.gz"
curl -sf "$base/player_api.php?$creds&action=get_vod_streams" -o "$www/get_vod_streams.json"
curl -sf "$base/player_api.php?$creds&action=get_live_streams" -o "$www/get_live_streams.json"
chmod -R a+rX "$www"
start_nginx_peer "$work" "$www" 'application/xml xml; application/json json;' xmltv.xml

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(nginx -v 2>&1)"
echo "xmltv.php: $(grep -c '<programme ' "$www/xmltv.xml") programmes, $(stat -c %s "$www/xmltv.xml") bytes plain, $(stat -c %s "$www/xmltv.xml.gz") gzip"
echo "get_vod_streams: $(stat -c %s "$www/get_vod_streams.json") bytes; get_live_streams: $(stat -c %s "$www/get_live_streams.json") bytes"
echo "wrk -t2 -c$connections -d${seconds}s --timeout 30s; wrk and both servers share the cores; load before: $(cut -d" " -f1-3 /proc/loadavg)"
echo

# One request at a time, as a player's first start sees it.
for enc in identity gzip; do
  echo "xmltv.php, one request ($enc): $(curl -s -o /dev/null -H "Accept-Encoding: $enc" -w '%{time_total}' "$base/xmltv.php?$creds") s (nginx: $(curl -s -o /dev/null -H "Accept-Encoding: $enc" -w '%{time_total}' "$nbase/xmltv.xml") s)"
done
echo

# One wrk run with $conns connections: prints "<req/s> <p99 ms>".
conns=$connections
measure() {
  local out
  out=$(wrk -t2 -c"$conns" -d"${seconds}s" --timeout 30s --latency "$@")
  awk '/Requests\/sec:/ {rps=$2}
       /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; p99=v}
       END {printf "%.0f %.2f\n", rps, p99}' <<<"$out"
}
printf '%-36s %14s %10s %14s %10s %8s\n' what switchyard_rps p99_ms nginx_rps p99_ms ratio
row() {
  local name=$1 sy_url=$2 ng_url=$3
  shift 3
  read -r s_rps s_p99 < <(measure "$@" "$sy_url")
  read -r n_rps n_p99 < <(measure "$@" "$ng_url")
  printf '%-36s %14s %10s %14s %10s %8s\n' "$name" "$s_rps" "$s_p99" "$n_rps" "$n_p99" \
    "$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN {printf "%.3f", a/b}')"
}
conns=$xmltv_connections
row "xmltv.php plain, -c$conns" "$base/xmltv.php?$creds" "$nbase/xmltv.xml"
row "xmltv.php gzip, -c$conns" "$base/xmltv.php?$creds" "$nbase/xmltv.xml" -H 'Accept-Encoding: gzip'
conns=$connections
row "get_vod_streams (361), -c$conns" "$base/player_api.php?$creds&action=get_vod_streams" "$nbase/get_vod_streams.json"
row "get_live_streams (13,716), -c$conns" "$base/player_api.php?$creds&action=get_live_streams" "$nbase/get_live_streams.json"
