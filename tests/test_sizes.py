"""Sizes a reader can hold: no product module over 500 lines, no function over 60 (STYLE.md).

Product code is every app, the settings (``config/``) and the load test; migrations are
generated and left out, as are the tests and the benchmark. A function's length runs from its
``def`` line to its last line, its docstring and nested functions included. The check is
AST-based, and each test names what breaks.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = [
    "assessment", "indicators", "scoring", "alerts", "reports", "api", "demo", "config",
    "loadtest",
]  # fmt: skip
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def _modules(root: Path, package: str) -> list[Path]:
    return sorted(path for path in (root / package).rglob("*.py") if "migrations" not in path.parts)


def long_modules(root: Path, package: str) -> dict[str, int]:
    """The modules of ``package`` over :data:`MAX_MODULE_LINES` lines, with their length."""
    found = {}
    for path in _modules(root, package):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found[str(path.relative_to(root))] = lines
    return found


def long_functions(root: Path, package: str) -> dict[str, int]:
    """The functions and methods of ``package`` over :data:`MAX_FUNCTION_LINES` lines, as
    "path: name" with their length."""
    found = {}
    for path in _modules(root, package):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    found[f"{path.relative_to(root)}: {node.name}"] = lines
    return found


@pytest.mark.parametrize("package", PRODUCT)
def test_sizes_no_module_over_500_lines(package):
    assert long_modules(ROOT, package) == {}


@pytest.mark.parametrize("package", PRODUCT)
def test_sizes_no_function_over_60_lines(package):
    assert long_functions(ROOT, package) == {}


def _write(path: Path, function_body_lines: int, module_lines: int) -> None:
    """A module of ``module_lines`` lines holding a method of ``function_body_lines`` + 1."""
    lines = ["class A:", "    def method(self):"]
    lines += [f"        x{n} = {n}" for n in range(function_body_lines)]
    lines += ["# padding"] * (module_lines - len(lines))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_sizes_planted_long_module_and_function_are_found(tmp_path):
    """The checks find a module of 501 lines and a function of 61, nothing at the limits, and
    nothing in migrations."""
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    _write(tmp_path / "app" / "fits.py", 59, 500)
    _write(tmp_path / "app" / "long.py", 60, 501)
    _write(tmp_path / "app" / "migrations" / "0001_initial.py", 200, 900)
    assert long_modules(tmp_path, "app") == {"app/long.py": 501}
    assert long_functions(tmp_path, "app") == {"app/long.py: method": 61}
