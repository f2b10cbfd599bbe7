#!/usr/bin/env bash
# Issue 17's table in one run on this machine: the log against Redis and PostgreSQL
# (bench/log_peers.sh), projection rebuild against reading the log alone (bench_log), the Kafka
# log against raw librdkafka on the mock cluster (bench_kafka), and the Xtream answers against
# nginx serving the same bytes (bench/wrk_xtream.sh). Every peer comes from Debian, runs on
# loopback in a temp dir and is stopped by its PID. Prints each part's own table.
#   bench/side_by_side.sh [seconds]      (default 10 s per load run)
set -euo pipefail
SECONDS_TO_RUN=${1:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
scripts/setup
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target bench_log bench_kafka switchyard >/dev/null
echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?'), build/release =="
echo
echo "== 1. durable appends =="
bench/log_peers.sh "$SECONDS_TO_RUN" 64
echo
echo "== 2. projection rebuild (200k iptv.stream.added events, every read model) =="
build/release/bench/bench_log --benchmark_filter='ProjectionRebuild|ReadAll' 2>/dev/null |
    grep -E '^(BM_|Benchmark)'
echo
echo "== 3. Kafka (librdkafka mock cluster) =="
build/release/bench/bench_kafka 20000 2>/dev/null
echo
echo "== 4. Xtream answers against nginx =="
bench/wrk_xtream.sh "$SECONDS_TO_RUN" 64
