#!/bin/sh
# Post-dial delay of the Kamailio call path: SY_BENCH_CALLS calls (default 3000) at
# SY_BENCH_RATE calls/s (default 300) through Kamailio 5.6 with SIPp, twice in one run:
# routed by Switchyard over HTTP (adapters/kamailio/kamailio.cfg, http_connect, the Kamailio
# surface served in process with test-only trunks, router and admission and the real CDR
# service), then by Kamailio's dispatcher from a static list (bench/voice_kamailio_dispatcher.cfg:
# the floor). Prints calls/s and PDD p50/p99 of each (SIPp ResponseTime1: INVITE sent -> 200
# received, -trace_rtt) and the difference.
# usage: bench/voice_kamailio_bench.sh [build dir, default build/release]
set -e
BUILD=${1:-build/release}
cmake --build "$BUILD" --target voice_kamailio_tests >/dev/null
exec "$BUILD/tests/voice_kamailio_tests" --test-case='bench: *' --no-skip --success=false
