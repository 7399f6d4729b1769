"""The layers hold: assessment → indicators → scoring → alerts → reports → demo (STYLE.md).

The frame of the year (``assessment``) is at the bottom. A lower app never imports a higher
one, none of its models refers to a higher app's model (by class or by string label), and
none of its migrations depends on a higher app's migration. Each test names what breaks.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["assessment", "indicators", "scoring", "alerts", "reports", "api", "demo"]


def _allowed(app: str) -> set[str]:
    """The apps ``app`` may depend on: itself and every app below it."""
    return set(LAYERS[: LAYERS.index(app) + 1])


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
    upward = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) - _allowed(app))
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and _imported_apps(path) - _allowed(app)
    }
    assert upward == {}


@pytest.mark.parametrize("app", LAYERS)
def test_layering_no_upward_model_references(app):
    """Every relation of every model of ``app`` points at its own app or a lower one."""
    upward = sorted(
        f"{model.__name__}.{field.name} → {field.related_model._meta.label}"
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields(include_hidden=True)
        if field.is_relation
        and not field.auto_created
        and field.related_model is not None
        and field.related_model._meta.app_label in set(LAYERS) - _allowed(app)
    )
    assert upward == []


@pytest.mark.parametrize("app", LAYERS)
def test_layering_no_upward_model_labels_in_source(app):
    """No string label of a higher app's model hides in the source ("scoring.Warning")."""
    higher = set(LAYERS) - _allowed(app)
    upward = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                label = node.value.split(".")
                if len(label) == 2 and label[0] in higher and label[1][:1].isupper():
                    upward.append(f"{path.relative_to(ROOT)}: {node.value}")
    assert upward == []


@pytest.mark.parametrize("app", LAYERS)
def test_layering_no_upward_migration_dependencies(app):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    upward = sorted(
        f"{name} → {dep_app}.{dep_name}"
        for (label, name), migration in loader.disk_migrations.items()
        if label == app
        for dep_app, dep_name in migration.dependencies
        if dep_app in set(LAYERS) - _allowed(app)
    )
    assert upward == []


def test_layering_swappable_user_lives_at_the_bottom(settings):
    assert settings.AUTH_USER_MODEL == "assessment.User"
