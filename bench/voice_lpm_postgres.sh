#!/usr/bin/env bash
# Longest-prefix match in PostgreSQL against the voice rating engine, on the same 13,126
# prefixes of the CDRTool deck (../shared/data/voip/ratedeck-cdrtool-2010) and the same numbers.
#
# Starts a throw-away PostgreSQL 15 (Debian's /usr/lib/postgresql/15/bin) in a temp dir on a
# free loopback port (as user postgres when run as root), loads the prefixes into a table with
# a primary-key index, and runs the usual query
#   SELECT prefix FROM deck WHERE prefix IN (<every prefix of the number>)
#   ORDER BY length(prefix) DESC LIMIT 1
# through pgbench (one client; each transaction is 200 such queries with literal numbers).
# Then runs build/release/bench/voice_rating_bench on the same deck and prints both rates and
# the ratio. Usage: bench/voice_lpm_postgres.sh [seconds]   (default 10)
set -euo pipefail

SECONDS_TO_RUN=${1:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-$ROOT/build/release/bench/voice_rating_bench}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
QUERIES_PER_TX=200

if [[ ! -x $BENCH ]]; then
    (cd "$ROOT" && cmake --preset release >/dev/null && cmake --build --preset release -j2 --target voice_rating_bench)
fi
[[ -x $PGBIN/initdb ]] || { echo "PostgreSQL 15 not found in $PGBIN" >&2; exit 2; }

WORK=$(mktemp -d /tmp/voice_lpm_pg.XXXXXX)
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
    as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
[[ $(id -u) -eq 0 ]] && chown postgres "$WORK"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# The deck's prefixes and the numbers the engine bench rates (same generator, same seed).
"$BENCH" --prefixes-out="$WORK/prefixes.txt" --numbers-out="$WORK/numbers.txt" \
    --benchmark_filter='^$' >/dev/null 2>&1
chmod a+r "$WORK"/*.txt

as_pg "$PGBIN/initdb" -D "$WORK/data" -U bench --auth=trust >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -w \
    -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=128MB -c fsync=off" start >/dev/null
PSQL=(psql -X -q -h 127.0.0.1 -p "$PORT" -U bench -d postgres -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE TABLE deck (prefix text PRIMARY KEY)"
"${PSQL[@]}" -c "\\copy deck FROM '$WORK/prefixes.txt'"
"${PSQL[@]}" -c "VACUUM ANALYZE deck"
ROWS=$("${PSQL[@]}" -At -c "SELECT count(*) FROM deck")

# pgbench script: QUERIES_PER_TX longest-prefix queries with literal prefix lists.
python3 - "$WORK/numbers.txt" "$WORK/lpm.sql" "$QUERIES_PER_TX" <<'EOF'
import sys
numbers = [l.strip() for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[3])
with open(sys.argv[2], "w") as out:
    for num in numbers[:n]:
        prefixes = ",".join("'%s'" % num[:k] for k in range(1, len(num) + 1))
        out.write("SELECT prefix FROM deck WHERE prefix IN (%s) ORDER BY length(prefix) DESC LIMIT 1;\n" % prefixes)
EOF
# Check one answer against the engine's reading: the longest prefix exists.
FIRST=$(head -1 "$WORK/numbers.txt")
ANSWER=$("${PSQL[@]}" -At -c "$(head -1 "$WORK/lpm.sql")")
echo "PostgreSQL: $ROWS prefixes; $FIRST -> $ANSWER"

PGOUT=$(pgbench -n -h 127.0.0.1 -p "$PORT" -U bench -c 1 -j 1 -T "$SECONDS_TO_RUN" \
    -f "$WORK/lpm.sql" postgres 2>&1)
TPS=$(echo "$PGOUT" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
PG_QPS=$(python3 -c "print(round($TPS * $QUERIES_PER_TX))")

ENGINE_JSON=$("$BENCH" --benchmark_filter='CdrtoolDeck' --benchmark_format=json \
    --benchmark_min_time="$SECONDS_TO_RUN" 2>/dev/null)
read -r RATE_CPU RATE_WALL LPM_CPU <<<"$(python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
b = {x["name"]: x for x in d["benchmarks"]}
r, l = b["BM_RateCdrtoolDeck"], b["BM_LpmCdrtoolDeck"]
print(round(1e9 / r["cpu_time"]), round(1e9 / r["real_time"]), round(1e9 / l["cpu_time"]))
' <<<"$ENGINE_JSON")"

echo "machine: $(nproc) cpu, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PostgreSQL 15 longest-prefix query, 1 client: $PG_QPS queries/s"
echo "engine rate_plan (full rating), 1 thread:    $RATE_CPU calls/s per CPU-second ($RATE_WALL wall)"
echo "engine PrefixIndex::longest only:            $LPM_CPU lookups/s per CPU-second"
# PostgreSQL's rate is wall-clock (server and pgbench share the machine); the engine's is given
# per CPU-second and per wall-second of its thread.
python3 -c "print('ratio, full rating / PostgreSQL lookup: %.0fx per CPU-second, %.0fx wall (goal >= 100x)' % ($RATE_CPU / $PG_QPS, $RATE_WALL / $PG_QPS))"
python3 -c "print('ratio, lookup / PostgreSQL lookup:       %.0fx' % ($LPM_CPU / $PG_QPS))"
