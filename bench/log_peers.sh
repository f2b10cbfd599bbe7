#!/usr/bin/env bash
# Durable appends side by side in one run: Switchyard's RocksDB log (bench_log), Redis 7 XADD
# with `appendfsync always`, and PostgreSQL 15 INSERT with a unique (stream, version) index and
# synchronous_commit on. Each peer runs on a free loopback port in a temp dir and is stopped by
# its PID. Every event is about 330 bytes; every client waits for its write to be durable before
# sending the next. Prints one line per system and the ratios.
#   bench/log_peers.sh [seconds] [clients]        (defaults: 10 s, 64 clients)
set -euo pipefail
SECONDS_TO_RUN=${1:-10}
CLIENTS=${2:-64}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-$ROOT/build/release/bench/bench_log}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x $BENCH ]]; then
    (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release -j2 --target bench_log >/dev/null)
fi
command -v redis-server >/dev/null || { echo "redis-server missing: run scripts/setup" >&2; exit 2; }
[[ -x $PGBIN/initdb ]] || { echo "PostgreSQL 15 not found in $PGBIN" >&2; exit 2; }

WORK=$(mktemp -d /tmp/log_peers.XXXXXX)
REDIS_PID=
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    [[ -n $REDIS_PID ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
[[ $(id -u) -eq 0 ]] && chown postgres "$WORK"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
VALUE=$(python3 -c 'print("x"*330)')

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); data in $(df --output=source "$WORK" | tail -1) ($(stat -f -c %T "$WORK"))"
echo "$CLIENTS clients, ${SECONDS_TO_RUN} s each, 330-byte events, durable before the answer"
echo

# ---- Switchyard ----
SY=$("$BENCH" --benchmark_filter="^BM_DurableAppend/.*threads:$CLIENTS$|^BM_DurableAppendAsync/$CLIENTS/" \
     --benchmark_min_time="$SECONDS_TO_RUN" --benchmark_format=json 2>/dev/null)
read -r SY_SYNC SY_SYNC_P99 SY_ASYNC SY_ASYNC_P99 < <(python3 -c '
import json,sys
d=json.loads(sys.stdin.read())
def row(prefix):
    for b in d["benchmarks"]:
        if b["name"].startswith(prefix): return b["items_per_second"], b["p99_us"]/1000
    return 0,0
a=row("BM_DurableAppend/"); b=row("BM_DurableAppendAsync/")
print("%.0f %.2f %.0f %.2f" % (a[0],a[1],b[0],b[1]))' <<<"$SY")

# ---- Redis 7, appendonly with appendfsync always ----
RPORT=$(free_port)
mkdir -p "$WORK/redis"
redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$WORK/redis" --appendonly yes \
    --appendfsync always --save '' --daemonize no --logfile "$WORK/redis/log" &
REDIS_PID=$!
for _ in $(seq 100); do redis-cli -p "$RPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
REQUESTS=$((SECONDS_TO_RUN * 40000))
ROUT=$(redis-benchmark -p "$RPORT" -c "$CLIENTS" -n "$REQUESTS" -r 100000 --csv \
       XADD 's:__rand_int__' '*' d "$VALUE" 2>/dev/null | tail -1)
# "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
REDIS_RPS=$(cut -d, -f2 <<<"$ROUT" | tr -d '"')
REDIS_P99=$(cut -d, -f7 <<<"$ROUT" | tr -d '"')
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=

# ---- PostgreSQL 15, INSERT with unique (stream, version), synchronous_commit on ----
PPORT=$(free_port)
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U bench --auth=trust >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
    -o "-p $PPORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c max_connections=200 -c synchronous_commit=on -c fsync=on" start >/dev/null
PSQL=(psql -X -q -h 127.0.0.1 -p "$PPORT" -U bench -d postgres -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE TABLE events (id uuid PRIMARY KEY, stream text NOT NULL, version bigint NOT NULL, data text NOT NULL, UNIQUE (stream, version))"
# One stream per client, versions from a sequence per client: the unique index is checked.
cat >"$WORK/insert.sql" <<SQL
INSERT INTO events VALUES (gen_random_uuid(), 'bench-' || :client_id, nextval('v'), '$VALUE');
SQL
"${PSQL[@]}" -c "CREATE SEQUENCE v"
chmod a+r "$WORK/insert.sql"
POUT=$(pgbench -n -h 127.0.0.1 -p "$PPORT" -U bench -c "$CLIENTS" -j 2 -T "$SECONDS_TO_RUN" \
       -r -f "$WORK/insert.sql" postgres 2>/dev/null)
PG_TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$POUT" | head -1)
PG_AVG=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$POUT")

printf '%-52s %12s %12s\n' "system" "events/s" "p99"
printf '%-52s %12.0f %9.2f ms\n' "Switchyard, $CLIENTS threads each waiting (append)" "$SY_SYNC" "$SY_SYNC_P99"
printf '%-52s %12.0f %9.2f ms\n' "Switchyard, $CLIENTS in flight (append_async)" "$SY_ASYNC" "$SY_ASYNC_P99"
printf '%-52s %12.0f %9.2f ms\n' "Redis XADD, appendfsync always" "$REDIS_RPS" "$REDIS_P99"
printf '%-52s %12.0f %9s\n' "PostgreSQL INSERT, unique (stream, version)" "$PG_TPS" "avg ${PG_AVG} ms"
echo
python3 - "$SY_SYNC" "$SY_ASYNC" "$REDIS_RPS" "$PG_TPS" <<'PY'
import sys
s, a, r, p = map(float, sys.argv[1:])
print(f"ratio to Redis:      append {s/r:.2f}x, append_async {a/r:.2f}x   (goal 4x)")
print(f"ratio to PostgreSQL: append {s/p:.1f}x, append_async {a/p:.1f}x   (goal 20x)")
PY
