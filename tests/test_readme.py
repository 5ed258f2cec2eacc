"""The README and docs/ stay true: their commands run, their tables list every setting and demo user,
their links lead somewhere."""
import os
import re
import shlex
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from fieldapp import create_app
from fieldapp.access import ROLES
from fieldapp.config import DEFAULTS
from fieldapp.demo import DEMO_PASSWORD, USERS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
DOCS = ROOT / "docs"
FLASK = ["flask", "--app", "wsgi"]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def page(name):
    return (DOCS / name).read_text()


def section(text, title):
    return text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def command_lines():
    """The lines of the first ```sh block of docs/cli.md, comments dropped."""
    block = re.search(r"```sh\n(.*?)```", section(page("cli.md"), "Commands"), re.DOTALL).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def shell_env(tmp_path):
    return {**os.environ, "CORTILE_DATABASE": str(tmp_path / "readme.db"),
            "CORTILE_PHOTOS_DIR": str(tmp_path / "photos"), "CORTILE_SECRET_KEY": "readme-test",
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


def bash(line, env):
    result = subprocess.run(["bash", "-c", line], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, f"`{line}` failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def split_pipe(line):
    """(what is piped in, the flask arguments) for `[producer |] flask --app wsgi ...`, else None.

    Only the last command of a pipe may be flask; the producer (`echo`, `printf`) stays shell text.
    """
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    tokens = list(lexer)
    producer = None
    if "|" in tokens:
        cut = len(tokens) - 1 - tokens[::-1].index("|")
        producer = " ".join(token if token == "|" else shlex.quote(token) for token in tokens[:cut])
        tokens = tokens[cut + 1:]
    if tokens[:len(FLASK)] != FLASK or "|" in tokens:
        return None
    return producer, tokens[len(FLASK):]


def test_the_two_commands_exist_in_the_makefile_and_ci():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.MULTILINE) and re.search(r"^test:", makefile, re.MULTILINE)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make run" in section(README, "Two commands") and "make test" in section(README, "Two commands")


def test_every_setting_is_in_the_configuration_table():
    table = page("configuration.md")
    missing = [key for key in DEFAULTS if f"`{key}`" not in table and not any(
        key.startswith(prefix) and f"`{prefix}*`" in table for prefix in ("SESSION_COOKIE_", "REMEMBER_COOKIE_"))]
    assert missing == []


def test_cli_page_command_lines_run_as_written(tmp_path, monkeypatch):
    """Each command of docs/cli.md's "Commands" block, in order, on a fresh database.

    The first runs as a real `flask` process (the console entry point, the environment, the migrations of a
    new database); the rest run in this process through Click, on one app built for that same database, with
    whatever a shell pipe would feed them as their input. A line that is not a flask command goes to bash.
    """
    env = shell_env(tmp_path)
    first, *rest = command_lines()
    assert len(rest) >= 5 and first.startswith("flask --app wsgi ")
    bash(first, env)
    monkeypatch.chdir(ROOT)
    app = create_app({"DATABASE": env["CORTILE_DATABASE"], "PHOTOS_DIR": env["CORTILE_PHOTOS_DIR"],
                      "SECRET_KEY": env["CORTILE_SECRET_KEY"]})
    runner = app.test_cli_runner()
    for line in rest:
        parsed = split_pipe(line)
        if parsed is None:
            bash(line, env)
            continue
        producer, args = parsed
        result = runner.invoke(args=args, input=bash(producer, env) if producer else None)
        error = "".join(traceback.format_exception(result.exception)) if result.exception else ""
        assert result.exit_code == 0, f"`{line}` failed ({result.exit_code}):\n{result.output}\n{error}"
    listed = runner.invoke(args=["users", "list"])
    assert "tutor.nuova" in listed.output


def test_a_wrong_command_line_fails(tmp_path):
    """The runner above does not pass a command that does not exist, or whose piped input is refused."""
    app = create_app({"DATABASE": str(tmp_path / "wrong.db"), "PHOTOS_DIR": str(tmp_path / "photos"),
                      "SECRET_KEY": "readme-test"})
    runner = app.test_cli_runner()
    assert split_pipe("ls docs") is None
    _producer, args = split_pipe("flask --app wsgi users remove somebody")
    assert runner.invoke(args=args).exit_code != 0
    producer, args = split_pipe("printf 'short\\n' | flask --app wsgi users create x --role admin")
    assert bash(producer, shell_env(tmp_path)) == "short\n"
    assert runner.invoke(args=args, input="short\n").exit_code != 0


@pytest.mark.parametrize("name", ["db upgrade", "demo load", "registry import", "users create", "users list"])
def test_stable_cli_names_exist(app, name):
    group, command = name.split()
    assert command in app.cli.commands[group].commands


def test_readme_is_a_front_door():
    assert len(README.splitlines()) <= 200


def test_readme_names_every_role_once():
    rows = [line for line in section(README, "Who uses it").splitlines() if line.startswith("| `")]
    assert sorted(re.match(r"\| `([a-z]+)`", row).group(1) for row in rows) == sorted(ROLES)


def markdown_files():
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md")), ROOT / "bench" / "RESULTS.md"]


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(path):
    broken = []
    for target in LINK.findall(path.read_text()):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        resolved = (path.parent / target.split("#", 1)[0]).resolve()
        if not resolved.exists() or not resolved.is_relative_to(ROOT):
            broken.append(target)
    assert broken == []


def test_developing_links_nothing_outside_the_repository():
    text = page("DEVELOPING.md")
    assert "http" not in text and "../shared" not in text


@pytest.mark.parametrize("name", ["README.md", "docs/DEVELOPING.md"])
def test_every_demo_user_is_listed(name):
    text = (ROOT / name).read_text()
    missing = [username for username, _name, role, presidio in USERS if not re.search(
        rf"^\| `{re.escape(username)}` \| {role} \|\s*{re.escape(presidio or '')}\s*\|", text, re.MULTILINE)]
    assert missing == [] and DEMO_PASSWORD in text
