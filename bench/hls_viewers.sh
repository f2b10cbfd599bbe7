#!/usr/bin/env bash
# HLS delivery of one live stream to many viewers: Switchyard's /live/ playlist and /hls/
# session segments side by side with nginx serving the same segment files, and the ratio
# (switchyard / nginx).
#
# One run, on loopback, with free ports and a temporary directory:
#   - a synthetic live source: ffmpeg encodes testsrc 1280x720 at 25 fps and a sine tone to
#     H.264 (x264 ultrafast, constant 3 Mbit/s with filler) + AAC, as HLS served by Python's
#     http.server (as tests/api/routes/iptv/delivery_test.cpp does);
#   - `switchyard serve` with its FFmpeg workers under the temporary stream directory, a stream
#     with that source, one line per viewer (max_connections 1) and a `probe` line; the stream
#     is played once and the script waits until its worker's playlist lists several segments;
#   - nginx (foreground, its own config, access_log off, sendfile on) whose root is the
#     worker's stream directory: the same playlist and segment files;
#   - for each viewer count and each pace, wrk with bench/hls_viewers.lua: every connection
#     plays like an HLS player (playlist, then the newest segment it lists, and again); on
#     Switchyard the playlist is /live/viewer<k>/<pass>/1.m3u8 of viewer k's line and the segments are
#     that session's /hls/<token>/seg_NNNNN.ts, on nginx /1/index.m3u8 and /1/seg_NNNNN.ts.
#     Paces: `live` pauses about 1 s before each request (one playlist and one segment per 2 s
#     segment, what a player at the live edge does), `flat` does not pause (capacity).
#   - per server it prints requests/s, MB/s, wrk's latency p50/p99 (playlists and segments
#     together), the CPU the server process used during the run (utime+stime from /proc, all
#     nginx processes summed; the FFmpeg worker is not counted: both servers read its files) as
#     % of one core per 100 viewers and as CPU seconds per GB served, the time to first byte
#     p99 of 50 segment and 50 playlist fetches by curl during the load, wrk's own CPU, how
#     busy the whole machine was, and the HTTP codes and socket errors wrk saw; then the ratio
#     switchyard / nginx. At the end: Switchyard's idle CPU before and after the lines held
#     leases, and the lease events (opened, renewed, closed) the sessions wrote to its log.
#
#   bench/hls_viewers.sh [SECONDS] [VIEWERS...]        (defaults: 10, 100 1000)
# Environment: SWITCHYARD_BIN (default build/release/switchyard; this script builds nothing),
#   HLS_PACES (default "live flat"), NGINX_WORKERS (default 1; e.g. "1 auto" runs both),
#   HLS_WRK_THREADS (default 2), HLS_PERF=1 profiles Switchyard (perf record, DWARF call
#   graphs) for 5 s under the largest viewer count at the flat pace (needs perf).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
viewer_counts=("$@")
((${#viewer_counts[@]})) || viewer_counts=(100 1000)
paces=${HLS_PACES:-live flat}
nginx_workers=${NGINX_WORKERS:-1}
wrk_threads=${HLS_WRK_THREADS:-2}
bin=${SWITCHYARD_BIN:-build/release/switchyard}
lua=$PWD/bench/hls_viewers.lua
max_viewers=0
for v in "${viewer_counts[@]}"; do ((v > max_viewers)) && max_viewers=$v; done

die() {
  echo "hls_viewers: $*" >&2
  exit 1
}
for tool in ffmpeg nginx wrk curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time is not installed (Debian: time)"
[[ -x $bin ]] || die "no Switchyard binary at $bin (set SWITCHYARD_BIN)"
# wrk holds one descriptor per connection, nginx and the server one or two per viewer.
ulimit -n "$(ulimit -Hn)" || true
(($(ulimit -n) > 2 * max_viewers + 100)) || die "open-file limit $(ulimit -n) is too low for $max_viewers viewers"

work=$(mktemp -d)
chmod 755 "$work"
pids=()
nginx_pid=
cleanup() {
  local rc=$?
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  # In reverse start order: the server stops its FFmpeg workers itself.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  if ((rc != 0)); then
    for f in "$work"/server.log "$work"/encoder.log "$work"/nginx/error.log; do
      [[ -s $f ]] && { echo "--- last lines of $(basename "$f"):" >&2; tail -20 "$f" >&2; }
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s.
  local limit=$1 what=$2
  shift 2
  for _ in $(seq $((limit * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "timed out after ${limit}s waiting for $what"
}

# 1. The synthetic live source.
mkdir -p "$work/src"
ffmpeg -hide_banner -nostdin -loglevel error -re \
  -f lavfi -i testsrc=size=1280x720:rate=25 -f lavfi -i sine=frequency=440:sample_rate=48000 \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 50 \
  -b:v 3M -minrate 3M -maxrate 3M -bufsize 3M -x264-params nal-hrd=cbr \
  -c:a aac -b:a 128k \
  -f hls -hls_time 2 -hls_list_size 6 -hls_flags delete_segments "$work/src/index.m3u8" \
  >"$work/encoder.log" 2>&1 &
encoder=$!
pids+=("$encoder")
src_port=$(free_port)
python3 -m http.server "$src_port" --bind 127.0.0.1 --directory "$work/src" >"$work/source.log" 2>&1 &
pids+=($!)
source_url="http://127.0.0.1:$src_port/index.m3u8"
wait_for 30 "the source's first segments" bash -c "[[ \$(grep -c '\.ts$' '$work/src/index.m3u8') -ge 2 ]]"
curl -sf "$source_url" >/dev/null || die "the source's HTTP server does not answer"

# 2. Switchyard, a stream with that source, the lines.
port=$(free_port)
"$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --stream-dir "$work/streams" \
  --stream-idle-s 3600 --iptv-lease-timeout-s 30 --rate-authenticated 0 --rate-anonymous 0 \
  --server-check-interval-ms 0 >"$work/server.log" 2>&1 &
server=$!
pids+=("$server")
base="http://127.0.0.1:$port"
wait_for 60 "switchyard /healthz" curl -sf "$base/healthz"
key=$(head -1 "$work/data/admin.key")
stream=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Synthetic 720p\",\"source_url\":\"$source_url\"}" "$base/v1/iptv/streams") ||
  die "POST /v1/iptv/streams failed"
stream_id=$(sed -E 's/.*"stream_id":([0-9]+).*/\1/' <<<"$stream")
[[ $stream_id == 1 ]] || die "expected stream 1, got: $stream"
pass=Bench-pass-01
# One line per viewer (viewer1..viewerN, one connection each) and `probe` for the curl samples; the
# lines go in over one keep-alive connection. Prints the last line's log position.
after=$(python3 - "$port" "$key" "$pass" "$max_viewers" <<'PY'
import http.client, json, sys
port, key, password, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
c = http.client.HTTPConnection('127.0.0.1', int(port), timeout=60)
last = None
for name in [f'viewer{k}' for k in range(1, n + 1)] + ['probe']:
    body = json.dumps({'username': name, 'password': password, 'max_connections': 1})
    c.request('POST', '/v1/iptv/lines', body,
              {'Authorization': f'Bearer {key}', 'Content-Type': 'application/json'})
    r = c.getresponse()
    text = r.read().decode()
    if r.status != 201:
        sys.exit(f'POST /v1/iptv/lines {name}: {r.status} {text}')
    last = json.loads(text)['position']
print(last)
PY
) || die "creating the lines failed"
# Wait until the read models have the last line and the stream.
curl -sf -o /dev/null -H "X-Switchyard-After: $after" "$base/player_api.php?username=probe&password=$pass" ||
  die "the probe line is not usable"
probe_playlist="$base/live/probe/$pass/$stream_id.m3u8"
first=$(curl -s -o /dev/null -w '%{http_code}' -A probe --max-time 60 "$probe_playlist")
[[ $first == 200 ]] || die "the first play of $probe_playlist answered $first"
stream_dir="$work/streams/$stream_id"
segments_listed() { [[ $(grep -c '^seg_' "$stream_dir/index.m3u8" 2>/dev/null) -ge 4 ]]; }
wait_for 60 "4 segments in the worker's playlist" segments_listed
newest_segment() { grep '^seg_' "$stream_dir/index.m3u8" | tail -1; }
seg_bytes=$(stat -c %s "$stream_dir/$(newest_segment)")
seg_rate=$(awk -v b="$seg_bytes" 'BEGIN {printf "%.1f", b * 8 / 2 / 1e6}')

# 3. nginx over the worker's directory.
start_nginx() { # start_nginx WORKERS
  local nport
  nport=$(free_port)
  rm -rf "$work/nginx"
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<EOF
$( ((EUID == 0)) && echo 'user root root;')
worker_processes $1;
worker_rlimit_nofile $(($(ulimit -n) < 65536 ? $(ulimit -n) : 65536));
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections $((2 * max_viewers + 256)); }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  server {
    listen 127.0.0.1:$nport;
    root $work/streams;
    location ~ \.m3u8\$ { add_header Cache-Control no-store; }
  }
}
EOF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  nbase="http://127.0.0.1:$nport"
  wait_for 10 "nginx" curl -sf "$nbase/$stream_id/index.m3u8"
  local seg
  seg=$(newest_segment)
  cmp -s <(curl -sf "$nbase/$stream_id/$seg") "$stream_dir/$seg" ||
    die "nginx does not serve the worker's segment $seg"
}
stop_nginx() {
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=
}

# CPU ticks (utime+stime) of a process and its children processes that are not ffmpeg
# (nginx: the master and its workers; Switchyard: the server alone).
cpu_ticks() {
  local total=0 p
  for p in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    [[ -r /proc/$p/stat ]] || continue
    [[ $(cat /proc/"$p"/comm) == ffmpeg ]] && continue
    total=$((total + $(sed -E 's/^.*\) //' /proc/"$p"/stat | awk '{print $12 + $13}')))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)
# The machine's busy and idle ticks, all cores (idle includes iowait).
host_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat; }

# 50 time-to-first-byte samples of the newest segment, each after a fresh playlist, spread
# over the middle of the run; prints the p99 in ms and the non-200 count.
ttfb_samples() { # ttfb_samples PLAYLIST_URL SEGMENT_BASE_OR_EMPTY OUT
  local playlist=$1 seg_base=$2 out=$3 pl seg i
  sleep 1
  for i in $(seq 50); do
    pl=$(curl -s -A probe --max-time 10 -w '\n%{http_code} %{time_starttransfer}' "$playlist") || true
    echo "playlist $(tail -1 <<<"$pl")" >>"$out.pl"
    seg=$(sed '$d' <<<"$pl" | grep -v -e '^#' -e '^$' | tail -1)
    [[ -n $seg ]] || {
      echo "ERR playlist" >>"$out"
      continue
    }
    [[ $seg == /* ]] && seg=${playlist%%/live/*}$seg || seg=$seg_base$seg
    curl -s -o /dev/null -A probe --max-time 30 -w '%{http_code} %{time_starttransfer}\n' "$seg" >>"$out" || echo "ERR curl" >>"$out"
    sleep "$(awk -v s="$seconds" 'BEGIN {printf "%.3f", (s - 3) / 50}')"
  done
}

# One wrk run: measure NAME PID VIEWERS PACE_MS PLAYLIST_PATH BASE PROBE_PLAYLIST PROBE_SEG_BASE
# Prints: rps mbs p50_ms p99_ms cpu_pct_per_100 ttfb_p99_ms codes ttfb_errors
measure() {
  local name=$1 pid=$2 viewers=$3 pace=$4 playlist=$5 url=$6 probe_pl=$7 probe_base=$8
  local before after wout ttfb=$work/ttfb.$name.$viewers.$pace out result
  rm -f "$ttfb" "$ttfb.pl"
  ttfb_samples "$probe_pl" "$probe_base" "$ttfb" &
  local sampler=$!
  before=$(cpu_ticks "$pid")
  host_before=$(host_ticks)
  wout=$(HLS_PLAYLIST=$playlist HLS_VIEWERS=$viewers HLS_PACE_MS=$pace HLS_THREADS=$wrk_threads \
    /usr/bin/time -f '%U %S' -o "$work/wrk.time" wrk -t"$wrk_threads" -c"$viewers" -d"${seconds}s" --timeout 10s -s "$lua" "$url" 2>&1) ||
    die "wrk failed against $name: $wout"
  after=$(cpu_ticks "$pid")
  host_after=$(host_ticks)
  wait "$sampler" || true
  result=$(grep '^RESULT ' <<<"$wout") || die "wrk printed no result against $name: $wout"
  local ttfb_p99 pl_p99 bad
  p99_of() { awk -v f="$1" '$f == "200" {print $(f + 1) * 1000}' "$2" | sort -n |
    awk '{t[NR] = $1} END {if (NR) printf "%.1f", t[int(0.99 * (NR - 1)) + 1]; else print -1}'; }
  ttfb_p99=$(p99_of 1 "$ttfb")
  pl_p99=$(p99_of 2 "$ttfb.pl")
  bad=$(awk '$1 != "200"' "$ttfb" | wc -l)
  awk -v cpu=$((after - before)) -v hz="$hz" -v viewers="$viewers" -v ttfb="$ttfb_p99 $pl_p99" -v bad="$bad" \
    -v wrk_cpu="$(awk '{print $1 + $2}' "$work/wrk.time")" -v host="$host_before $host_after" '
    {for (i = 2; i <= NF; i++) {split($i, kv, "="); r[kv[1]] = kv[2]}}
    END {
      d = r["duration_us"] / 1e6
      errs = r["connect"] + r["read"] + r["write"] + r["timeout"]
      split(host, h, " ")
      busy = h[3] - h[1]; idle = h[4] - h[2]
      printf "%.0f %.1f %.2f %.2f %.1f %.2f %s %.0f %.0f %s %d %d %d\n", r["requests"] / d,
        r["bytes"] / d / 1e6, r["p50_us"] / 1000, r["p99_us"] / 1000,
        100 * cpu / hz / d / (viewers / 100), r["bytes"] ? cpu / hz / (r["bytes"] / 1e9) : 0, ttfb,
        100 * wrk_cpu / d, busy + idle ? 100 * busy / (busy + idle) : 0, r["codes"], bad, errs,
        r["playlists"]
    }' <<<"$result"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(nginx -v 2>&1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "command: bench/hls_viewers.sh $seconds ${viewer_counts[*]} (HLS_PACES=\"$paces\" NGINX_WORKERS=\"$nginx_workers\" SWITCHYARD_BIN=$bin)"
echo "source: 1280x720 25 fps H.264 + AAC; worker segments of 2 s, newest $seg_bytes bytes (~$seg_rate Mbit/s)"
echo "wrk -t$wrk_threads -c<viewers> -d${seconds}s --timeout 10s -s bench/hls_viewers.lua; wrk, curl, the encoder, the worker and the server share the cores"
echo "paces: live = a pause of 0.5-1.5 s (mean 1 s) before each request, so N viewers offer about N req/s (N/2 segment fetches/s, each 2 s of video); flat = no pause"
idle_cpu() { # % of one core Switchyard uses over 5 s with no viewer
  local a b
  a=$(cpu_ticks "$server")
  sleep 5
  b=$(cpu_ticks "$server")
  awk -v t=$((b - a)) -v hz="$hz" 'BEGIN {printf "%.1f", 100 * t / hz / 5}'
}
echo "Switchyard idle (no viewer, 1 line with a lease): $(idle_cpu)% of a core"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
fmt='%-6s %-5s %-12s %7s %7s %8s %8s %9s %8s %9s %9s %7s %6s'
printf "$fmt  %s\n" viewers pace server req/s MB/s p50_ms p99_ms cpu%/100v cpu_s/GB seg_ttfb99 pl_ttfb99 wrk%cpu busy% 'codes (wrk) / curl non-200 / socket errors'
sy_playlists=0
for pace in $paces; do
  case $pace in
  live) pace_ms=1000 ;;
  flat) pace_ms=0 ;;
  *) die "unknown pace $pace (live or flat)" ;;
  esac
  for viewers in "${viewer_counts[@]}"; do
    # Switchyard: fresh sessions (a token lasts twice the lease timeout).
    row=$(measure switchyard "$server" "$viewers" "$pace_ms" "/live/viewer%d/$pass/$stream_id.m3u8" "$base" "$probe_playlist" "")
    read -r s_rps s_mbs s_p50 s_p99 s_cpu s_gb s_ttfb s_plt s_wrk s_busy s_codes s_bad s_err s_pl <<<"$row"
    sy_playlists=$((sy_playlists + s_pl))
    printf "$fmt  %s / %s / %s\n" "$viewers" "$pace" switchyard \
      "$s_rps" "$s_mbs" "$s_p50" "$s_p99" "$s_cpu" "$s_gb" "$s_ttfb" "$s_plt" "$s_wrk" "$s_busy" "$s_codes" "$s_bad" "$s_err"
    for nw in $nginx_workers; do
      start_nginx "$nw"
      row=$(measure nginx "$nginx_pid" "$viewers" "$pace_ms" "/$stream_id/index.m3u8" "$nbase" \
        "$nbase/$stream_id/index.m3u8" "$nbase/$stream_id/")
      read -r n_rps n_mbs n_p50 n_p99 n_cpu n_gb n_ttfb n_plt n_wrk n_busy n_codes n_bad n_err _ <<<"$row"
      stop_nginx
      printf "$fmt  %s / %s / %s\n" "$viewers" "$pace" "nginx-w$nw" \
        "$n_rps" "$n_mbs" "$n_p50" "$n_p99" "$n_cpu" "$n_gb" "$n_ttfb" "$n_plt" "$n_wrk" "$n_busy" "$n_codes" "$n_bad" "$n_err"
      printf "$fmt\n" "$viewers" "$pace" "ratio(w$nw)" \
        "$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", b ? a / b : 0}')" \
        "$(awk -v a="$s_mbs" -v b="$n_mbs" 'BEGIN {printf "%.2f", b ? a / b : 0}')" \
        "$(awk -v a="$s_p50" -v b="$n_p50" 'BEGIN {printf "%.1f", b ? a / b : 0}')" \
        "$(awk -v a="$s_p99" -v b="$n_p99" 'BEGIN {printf "%.1f", b ? a / b : 0}')" \
        "$(awk -v a="$s_cpu" -v b="$n_cpu" 'BEGIN {printf "%.1f", b ? a / b : 0}')" \
        "$(awk -v a="$s_gb" -v b="$n_gb" 'BEGIN {printf "%.1f", b ? a / b : 0}')" \
        "$(awk -v a="$s_ttfb" -v b="$n_ttfb" 'BEGIN {printf "%.1f", (b > 0) ? a / b : 0}')" \
        "$(awk -v a="$s_plt" -v b="$n_plt" 'BEGIN {printf "%.1f", (b > 0) ? a / b : 0}')" "" ""
    done
  done
done
echo
echo "Switchyard idle after the runs (no viewer; $((max_viewers + 1)) lines had leases): $(idle_cpu)% of a core"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -0 "$encoder" 2>/dev/null || die "the source encoder died during the run"
kill -0 "$server" 2>/dev/null || die "switchyard exited during the run (its log is below)"
# What the viewers' sessions wrote to the event log (lease opened, renewed, closed).
if "$bin" events export --data-dir "$work/data" --format ndjson >"$work/events.ndjson" 2>"$work/export.log"; then
  echo "event log: $(wc -l <"$work/events.ndjson") events in all; connection leases: $(for t in opened renewed closed; do
    printf '%s %s, ' "$t" "$(grep -c "\"iptv.connection.$t\"" "$work/events.ndjson" || true)"
  done)for $sy_playlists playlist fetches by wrk on Switchyard (plus the curl probes)"
else
  echo "event log: events export failed: $(head -3 "$work/export.log")"
fi
if grep -qiE 'error|warn' "$work/server.log"; then
  echo "server log, warnings and errors (first 10 distinct):"
  grep -iE 'error|warn' "$work/server.log" | sed -E 's/^\[[^]]*\] //' | sort | uniq -c | sort -rn | head -10
fi
if [[ ${HLS_PERF:-} == 1 ]] && command -v perf >/dev/null; then
  echo
  echo "perf: Switchyard under ${viewer_counts[-1]} viewers, flat pace, 5 s (top symbols):"
  (HLS_PLAYLIST="/live/viewer%d/$pass/$stream_id.m3u8" HLS_VIEWERS=${viewer_counts[-1]} HLS_PACE_MS=0 \
    HLS_THREADS=$wrk_threads wrk -t"$wrk_threads" -c"${viewer_counts[-1]}" -d8s --timeout 10s \
    -s "$lua" "$base" >/dev/null 2>&1 &
  sleep 2
  perf record -q -F 250 --call-graph dwarf,16384 -p "$server" -o "$work/perf.data" -- sleep 5 >/dev/null 2>&1 || echo "perf record failed"
  wait) || true
  echo "self time, top 15 symbols:"
  perf report -q -i "$work/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
    grep -E '^ +[0-9.]+%' | sed -E 's/ +-? +-? *$//' | cut -c1-150 | head -15 || true
  echo "with callees, Switchyard's own functions (top 25):"
  perf report -q -i "$work/perf.data" --children --sort symbol --stdio 2>/dev/null |
    grep -E '^ +[0-9.]+% +[0-9.]+%.*switchyard::' | sed -E 's/ +-? +-? *$//' | cut -c1-200 | head -25 || true
fi
