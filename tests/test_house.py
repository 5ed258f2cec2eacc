"""The house rules a reader relies on: areas declare what they bring, start-up stays light, modules stay small."""
import ast
import json
import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from fieldapp.area import installed

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*sorted((ROOT / "fieldapp").rglob("*.py")), *sorted((ROOT / "sync").rglob("*.py")),
           ROOT / "wsgi.py", ROOT / "gunicorn.conf.py"]
HEAVY = ("fpdf", "folium", "openpyxl", "boto3")


def area_modules(area):
    """The modules of an area's package, by name."""
    package = sys.modules[area.blueprints[0].import_name].__name__.rpartition(".")[0]
    path = Path(sys.modules[package].__file__).parent
    return {f"{package}.{info.name}": path / f"{info.name}.py" for info in pkgutil.iter_modules([str(path)])}


def test_every_view_is_on_a_module_its_area_declares(app):
    declared = {module.__name__ for area in installed(app) for module in area.views}
    declared |= {"fieldapp.photos.routes", "fieldapp.openapi"}  # the base's blueprints, installed by create_app
    undeclared = {endpoint: view.__module__ for endpoint, view in app.view_functions.items()
                  if endpoint != "static" and view.__module__ not in declared}
    assert undeclared == {}


def test_every_module_that_adds_views_is_declared_by_its_area(app):
    """A view module nobody imports would have no routes at all, silently: each is in its area's `views`."""
    missing = []
    for area in installed(app):
        declared = {module.__name__ for module in area.views}
        for name, path in area_modules(area).items():
            if re.search(r"^@bp\.(route|get|post|put|delete)\(", path.read_text(), re.M) and name not in declared:
                missing.append(name)
    assert missing == []


def test_the_app_is_built_without_the_heavy_libraries(tmp_path):
    """PDF, maps, spreadsheets and S3 are imported where they are used, not by every process at start."""
    script = ("import json, sys; from fieldapp import create_app; "
              f"create_app({{'DATABASE': {str(tmp_path / 'x.db')!r}, 'SECRET_KEY': 'x', 'TESTING': True}}); "
              f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_every_part_of_fieldapp_has_its_layer():
    """A module left out of the layers contract could import anything without import-linter noticing."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layered = set(re.findall(r"fieldapp\.\w+", " ".join(contracts[0]["layers"])))
    parts = {f"fieldapp.{info.name}" for info in pkgutil.iter_modules([str(ROOT / "fieldapp")])}
    assert parts - layered == set()


def test_no_module_is_named_by_a_string():
    """Imports are statements a reader (and import-linter) can follow: no import_module, no __import__."""
    found = [f"{path.relative_to(ROOT)}:{node.lineno}" for path in SOURCES
             for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Attribute) and node.attr in ("import_module", "find_spec")
             or isinstance(node, ast.Name) and node.id == "__import__"]
    assert found == []


def test_no_module_imports_at_its_bottom():
    """Imports stand at the top of a module (or inside the function that needs them), never after code."""
    late = []
    for path in SOURCES:
        body = ast.parse(path.read_text()).body
        seen_code = False
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                if seen_code:
                    late.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
                seen_code = True
    assert late == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small(path):
    assert len(path.read_text().splitlines()) <= 300


def test_every_noqa_says_why():
    bare = [f"{path.relative_to(ROOT)}:{n}" for path in SOURCES
            for n, line in enumerate(path.read_text().splitlines(), 1)
            if re.search(r"#\s*noqa(:\s*[A-Z]+[0-9]+(,\s*[A-Z]+[0-9]+)*)?\s*$", line)]
    assert bare == []
