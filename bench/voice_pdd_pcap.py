#!/usr/bin/env python3
"""Where the post-dial delay goes, per call, from a loopback capture of the Kamailio bench.

usage: bench/voice_pdd_pcap.py CAPTURE.pcap

Reads a classic pcap (tcpdump -w, loopback, Ethernet or Linux cooked frames), finds each proxy
(a UDP port that both receives and sends INVITEs: Kamailio), and for each call (Call-ID) times,
with the capture's microsecond stamps:
  in->req    INVITE reaches Kamailio -> Kamailio's HTTP routing request (POST
             /v1/voice/kamailio/route carrying the call_id) leaves
  req->resp  that request -> Switchyard's HTTP answer on the same connection
  resp->out  the answer -> Kamailio's INVITE to the carrier
  in->out    INVITE in -> INVITE out: the proxy's whole share of the post-dial delay
Prints p50/p90/p99/max per segment and proxy, in capture order (the bench runs Switchyard on the
RocksDB log, then on the memory log, then the dispatcher floor), then each proxy's in->out minus
the last proxy's (the floor).
"""
import re
import struct
import sys

CALL_ID = re.compile(rb'\r\n(?:Call-ID|i): *([^\r\n]+)', re.I)
JSON_CALL_ID = re.compile(rb'"call_id": *"([^"]+)"')


def packets(path):
    with open(path, 'rb') as f:
        head = f.read(24)
        magic, = struct.unpack('<I', head[:4])
        scale = 1e9 if magic == 0xa1b23c4d else 1e6
        link, = struct.unpack('<I', head[20:24])
        skip = {1: 14, 113: 16, 0: 4}.get(link, 0)
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, _ = struct.unpack('<IIII', rec)
            frame = f.read(incl)
            ip = frame[skip:]
            if len(ip) < 20 or ip[0] >> 4 != 4:
                continue
            l4 = ip[(ip[0] & 15) * 4:]
            if ip[9] == 17:
                payload = l4[8:]
            elif ip[9] == 6:
                payload = l4[(l4[12] >> 4) * 4:]
            else:
                continue
            sport, dport = struct.unpack('>HH', l4[:4])
            yield sec + frac / scale, ip[9], sport, dport, payload


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] * 1000


def main(path):
    pkts = [p for p in packets(path) if p[4]]
    invites = [(s, d) for _, proto, s, d, p in pkts if proto == 17 and p.startswith(b'INVITE ')]
    senders = {s for s, _ in invites}
    proxies = []
    for _, d in invites:
        if d in senders and d not in proxies:
            proxies.append(d)
    shares = []
    for proxy in proxies:
        carriers = {d for s, d in invites if s == proxy}
        calls, waiting = {}, {}
        for t, proto, s, d, p in pkts:
            if proto == 17 and p.startswith(b'INVITE '):
                m = CALL_ID.search(p)
                if not m:
                    continue
                cid = m.group(1).strip()
                if d == proxy and cid not in calls:
                    calls[cid] = {'in': t}
                elif s == proxy and d in carriers and cid in calls and 'out' not in calls[cid]:
                    calls[cid]['out'] = t
            elif proto == 6:
                m = JSON_CALL_ID.search(p)
                if m and b'/v1/voice/kamailio/route' in p and m.group(1) in calls:
                    calls[m.group(1)]['req'] = t
                    waiting[(s, d)] = m.group(1)
                elif p.startswith(b'HTTP/1.1') and (d, s) in waiting:
                    calls[waiting.pop((d, s))]['resp'] = t
        print(f'proxy udp/{proxy}: {len(calls)} calls')
        for name, a, b in (('in->req', 'in', 'req'), ('req->resp', 'req', 'resp'),
                           ('resp->out', 'resp', 'out'), ('in->out', 'in', 'out')):
            xs = [c[b] - c[a] for c in calls.values() if a in c and b in c]
            if xs:
                print(f'  {name:10} n={len(xs):5}  p50 {percentile(xs, .5):6.3f} ms  '
                      f'p90 {percentile(xs, .9):6.3f}  p99 {percentile(xs, .99):6.3f}  '
                      f'max {max(xs) * 1000:7.3f}')
        xs = [c['out'] - c['in'] for c in calls.values() if 'in' in c and 'out' in c]
        shares.append((percentile(xs, .5), percentile(xs, .99)) if xs else None)
    floor = shares[-1] if len(shares) >= 2 else None
    for proxy, share in zip(proxies[:-1], shares[:-1]):
        if share and floor:
            print(f'added by proxy udp/{proxy} (in->out minus the last proxy\'s, the floor): '
                  f'p50 {share[0] - floor[0]:+.3f} ms  p99 {share[1] - floor[1]:+.3f} ms')


if __name__ == '__main__':
    main(sys.argv[1])
