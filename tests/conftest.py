"""Shared fixtures: named personas per role, including outsiders who must see nothing.

- ``lead``: the lead department (sees everything);
- ``unit_user`` / ``other_unit_user``: two responsible units (``unit`` / ``other_unit``);
- ``county_user`` / ``other_county_user``: two counties (``county`` / ``other_county``).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.signals import setting_changed
from django.utils.functional import empty

from assessment.models import User
from assessment.uploads import private_storage
from reports.publication import publish
from tests.clients import EnglishClient
from tests.factories import CountyFactory, UnitFactory, UserFactory
from tests.pages import build_cycle

ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session):
    """Compile the catalogues whose .po is newer than its .mo (they are build output), so that
    the Chinese pages are tested on what the .po files say, also after a merge."""
    stale = [
        po
        for po in ROOT.glob("**/locale/*/LC_MESSAGES/django.po")
        if ".venv" not in po.parts
        and (
            not po.with_suffix(".mo").exists()
            or po.stat().st_mtime > po.with_suffix(".mo").stat().st_mtime
        )
    ]
    if stale:
        call_command("compilemessages", ignore_patterns=[".venv", "*/.venv"], verbosity=0)
        # Catalogues read before they were compiled are cached: have Django read them again,
        # as it does when a test changes LOCALE_PATHS.
        setting_changed.send(
            sender=settings._wrapped.__class__,
            setting="LOCALE_PATHS",
            value=settings.LOCALE_PATHS,
            enter=True,
        )


@pytest.fixture
def client(db):
    """A test client that reads English (chosen in its session, tests/clients.py): assertions
    read the English source strings, whatever the Chinese catalogue says
    (tests/config/test_i18n.py checks the Chinese)."""
    return EnglishClient()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Private files of each test in its own temporary directory, not in the checkout."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield settings.PRIVATE_MEDIA_ROOT
    private_storage._wrapped = empty


@pytest.fixture
def unit(db):
    return UnitFactory(code="TJJ", name="市统计局")


@pytest.fixture
def other_unit(db):
    return UnitFactory(code="CZJ", name="市财政局")


@pytest.fixture
def county(db):
    return CountyFactory(code="101", name="东城区")


@pytest.fixture
def other_county(db):
    return CountyFactory(code="102", name="西城区")


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", role=User.Role.LEAD)


@pytest.fixture
def unit_user(unit):
    return UserFactory(username="unit-TJJ", role=User.Role.UNIT, unit=unit)


@pytest.fixture
def other_unit_user(other_unit):
    return UserFactory(username="unit-CZJ", role=User.Role.UNIT, unit=other_unit)


@pytest.fixture
def county_user(county):
    return UserFactory(username="county-101", role=User.Role.COUNTY, county=county)


@pytest.fixture
def other_county_user(other_county):
    return UserFactory(username="county-102", role=User.Role.COUNTY, county=other_county)


@pytest.fixture
def computed(unit, other_unit, county, other_county):
    """A computed 2024 cycle of ``county`` and ``other_county`` (tests/pages.py)."""
    return build_cycle([county, other_county], [(90, 80), (70, 60)], units=(unit, other_unit))


@pytest.fixture
def published(computed, lead):
    """``computed`` with its results published by the lead department."""
    publish(cycle=computed, actor=lead)
    return computed
