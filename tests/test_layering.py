"""Imports flow one way: indicators → scoring → assessment → alerts → reports (STYLE.md).

A lower app never imports a higher one; models of lower apps refer to higher ones by string
label only. This test reads every module of every app and fails on an upward import.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["indicators", "scoring", "assessment", "alerts", "reports"]


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_layering_no_upward_imports(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    upward = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) - allowed)
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and _imported_apps(path) - allowed
    }
    assert upward == {}
