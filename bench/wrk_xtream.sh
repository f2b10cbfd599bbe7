#!/usr/bin/env bash
# Runs wrk against the release server's Xtream Codes API with the ten iptv-org playlists
# imported (2,607 channels): get_live_streams (the whole catalogue, ~650 KB a response) and
# authentication only (player_api.php without action). Prints wrk's figures and the budgets.
#   bench/wrk_xtream.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
scripts/setup
cmake --preset release >/dev/null
cmake --build --preset release --target switchyard >/dev/null
bin=build/release/switchyard
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
"$bin" import m3u ../shared/data/iptv/m3u/*.m3u --server "$base" --data-dir "$data" --category-from country >/dev/null
key=$(cat "$data/admin.key")
line=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"username":"bench1","max_connections":1000}' "$base/v1/iptv/lines")
pass=$(sed -E 's/.*"password":"([^"]+)".*/\1/' <<<"$line")
after=$(sed -E 's/.*"position":"([^"]+)".*/\1/' <<<"$line")
curl -sf -H "Authorization: Bearer $key" "$base/v1/iptv/lines/1?after=$after" >/dev/null
size=$(curl -sf "$base/player_api.php?username=bench1&password=$pass&action=get_live_streams" | wc -c)
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "get_live_streams response: $size bytes, 2607 channels"
echo
echo "== get_live_streams (budget: >= 3000 req/s, p99 < 20 ms) =="
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/player_api.php?username=bench1&password=$pass&action=get_live_streams"
echo
echo "== authentication only (budget: >= 50000 req/s, p99 < 5 ms) =="
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/player_api.php?username=bench1&password=$pass"
