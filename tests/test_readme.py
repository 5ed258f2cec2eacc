"""The README stays true: its commands run, its configuration table lists every setting."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp.config import DEFAULTS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def section(title):
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def command_lines():
    block = re.search(r"```sh\n(.*?)```", section("Command line"), re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def test_the_two_commands_exist_in_the_makefile_and_ci():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make run" in section("Two commands") and "make test" in section("Two commands")


def test_every_setting_is_in_the_configuration_table():
    table = section("Configuration")
    missing = [key for key in DEFAULTS if f"`{key}`" not in table and not any(
        key.startswith(prefix) and f"`{prefix}*`" in table for prefix in ("SESSION_COOKIE_", "REMEMBER_COOKIE_"))]
    assert missing == []


def test_readme_command_lines_run_as_written(tmp_path):
    """Run each command of the README's "Command line" section, in order, on a fresh database."""
    env = {**os.environ, "CORTILE_DATABASE": str(tmp_path / "readme.db"),
           "CORTILE_PHOTOS_DIR": str(tmp_path / "photos"), "CORTILE_SECRET_KEY": "readme-test",
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    lines = command_lines()
    assert len(lines) >= 5
    for line in lines:
        result = subprocess.run(["bash", "-c", line], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"`{line}` failed:\n{result.stdout}\n{result.stderr}"
    listed = subprocess.run(["bash", "-c", "flask --app wsgi users list"], cwd=ROOT, env=env,
                            capture_output=True, text=True).stdout
    assert "tutor.nuova" in listed


@pytest.mark.parametrize("name", ["db upgrade", "demo load", "registry import", "users create", "users list"])
def test_stable_cli_names_exist(app, name):
    group, command = name.split()
    assert command in app.cli.commands[group].commands
