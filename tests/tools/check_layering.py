#!/usr/bin/env python3
"""Fails on an #include that points against the layering of DESIGN.md:
core <- events <- projections <- adapters, api <- app. Also keeps Beast, RocksDB and librdkafka
out of headers (they cost every includer seconds of compile time)."""
import pathlib
import re
import sys

ALLOWED = {
    "core": {"core"},
    "events": {"core", "events"},
    "projections": {"core", "events", "projections"},
    "adapters": {"core", "events", "projections", "adapters"},
    "api": {"core", "events", "projections", "api"},
    "app": {"core", "events", "projections", "adapters", "api", "app"},
}
# app/ is compiled without simdjson's definitions (SIMDJSON_THREADS_ENABLED comes with the
# simdjson target the lower layers link): an app/ file that parsed with simdjson would define
# its inline functions with another layout of dom::parser, and the release build crashed on it.
SIMDJSON = re.compile(r'#include\s*[<"](simdjson\.h|events/json_reader\.hpp|events/codec_kit\.hpp|events/[a-z_/]+_json\.hpp)')
HEAVY = re.compile(r'#include\s*[<"](boost/beast|boost/asio|rocksdb/|librdkafka/|rdkafka)')
INCLUDE = re.compile(r'#include\s*"([a-z_]+)/')

root = pathlib.Path(sys.argv[1])
problems = []
for layer, allowed in ALLOWED.items():
    for path in sorted((root / layer).rglob("*")):
        if path.suffix not in {".hpp", ".cpp", ".h"}:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.search(line)
            if m and m.group(1) in ALLOWED and m.group(1) not in allowed:
                problems.append(f"{path.relative_to(root)}:{n}: {layer}/ may not include {m.group(1)}/")
            if layer == "app" and SIMDJSON.search(line):
                problems.append(f"{path.relative_to(root)}:{n}: app/ parses JSON with Boost.JSON (simdjson is not set up there): {line.strip()}")
            if path.suffix in {".hpp", ".h"} and HEAVY.search(line):
                problems.append(f"{path.relative_to(root)}:{n}: heavy include in a header: {line.strip()}")
for p in problems:
    print(p)
print(f"layering: {len(problems)} problems")
sys.exit(1 if problems else 0)
