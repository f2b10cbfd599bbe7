#!/usr/bin/env python3
"""Fails when a C++ file differs from what clang-format (the repo's .clang-format) makes of it."""
import pathlib
import subprocess
import sys

clang_format, root = sys.argv[1], pathlib.Path(sys.argv[2])
dirs = ["core", "events", "projections", "adapters", "api", "app", "bench", "tests"]
files = [p for d in dirs for p in sorted((root / d).rglob("*")) if p.suffix in {".hpp", ".cpp", ".h"}]
bad = [str(f.relative_to(root)) for f in files
       if subprocess.run([clang_format, "--dry-run", "-Werror", str(f)], capture_output=True).returncode != 0]
for f in bad:
    print(f"not formatted: {f}   (fix: clang-format -i {f})")
print(f"format: {len(files)} files, {len(bad)} not formatted")
sys.exit(1 if bad else 0)
