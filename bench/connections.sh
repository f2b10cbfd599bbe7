#!/usr/bin/env bash
# 10,000 concurrent keep-alive connections on the release server's Xtream authentication
# (player_api.php without action), each sending one request a second for 60 s (10k req/s):
# errors, timeouts, p50/p99/max latency, and the server's RSS and threads. Goal (issue 10 item 7,
# DESIGN.md budgets): 0 errors, 0 timeouts, p99 < 100 ms.
#   bench/connections.sh [CONNECTIONS] [SECONDS] [INTERVAL_MS]
# The load generator (bench_conn_load) runs on the same machine and shares its cores.
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-10000}
seconds=${2:-60}
interval_ms=${3:-1000}

# Each side needs one descriptor per connection (plus the server's RocksDB files).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [[ ! -x build/release/switchyard || ! -x build/release/bench/bench_conn_load ]]; then
    cmake --preset release >/dev/null
    cmake --build --preset release -j2 --target switchyard bench_conn_load >/dev/null
fi
bin=build/release/switchyard
load=build/release/bench/bench_conn_load
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# A line created through the API, so that player_api.php authenticates (and is read back at
# its position, so the read models have it before the load starts).
key=$(cat "$data/admin.key")
line=$(curl -sf -H "Authorization: Bearer $key" -d '{"username":"conn1","max_connections":1000}' \
    "$base/v1/iptv/lines")
pass=$(sed -E 's/.*"password":"([^"]+)".*/\1/' <<<"$line")
after=$(sed -E 's/.*"position":"([^"]+)".*/\1/' <<<"$line")
curl -sf -H "Authorization: Bearer $key" "$base/v1/iptv/lines/1?after=$after" >/dev/null
url="$base/player_api.php?username=conn1&password=$pass"
curl -sf "$url" | grep -q '"auth":1' || { echo "player_api.php does not authenticate" >&2; exit 1; }

status() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$server/status"; }
rss_before=$(status VmRSS)
echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/{print $2}') RAM, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "server: pid $server, fd limit $(ulimit -n), RSS before load ${rss_before} kB"
echo "load: $load --url '$url' --connections $connections --duration $seconds --interval $interval_ms"

# Sample the server while the connections are held (the ramp takes 10 s, then the hold).
samples="$data/samples"
(
    sleep $((10 + seconds / 2))
    echo "$(status VmRSS) $(status Threads) $(ls "/proc/$server/fd" | wc -l)" >"$samples"
) &
sampler=$!
# CPU accounting: the machine (/proc/stat), the server (/proc/PID/stat), the generator (its
# own getrusage): what is left is other processes sharing the cores.
hz=$(getconf CLK_TCK)
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
server_ticks() { awk '{print $14+$15}' "/proc/$server/stat"; }
read -r busy0 total0 < <(busy)
srv0=$(server_ticks)
result=$("$load" --url "$url" --connections "$connections" --duration "$seconds" \
    --interval "$interval_ms" --timeout 5000 --ramp 10)
read -r busy1 total1 < <(busy)
srv1=$(server_ticks)
cpu=$(awk -v b=$((busy1 - busy0)) -v t=$((total1 - total0)) -v s=$((srv1 - srv0)) -v hz="$hz" \
    -v n="$(nproc)" -v r="$result" 'BEGIN {
    g = r; sub(/.*cpu_s=/, "", g); g = g + 0; secs = t / hz / n
    printf "machine busy %.0f%% of %d cores; server %.2f cores, generator %.2f cores, others %.2f cores", \
        100 * b / t, n, s / hz / secs, g / secs, (b - s) / hz / secs - g / secs }')
wait $sampler || true
read -r rss_mid threads fds <"$samples" || true
hwm=$(status VmHWM)
echo "$result"
echo "server during hold: RSS ${rss_mid} kB, ${threads} threads, ${fds} open descriptors; VmHWM ${hwm} kB"
echo "cpu over the run (ramp and hold): $cpu"
# One summary line.
awk -v r="$result" -v rss="$rss_mid" -v hwm="$hwm" -v thr="$threads" -v cpu="$cpu" 'BEGIN {
    n = split(r, kv, " "); for (i = 1; i <= n; ++i) { split(kv[i], p, "="); v[p[1]] = p[2] }
    met = (v["errors"] == 0 && v["timeouts"] == 0 && v["connect_errors"] == 0 && v["non_200"] == 0 \
           && v["peak_open"] >= v["connections"] && v["p99_ms"] < 100) ? "met" : "NOT met"
    printf "summary: %s connections, %s req (%s), errors %s, timeouts %s, connect errors %s, p50 %s ms, p99 %s ms, max %s ms, server RSS %.0f MiB (peak %.0f MiB), %s threads, %s: goal %s\n",
        v["peak_open"], v["requests"], v["rate"], v["errors"] + v["non_200"], v["timeouts"], v["connect_errors"],
        v["p50_ms"], v["p99_ms"], v["max_ms"], rss / 1024, hwm / 1024, thr, cpu, met
}'
