"""Fails on a doctest case name that ctest cannot run: doctest_discover_tests splits test
lists on ';', so a name holding one registers a test that matches nothing and "passes"
without running. Names must also be unique within a binary's sources."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
NAME = re.compile(r'TEST_CASE(?:_TEMPLATE)?\(\s*"((?:[^"\\]|\\.)*)"', re.S)
problems = []
seen = {}
for path in sorted(root.rglob("*.cpp")):
    for m in NAME.finditer(path.read_text()):
        name = m.group(1)
        where = f"{path.relative_to(root)}"
        if ";" in name:
            problems.append(f"{where}: ';' in test name: {name}")
        if name in seen:
            problems.append(f"{where}: test name also in {seen[name]}: {name}")
        seen[name] = where
for p in problems:
    print(p)
print(f"test names: {len(seen)} checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
