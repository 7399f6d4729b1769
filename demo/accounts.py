"""The demo city's counties, units and accounts, created or updated in place (the frame rows
outlive a rebuild of the demo years)."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from assessment.models import County, Unit, User
from demo.plan import LEAD_USERNAME, city_plan


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    bound_to: str


def upsert_counties() -> dict[str, County]:
    """Side effects: creates or renames the demo counties. Returns them by code."""
    counties = city_plan().counties
    County.objects.bulk_create(
        [County(code=c.code, name=c.name) for c in counties],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    return County.objects.in_bulk([c.code for c in counties], field_name="code")


def upsert_units() -> dict[str, Unit]:
    """Side effects: creates or renames the demo units. Returns them by code."""
    units = city_plan().units
    Unit.objects.bulk_create(
        [Unit(code=code, name=name) for code, name in units],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    return Unit.objects.in_bulk([code for code, _name in units], field_name="code")


def _users(counties: dict[str, County], units: dict[str, Unit]) -> list[User]:
    """The lead department, one account per unit, one per county (unsaved)."""
    users = [
        User(
            username=LEAD_USERNAME,
            first_name="市委考核办",
            role=User.Role.LEAD,
            is_staff=True,
            is_superuser=True,
        )
    ]
    users += [
        User(
            username=f"unit-{u.code}",
            first_name=u.name,
            role=User.Role.UNIT,
            unit=u,
            email=f"unit-{u.code.lower()}@jiangchuan.example",
        )
        for u in units.values()
    ]
    users += [
        User(
            username=f"county-{c.code}",
            first_name=c.name,
            role=User.Role.COUNTY,
            county=c,
            email=f"county-{c.code}@jiangchuan.example",
        )
        for c in counties.values()
    ]
    return users


def upsert_accounts(
    *, password: str, counties: dict[str, County], units: dict[str, Unit]
) -> tuple[list[Account], User]:
    """Side effects: creates or updates every demo account, each with ``password`` (active).

    Returns the accounts as the command lists them, and the lead department's user.
    """
    # One hash for all: the accounts share the password anyway, and hashing each with the
    # production hasher would take seconds.
    hashed = make_password(password)
    users = _users(counties, units)
    for user in users:
        user.password = hashed
        user.is_active = True
    User.objects.bulk_create(
        users,
        update_conflicts=True,
        unique_fields=["username"],
        update_fields=[
            "first_name",
            "role",
            "unit",
            "county",
            "email",
            "is_staff",
            "is_superuser",
            "is_active",
            "password",
        ],
    )
    accounts = [
        Account(
            username=user.username,
            role=str(User.Role(user.role).label),
            bound_to=str(user.unit or user.county or ""),
        )
        for user in users
    ]
    return accounts, User.objects.get(username=LEAD_USERNAME)
