"""The admin is the lead department's alone; permission and rule changes are audited."""

from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from assessment.models import User
from tests.factories import RuleItemFactory


def test_admin_lead_staff_can_open(client, lead):
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_county_staff_cannot_open(client, county_user):
    county_user.is_staff = county_user.is_superuser = True
    county_user.save()
    client.force_login(county_user)
    response = client.get(reverse("admin:index"))
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


def test_admin_unit_staff_cannot_open(client, unit_user):
    unit_user.is_staff = True
    unit_user.save()
    client.force_login(unit_user)
    assert client.get(reverse("admin:index")).status_code == 302


def test_audit_role_change_recorded_with_before_and_after(unit_user, county):
    unit_user.role, unit_user.unit, unit_user.county = User.Role.COUNTY, None, county
    unit_user.save()
    entry = LogEntry.objects.get_for_object(unit_user).order_by("-id").first()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["role"] == ["unit", "county"]


def test_audit_group_membership_recorded(unit_user):
    group = Group.objects.create(name="审核员")
    unit_user.groups.add(group)
    entry = LogEntry.objects.get_for_object(unit_user).order_by("-id").first()
    assert entry.changes_dict["groups"]["operation"] == "add"
    assert entry.changes_dict["groups"]["objects"] == ["审核员"]


def test_audit_rule_parameter_change_recorded(db):
    item = RuleItemFactory(method="rank", params="step=5")
    item.params = "step=4;floor=60"
    item.save()
    entry = LogEntry.objects.get_for_object(item).order_by("-id").first()
    assert entry.changes_dict["params"] == ["step=5", "step=4;floor=60"]


def test_record_change_of_an_unregistered_model_records_the_changed_fields(lead):
    from copy import copy
    from decimal import Decimal

    from assessment.audit import record_change
    from tests.factories import AnnualInputFactory

    old = AnnualInputFactory(actual=Decimal("80"))
    old.refresh_from_db()
    new = copy(old)
    new.actual = Decimal("85.500000")
    entry = record_change(old, new, actor=lead, data={"reason": "复核更正"})
    assert (entry.actor, entry.changes_dict, entry.additional_data) == (
        lead,
        {"actual": ["80.000000", "85.500000"]},
        {"reason": "复核更正"},
    )
