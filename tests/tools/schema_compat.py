#!/usr/bin/env python3
"""Fails when an event schema changed incompatibly inside one version since a base commit.

  schema_compat.py REPO [BASE]     compare schemas/events in the work tree with BASE (default HEAD~1)
  schema_compat.py --self-test     check the rules on examples

Breaking inside one version (a new meaning needs a new <type>.v<N+1>.json and an upcaster):
a schema file removed, a property removed, a property newly required, a property's type changed
to one that does not accept every old value, an enum that lost a value. Adding an optional
property, widening a type or an enum is compatible.
"""
import json
import pathlib
import subprocess
import sys


def types_of(prop):
    t = prop.get("type")
    if t is None:
        return None
    return set(t) if isinstance(t, list) else {t}


def breaking_changes(name, old, new, path=""):
    problems = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for field, old_prop in old_props.items():
        where = f"{name}: {path}{field}"
        if field not in new_props:
            problems.append(f"{where}: property removed")
            continue
        new_prop = new_props[field]
        ot, nt = types_of(old_prop), types_of(new_prop)
        if ot is not None and (nt is None or not ot <= nt) and not (ot == {"integer"} and "number" in (nt or set())):
            if nt is not None:
                problems.append(f"{where}: type changed from {sorted(ot)} to {sorted(nt)}")
        if "enum" in old_prop:
            lost = [v for v in old_prop["enum"] if v not in new_prop.get("enum", old_prop["enum"])]
            if lost:
                problems.append(f"{where}: enum lost {lost}")
        if old_prop.get("type") == "object" or "properties" in old_prop:
            problems += breaking_changes(name, old_prop, new_prop, f"{path}{field}.")
    newly_required = set(new.get("required", [])) - set(old.get("required", []))
    for field in sorted(newly_required):
        problems.append(f"{name}: {path}{field}: newly required")
    return problems


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True)


def compare(repo, base):
    if git(repo, "rev-parse", "--verify", "--quiet", base + "^{commit}").returncode != 0:
        print(f"no commit {base}: nothing to compare with")
        return 0
    listing = git(repo, "ls-tree", "-r", "--name-only", base, "--", "schemas/events")
    old_files = [f for f in listing.stdout.split() if f.endswith(".json")]
    problems = []
    for f in old_files:
        old = json.loads(git(repo, "show", f"{base}:{f}").stdout)
        current = pathlib.Path(repo) / f
        if not current.exists():
            problems.append(f"{f}: schema removed (keep it: stored events still have this shape)")
            continue
        problems += breaking_changes(f, old, json.loads(current.read_text()))
    for p in problems:
        print(p)
    print(f"schema compatibility against {base}: {len(old_files)} schemas, {len(problems)} breaking changes")
    return 1 if problems else 0


def self_test():
    base = {"properties": {"a": {"type": "integer"}, "b": {"type": "string"}, "c": {"enum": ["x", "y"]},
                           "o": {"type": "object", "properties": {"k": {"type": "string"}}}},
            "required": ["a"]}
    cases = {
        "unchanged": (base, 0),
        "optional field added": ({**base, "properties": {**base["properties"], "d": {"type": "string"}}}, 0),
        "type widened": ({**base, "properties": {**base["properties"], "a": {"type": ["integer", "null"]}}}, 0),
        "field removed": ({**base, "properties": {k: v for k, v in base["properties"].items() if k != "b"}}, 1),
        "newly required": ({**base, "required": ["a", "b"]}, 1),
        "type changed": ({**base, "properties": {**base["properties"], "a": {"type": "string"}}}, 1),
        "enum narrowed": ({**base, "properties": {**base["properties"], "c": {"enum": ["x"]}}}, 1),
        "nested removed": ({**base, "properties": {**base["properties"], "o": {"type": "object", "properties": {}}}}, 1),
    }
    failed = 0
    for label, (new, expected) in cases.items():
        got = len(breaking_changes("t", base, new))
        ok = (got > 0) == (expected > 0)
        failed += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {label}: {got} breaking")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1] == "--self-test":
        sys.exit(self_test())
    sys.exit(compare(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "HEAD~1"))
