#!/usr/bin/env python3
"""Fails when schemas/openapi.json differs from what `switchyard openapi` generates from the
router (the routes every module registers). Prints the operations that differ and how to update
the committed document."""
import json
import pathlib
import subprocess
import sys

binary, root = sys.argv[1], pathlib.Path(sys.argv[2])
committed_path = root / "schemas" / "openapi.json"
generated = subprocess.run([binary, "openapi"], check=True, capture_output=True, text=True).stdout
try:
    committed = committed_path.read_text()
except FileNotFoundError:
    print(f"{committed_path} is missing")
    committed = "{}"


def operations(text):
    doc = json.loads(text)
    return {(m.upper(), p): op for p, item in doc.get("paths", {}).items() for m, op in item.items()}


ours, theirs = operations(generated), operations(committed)
for key in sorted(set(ours) | set(theirs)):
    if key not in theirs:
        print(f"in the router, not in schemas/openapi.json: {key[0]} {key[1]}")
    elif key not in ours:
        print(f"in schemas/openapi.json, not in the router: {key[0]} {key[1]}")
    elif ours[key] != theirs[key]:
        print(f"differs: {key[0]} {key[1]}")
if generated != committed:
    print("schemas/openapi.json is not what the router gives; update it with:\n"
          "  build/dev/switchyard openapi --output schemas/openapi.json")
    sys.exit(1)
print(f"openapi: {len(ours)} operations match the router")
