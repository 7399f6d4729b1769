"""The layers hold: assessment → indicators → scoring → alerts → reports → api → demo (STYLE.md).

The frame of the year (``assessment``) is at the bottom. A lower app never imports a higher
one, none of its models refers to a higher app's model (by class or by string label), none of
its migrations depends on a higher app's migration, and neither its code nor its templates
name a higher app's URL (``"reports:explain"``, ``{% url 'alerts:inbox' %}``): a higher app
puts its links on a lower page through ``assessment/links.py``. Each test names what breaks.
"""

import ast
import re
from pathlib import Path
from types import ModuleType

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader
from django.urls import get_resolver

from api.endpoints import api

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


def _url_namespaces() -> dict[str, str]:
    """Each URL namespace of the project → the app that owns it (its ``urls`` module's
    package; the data interface's namespace is set on its NinjaAPI)."""
    owners = {}
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if isinstance(resolver.urlconf_name, ModuleType):
            owners[namespace] = resolver.urlconf_name.__name__.split(".")[0]
    owners[api.urls_namespace] = "api"
    return {namespace: app for namespace, app in owners.items() if app in LAYERS}


# A quoted "namespace:name" in a template ({% url 'reports:explain' … %}, here == 'alerts:x').
QUOTED_URL_NAME = re.compile(r"""["']([A-Za-z_][\w-]*):[\w-]+["']""")


def _upward_url_names(app: str, root: Path, namespaces: dict[str, str]) -> list[str]:
    """Every name of a higher app's URL in ``root/app``'s Python code (string constants) and
    templates, as "path: name"."""
    higher = {ns for ns, owner in namespaces.items() if owner in set(LAYERS) - _allowed(app)}
    found = []
    for path in sorted((root / app).rglob("*")):
        if "migrations" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            names = [
                node.value
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            ]
            names = [n for n in names if re.fullmatch(r"[A-Za-z_][\w-]*:[\w-]+", n)]
        elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
            names = [m.group(0)[1:-1] for m in QUOTED_URL_NAME.finditer(path.read_text("utf-8"))]
        else:
            continue
        found += [f"{path.relative_to(root)}: {n}" for n in names if n.split(":")[0] in higher]
    return found


def test_layering_url_namespaces_are_known():
    assert _url_namespaces() == {
        "assessment": "assessment",
        "indicators": "indicators",
        "scoring": "scoring",
        "alerts": "alerts",
        "reports": "reports",
        "api_tokens": "api",
        "api": "api",
    }


@pytest.mark.parametrize("app", LAYERS)
def test_layering_no_upward_url_names(app):
    assert _upward_url_names(app, ROOT, _url_namespaces()) == []


def test_layering_upward_url_names_planted_are_found(tmp_path):
    """The check finds a higher app's URL name in code and in a template, and only those."""
    views = tmp_path / "scoring" / "results"
    views.mkdir(parents=True)
    (views / "views.py").write_text(
        "from django.urls import reverse\n\n\ndef link(year):\n"
        '    return reverse("reports:explain", kwargs={"year": year}),'
        ' reverse("scoring:results")\n',
        encoding="utf-8",
    )
    (views / "migrations").mkdir()
    (views / "migrations" / "0001_initial.py").write_text('NAME = "reports:statistics"\n')
    templates = tmp_path / "scoring" / "templates" / "scoring"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text(
        "<a href=\"{% url 'alerts:inbox' %}\">x</a> <a href=\"{% url 'indicators:rules' %}\">y</a>"
        '{% if here == "api_tokens:list" %}z{% endif %}',
        encoding="utf-8",
    )
    found = _upward_url_names("scoring", tmp_path, _url_namespaces())
    assert found == [
        "scoring/results/views.py: reports:explain",
        "scoring/templates/scoring/page.html: alerts:inbox",
        "scoring/templates/scoring/page.html: api_tokens:list",
    ]


def test_layering_swappable_user_lives_at_the_bottom(settings):
    assert settings.AUTH_USER_MODEL == "assessment.User"
