"""Fail when requirements.txt, requirements-dev.txt and requirements-lock.txt disagree: a pin missing from the
lock, or another version.

Stdlib only: it runs before the virtual environment has anything installed.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path, seen=None):
    """{name: version} of a requirements file, following -r includes."""
    seen = seen if seen is not None else {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("-r "):
            pins(path.parent / line[3:].strip(), seen)
        elif match := PIN.match(line):
            seen[canonical(match[1])] = match[2]
    return seen


def disagreements(root=ROOT):
    direct = pins(root / "requirements-dev.txt")
    locked = pins(root / "requirements-lock.txt")
    problems = []
    for name, version in sorted(direct.items()):
        if name not in locked:
            problems.append(f"{name}=={version} is not in requirements-lock.txt")
        elif locked[name] != version:
            problems.append(f"{name}: requirements say {version}, requirements-lock.txt has {locked[name]}")
    return problems


if __name__ == "__main__":
    problems = disagreements()
    for problem in problems:
        print(problem, file=sys.stderr)
    sys.exit(1 if problems else 0)
