#!/usr/bin/env python3
"""Runs a tour of README.md as written and checks what it prints.

    readme_tour.py hotspot SWITCHYARD REPO
    readme_tour.py voice SWITCHYARD REPO

The hotspot tour (README "## Hotspot"): its first sh block starts `scripts/hotspot-lab`, its
second one is run with bash in a working directory laid out like the repository (scripts,
adapters, config linked; build/release/switchyard -> SWITCHYARD; var/ the data directory of a
`switchyard serve` this script starts). The only changes to the text are the ports: the API's
8080 and the lab's 11812/13799/8081 become free ports, so the test runs beside anything else.

The voice tour (README "## Voice"): its first sh block (rate decks, CDR files, re-rating) runs
first, then the second starts `scripts/voice-lab` (Kamailio and two SIPp carriers), then the
third places a call through Kamailio. The working directory sits beside a `shared` link to the
repository's ../shared, as the README's `../shared/data` paths expect. Ports changed: the API's
8080 and the lab's 15060/15071/15072.

Exit codes: 0 when every expected line was printed, 1 when one was not (the tour's output is
printed), 77 (ctest SKIP) when FreeRADIUS, Chromium, Kamailio or SIPp is missing and CI is not set; under
CI=true a missing tool fails.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def skip(reason):
    if os.environ.get("CI") == "true":
        print(f"FAILED (CI=true): {reason}")
        sys.exit(1)
    print(f"SKIPPED: {reason}")
    sys.exit(77)


def blocks_after(readme, heading):
    text = readme[readme.index(heading):]
    nxt = text.find("\n## ", 1)
    if nxt > 0:
        text = text[:nxt]
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def wait_http(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return True
        except Exception:
            time.sleep(0.2)
    return False


def hotspot(switchyard, repo):
    for tool, package in (("freeradius", "freeradius"), ("radclient", "freeradius-utils"),
                          ("chromium", "chromium")):
        if not shutil.which(tool):
            skip(f"{tool} is not installed (Debian {package})")
    if not Path("/usr/lib/freeradius/rlm_rest.so").exists():
        skip("rlm_rest is not installed (Debian freeradius-rest)")
    readme = (repo / "README.md").read_text()
    blocks = blocks_after(readme, "## Hotspot")
    if len(blocks) < 2:
        print("README: the hotspot section has no two sh blocks")
        return 1
    api_port = free_port()
    # The lab takes radius_port for authentication and radius_port + 1 for accounting.
    while True:
        radius_port = free_port(socket.SOCK_DGRAM)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.bind(("127.0.0.1", radius_port + 1))
            break
        except OSError:
            continue
    coa_port = free_port(socket.SOCK_DGRAM)
    router_port = free_port()

    def ports(text):
        text = text.replace("127.0.0.1:8080", f"127.0.0.1:{api_port}")
        text = text.replace('"coa_port":13799', f'"coa_port":{coa_port}')
        return text.replace(
            "scripts/hotspot-lab start",
            f"scripts/hotspot-lab start --api http://127.0.0.1:{api_port} "
            f"--radius-port {radius_port} --coa-port {coa_port} --router-port {router_port}")

    work = Path(tempfile.mkdtemp(prefix="sy-tour-"))
    procs = []
    try:
        for name in ("scripts", "adapters", "config"):
            (work / name).symlink_to(repo / name)
        (work / "build" / "release").mkdir(parents=True)
        (work / "build" / "release" / "switchyard").symlink_to(switchyard)
        server, ok = start_server(switchyard, work, api_port,
                                  ("--hotspot-config", str(repo / "config" / "hotspot")))
        procs.append(server)
        if not ok:
            return 1
        lab_log = open(work / "lab.log", "w")
        lab = subprocess.Popen(["bash", "-c", ports(blocks[0])], cwd=work, stdout=lab_log,
                               stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(lab)
        deadline = time.time() + 60
        while "hotspot lab ready" not in (work / "lab.log").read_text():
            if lab.poll() is not None or time.time() > deadline:
                print((work / "lab.log").read_text()[-4000:])
                print("the lab did not start")
                return 1
            time.sleep(0.2)
        tour = subprocess.run(["bash", "-c", ports(blocks[1])], cwd=work, capture_output=True,
                              text=True, timeout=600)
        out = tour.stdout + tour.stderr
        print(out)
        expected = [
            # The NAS, the plan and the batch were created.
            (r'"nas_id":"lobby"', "the NAS"),
            (r'"plan_id":"day-pass"', "the plan"),
            (r'"codes":\["HT', "the batch's codes"),
            (r"%PDF-", "the sheet is a PDF"),
            # The portal's login through FreeRADIUS.
            (r"CHAP login of HT[A-Z0-9]+: Access-Accept", "the portal login (CHAP) accepted"),
            (r"Mikrotik-Rate-Limit = 2000k/10000k", "the plan's rate limit"),
            (r"Accounting Start: Accounting-Response", "the session started"),
            (r'"state":"active"', "the voucher is active"),
            (r'"acct_session_id":"[0-9A-F]+"', "the session is listed"),
            # The quota crossing cuts the session at the NAS, and the log says so.
            (r"Interim-Update for HT[A-Z0-9]+ .*: Accounting-Response", "the interim update"),
            (r"Disconnect-Request .*User-Name=HT", "the Disconnect-Request at the NAS"),
            (r'"type":"hotspot\.account\.exhausted"', "the crossing in the log"),
            (r'"type":"hotspot\.dae\.completed"', "the Disconnect's outcome in the log"),
            (r"Access-Reject", "the used-up voucher refused"),
            (r'"hotspot_nas":\[\{"nas_id":"lobby".*"state":"reachable"', "/readyz lists the NAS"),
        ]
        missing = [what for pattern, what in expected if not re.search(pattern, out)]
        if tour.returncode != 0:
            missing.append(f"the tour's last command exited {tour.returncode}")
        if missing:
            print("lab log:\n" + (work / "lab.log").read_text()[-3000:])
            print("server log:\n" + (work / "server.log").read_text()[-3000:])
            for m in missing:
                print(f"MISSING: {m}")
            return 1
        print(f"the hotspot tour printed all {len(expected)} expected results")
        return 0
    finally:
        stop_all(procs)
        shutil.rmtree(work, ignore_errors=True)


def start_server(switchyard, work, api_port, extra=()):
    server_log = open(work / "server.log", "w")
    server = subprocess.Popen(
        [switchyard, "serve", "--data-dir", str(work / "var"), "--listen",
         f"127.0.0.1:{api_port}", *extra],
        cwd=work, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True)
    if not wait_http(f"http://127.0.0.1:{api_port}/healthz"):
        print((work / "server.log").read_text()[-4000:])
        print("the server did not start")
        return server, False
    deadline = time.time() + 30
    while not (work / "var" / "admin.key").exists() and time.time() < deadline:
        time.sleep(0.1)
    return server, True


def stop_all(procs):
    for p in reversed(procs):
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def voice(switchyard, repo):
    for tool, package in (("kamailio", "kamailio"), ("sipp", "sip-tester")):
        if not shutil.which(tool):
            skip(f"{tool} is not installed (Debian {package})")
    if not Path("/usr/lib/x86_64-linux-gnu/kamailio/modules/http_client.so").exists():
        skip("http_client.so is not installed (Debian kamailio-utils-modules)")
    shared = (repo.parent / "shared").resolve()
    if not (shared / "data" / "voip").is_dir():
        print(f"{shared}/data/voip is missing: the tour reads its decks and CDRs there")
        return 1
    readme = (repo / "README.md").read_text()
    blocks = blocks_after(readme, "## Voice")
    if len(blocks) < 3:
        print("README: the voice section has no three sh blocks")
        return 1
    api_port = free_port()
    sip_port = free_port(socket.SOCK_DGRAM)
    carrier_a = free_port(socket.SOCK_DGRAM)
    carrier_b = free_port(socket.SOCK_DGRAM)
    while carrier_b in (carrier_a, sip_port) or carrier_a == sip_port:
        carrier_a, carrier_b = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)

    def ports(text):
        text = text.replace("127.0.0.1:8080", f"127.0.0.1:{api_port}")
        text = text.replace('"port":15071', f'"port":{carrier_a}')
        text = text.replace('"port":15072', f'"port":{carrier_b}')
        return text.replace(
            "scripts/voice-lab start",
            f"scripts/voice-lab start --api http://127.0.0.1:{api_port} "
            f"--sip-port {sip_port} --carrier-ports {carrier_a},{carrier_b}")

    top = Path(tempfile.mkdtemp(prefix="sy-tour-"))
    work = top / "main"
    work.mkdir()
    (top / "shared").symlink_to(shared)
    procs = []
    try:
        for name in ("scripts", "adapters", "config"):
            (work / name).symlink_to(repo / name)
        (work / "build" / "release").mkdir(parents=True)
        (work / "build" / "release" / "switchyard").symlink_to(switchyard)
        server, ok = start_server(switchyard, work, api_port)
        procs.append(server)
        if not ok:
            return 1
        rating = subprocess.run(["bash", "-c", ports(blocks[0])], cwd=work, capture_output=True,
                                text=True, timeout=900)
        print(rating.stdout[-3000:] + rating.stderr[-3000:])
        if rating.returncode != 0 or '"balance":"8.441600"' not in rating.stdout:
            print("MISSING: the rating tour's last balance 8.441600")
            return 1
        lab_log = open(work / "lab.log", "w")
        lab = subprocess.Popen(["bash", "-c", ports(blocks[1])], cwd=work, stdout=lab_log,
                               stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(lab)
        deadline = time.time() + 60
        while "voice lab ready" not in (work / "lab.log").read_text():
            if lab.poll() is not None or time.time() > deadline:
                print((work / "lab.log").read_text()[-4000:])
                print("the lab did not start")
                return 1
            time.sleep(0.2)
        tour = subprocess.run(["bash", "-c", ports(blocks[2])], cwd=work, capture_output=True,
                              text=True, timeout=600)
        out = tour.stdout + tour.stderr
        print(out)
        expected = [
            (r'"carrier_id":"lab-a"', "the carriers"),
            (r'"gateway_id":"lab-b-1"', "the gateways"),
            (r'"deck_id":"lab-b"', "the buy decks"),
            (r'"trunk_id":"stadion-pbx"', "the trunk"),
            (r'"routes":\[\{[^\]]*"carrier_id":"lab-a"[^\]]*"carrier_id":"lab-b"',
             "the plan explained: lab-a before lab-b"),
            (r"200 OK, answered by carrier a's gateway", "the call reached the cheaper carrier"),
            (r'"status":"rated"', "the CDR rated from the call events"),
            (r'"billsec":(19|20)\b', "the CDR's billsec"),
        ]
        missing = [what for pattern, what in expected if not re.search(pattern, out)]
        balances = re.findall(r'"balance":"([0-9.-]+)"', out)
        if not balances or not float(balances[-1]) < 8.4416:
            missing.append("the balance debited below 8.441600")
        if tour.returncode != 0:
            missing.append(f"the tour's last command exited {tour.returncode}")
        if missing:
            print("lab log:\n" + (work / "lab.log").read_text()[-3000:])
            kam = work / "var" / "voice-lab" / "kamailio.log"
            if kam.exists():
                print("kamailio log:\n" + kam.read_text()[-3000:])
            print("server log:\n" + (work / "server.log").read_text()[-3000:])
            for m in missing:
                print(f"MISSING: {m}")
            return 1
        print(f"the voice tour printed all {len(expected) + 1} expected results")
        return 0
    finally:
        stop_all(procs)
        shutil.rmtree(top, ignore_errors=True)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("hotspot", "voice"):
        print(__doc__)
        return 2
    tour = hotspot if sys.argv[1] == "hotspot" else voice
    return tour(Path(sys.argv[2]).resolve(), Path(sys.argv[3]).resolve())


if __name__ == "__main__":
    sys.exit(main())
