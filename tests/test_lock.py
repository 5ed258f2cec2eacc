"""The install is reproducible: every package pinned with hashes, and the lock agrees with the requirements."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tools.check_lock import disagreements, pins

ROOT = Path(__file__).resolve().parents[1]


def test_the_lock_agrees_with_the_direct_requirements():
    assert disagreements() == []


def test_every_locked_package_carries_a_hash():
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements-lock.txt").read_text())
    packages = [b for b in blocks if "==" in b.split("\n")[0]]
    assert len(packages) == len(pins(ROOT / "requirements-lock.txt")) > 40
    assert [b.split(" ")[0] for b in packages if "--hash=sha256:" not in b] == []


def test_a_requirement_changed_without_relocking_is_named(tmp_path):
    for name in ("requirements.txt", "requirements-dev.txt", "requirements-lock.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    runtime = tmp_path / "requirements.txt"
    runtime.write_text(runtime.read_text().replace("Flask==3.1.3", "Flask==3.1.2") + "not-a-dependency==1.0\n")
    assert disagreements(tmp_path) == [
        "flask: requirements say 3.1.2, requirements-lock.txt has 3.1.3",
        "not-a-dependency==1.0 is not in requirements-lock.txt",
    ]


def test_the_makefile_refuses_a_stale_lock_naming_the_command_that_fixes_it(tmp_path):
    tree = tmp_path / "tree"
    (tree / "tools").mkdir(parents=True)
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt", "requirements-lock.txt",
                 "tools/check_lock.py"):
        shutil.copy(ROOT / name, tree / name)
    (tree / "requirements.txt").write_text((tree / "requirements.txt").read_text() + "not-a-dependency==1.0\n")
    # A venv that exists, so make goes straight to the lock check.
    (tree / ".venv" / "bin").mkdir(parents=True)
    (tree / ".venv" / "bin" / "activate").touch()
    result = subprocess.run(["make", "-s", ".stamp-deps", f"PYTHON={sys.executable}"], cwd=tree,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "requirements-lock.txt is out of date: run 'make lock'" in result.stderr
