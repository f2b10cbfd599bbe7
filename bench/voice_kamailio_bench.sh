#!/bin/sh
# Post-dial delay of the Kamailio call path: SY_BENCH_CALLS calls (default 3000) at
# SY_BENCH_RATE calls/s (default 300) through Kamailio 5.6 with SIPp, twice in one run:
# routed by Switchyard over HTTP (adapters/kamailio/kamailio.cfg, http_connect, the Kamailio
# surface served in process on a RocksDB log with fsync, test-only trunks, router and admission
# and the real CDR service), then by Kamailio's dispatcher from a static list
# (bench/voice_kamailio_dispatcher.cfg: the floor). Prints calls/s and PDD p50/p99 of each as
# SIPp sees them (ResponseTime1, INVITE sent -> 200 received, whole milliseconds of SIPp's clock
# tick), then, from a tcpdump capture of loopback, the proxy's share in microseconds split into
# Kamailio before the HTTP request, Switchyard's answer, and Kamailio after it
# (bench/voice_pdd_pcap.py), and the difference to the dispatcher: the time Switchyard adds.
# Then the time of one fdatasync on the build directory's disk: the floor under a durable answer.
# SY_BENCH_DEFINES adds Kamailio defines (e.g. "SY_ROUTE_IN_RECEIVER"); SY_BENCH_PCAP=FILE keeps
# the capture there.
# usage: bench/voice_kamailio_bench.sh [build dir, default build/release]
set -e
BUILD=${1:-build/release}
HERE=$(dirname "$0")
cmake --build "$BUILD" --target voice_kamailio_tests >/dev/null
command -v tcpdump >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q tcpdump >/dev/null
if [ -n "$SY_BENCH_PCAP" ]; then
  CAPTURE=$SY_BENCH_PCAP  # kept for a closer look
else
  CAPTURE=$(mktemp --suffix=.pcap)
  trap 'rm -f "$CAPTURE"' EXIT
fi
tcpdump -i lo -s 0 -B 65536 -w "$CAPTURE" 'udp or tcp' 2>/dev/null &
DUMP=$!
sleep 1
rc=0
"$BUILD/tests/voice_kamailio_tests" --test-case='bench: *' --no-skip --success=false || rc=$?
sleep 1
kill "$DUMP"
wait "$DUMP" 2>/dev/null || true
echo "== the proxy's share of the post-dial delay, from the capture (bench/voice_pdd_pcap.py)"
python3 "$HERE/voice_pdd_pcap.py" "$CAPTURE"
echo "== one durable append needs one fdatasync: 2000 x (4 KiB write + fdatasync) in $BUILD"
python3 - "$BUILD" <<'PY'
import os, sys, time
path = os.path.join(sys.argv[1], 'fsync-probe')
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
took = []
for _ in range(2000):
    os.write(fd, b'x' * 4096)
    t = time.perf_counter()
    os.fdatasync(fd)
    took.append(time.perf_counter() - t)
os.close(fd)
os.unlink(path)
took.sort()
print('fdatasync p50 %.3f ms  p90 %.3f  p99 %.3f  max %.3f' % tuple(
    took[min(len(took) - 1, int(q * len(took)))] * 1000 for q in (.5, .9, .99, 1)))
PY
exit "$rc"
