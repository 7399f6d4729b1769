"""The assessors' roster and teams: the conflict check refuses an assessor for the county they
come from or recently worked in, with the reason; teams, special assessments and diagnosis
cases pick from the roster; every change is audited."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from assessment.governance.assessors import (
    RECENT_YEARS,
    assign_team,
    conflicts,
    dissolve_team,
    special_team,
)
from assessment.models import (
    AssessmentTeam,
    Assessor,
    AssessorPosting,
    AssessorTraining,
    Cycle,
    PledgeCheck,
    SpecialTask,
)


@pytest.fixture
def zhang(county, unit):
    """A part-time assessor of a unit who comes from the county 101."""
    return Assessor.objects.create(name="张伟", kind="part_time", unit=unit, home_county=county)


@pytest.fixture
def li(db):
    """A full-time assessor of the lead department, who worked in 102 until 2022."""
    person = Assessor.objects.create(name="李娜", kind="full_time")
    return person


def _posted(person, county, until):
    AssessorPosting.objects.create(assessor=person, county=county, until_year=until)
    return Assessor.objects.prefetch_related("postings").get(pk=person.pk)


def test_conflicts_county_of_origin(zhang, county, other_county):
    with translation.override("en"):
        assert conflicts(assessors=[zhang], counties=[county, other_county], year=2024) == [
            "张伟 comes from 东城区."
        ]
        assert conflicts(assessors=[zhang], counties=[other_county], year=2024) == []


def test_conflicts_recent_posting_within_the_years(li, other_county):
    li = _posted(li, other_county, 2022)
    assert RECENT_YEARS == 3
    with translation.override("en"):
        assert conflicts(assessors=[li], counties=[other_county], year=2024) == [
            "李娜 worked in 西城区 until 2022."
        ]
    # 2022 is 2025's third year back: no longer recent.
    assert conflicts(assessors=[li], counties=[other_county], year=2025) == []


def test_assign_team_refuses_conflicts_with_every_reason(computed, zhang, li, county, other_county):
    li = _posted(li, other_county, 2023)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        assign_team(
            cycle=computed, kind="annual", name="第一考核组", members=[zhang, li],
            counties=[county, other_county], leader=li,
        )  # fmt: skip
    assert exc.value.messages == ["张伟 comes from 东城区.", "李娜 worked in 西城区 until 2023."]
    assert AssessmentTeam.objects.count() == 0


def test_assign_team_leader_must_be_a_member(computed, zhang, li, other_county):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        assign_team(cycle=computed, kind="annual", name="组", members=[zhang],
                    counties=[other_county], leader=li)  # fmt: skip
    assert exc.value.messages == ["The team leader must be one of its members."]


def test_assign_team_refuses_an_assessor_off_the_roster(computed, li, county):
    li.active = False
    li.save()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        assign_team(cycle=computed, kind="annual", name="组", members=[li], counties=[county])
    assert exc.value.messages == ["李娜 is no longer on the roster."]


def test_assign_team_is_audited_with_members_and_counties(computed, zhang, li, other_county, lead):
    team = assign_team(
        cycle=computed, kind="annual", name="西城区考核组", members=[zhang, li],
        counties=[other_county], leader=li, actor=lead,
    )  # fmt: skip
    assert (sorted(team.members.values_list("name", flat=True)), team.leader) == (
        ["张伟", "李娜"], li,
    )  # fmt: skip
    entries = LogEntry.objects.get_for_object(team)
    assert entries.filter(action=LogEntry.Action.CREATE).get().actor == lead
    assert entries.count() == 3  # the team, its members, its counties
    dissolve_team(team=team, actor=lead)
    assert AssessmentTeam.objects.count() == 0


def test_assign_team_refuses_an_archived_year(computed, li, county):
    Cycle.objects.filter(pk=computed.pk).update(status=Cycle.Status.ARCHIVED)
    computed.refresh_from_db()
    with pytest.raises(ValidationError):
        assign_team(cycle=computed, kind="annual", name="组", members=[li], counties=[county])


def test_teams_page_refuses_a_conflict_with_the_reason(client, lead, computed, zhang, county):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:teams", kwargs={"year": 2024}),
        {"kind": "annual", "name": "东城区考核组", "counties": [county.pk], "members": [zhang.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["张伟 comes from 东城区."]
    assert response.context["form"].data["name"] == "东城区考核组"
    assert AssessmentTeam.objects.count() == 0


def test_teams_page_makes_a_spot_check_team(client, lead, computed, li, county, unit):
    from assessment.governance.pledges import record_check
    from assessment.models import PledgeItem

    item = PledgeItem.objects.create(
        name="责任书", basis="文件", issuing_unit=unit, first_year=2024
    )
    check = record_check(cycle=computed, item=item, checked_on=date(2024, 9, 1), counties=[county],
                         findings="无", problems_found=False, actor=lead)  # fmt: skip
    client.force_login(lead)
    response = client.post(
        reverse("assessment:teams", kwargs={"year": 2024}),
        {"kind": "spot_check", "name": "检查组", "pledge_check": check.pk, "counties": [county.pk],
         "members": [li.pk], "leader": li.pk},
    )  # fmt: skip
    assert response.status_code == 302
    team = AssessmentTeam.objects.get()
    assert (team.kind, team.pledge_check, team.leader) == ("spot_check", check, li)


def test_team_page_changes_a_team(client, lead, computed, li, zhang, county, other_county):
    team = assign_team(cycle=computed, kind="annual", name="组", members=[li], counties=[county])
    client.force_login(lead)
    url = reverse("assessment:team", kwargs={"year": 2024, "team": team.pk})
    response = client.post(
        url, {"kind": "annual", "name": "一组", "counties": [other_county.pk],
              "members": [li.pk, zhang.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, list(team.counties.values_list("code", flat=True))) == ("一组", ["102"])
    # Dissolving is not a button of this form any more: it goes through its confirmation.
    client.post(url, {"dissolve": "1"})
    assert AssessmentTeam.objects.count() == 1


def test_dissolving_a_team_shows_what_it_will_change_then_dissolves_on_confirming(
    client, lead, computed, li, unit, county, other_county
):
    from assessment.governance.pledges import record_check
    from assessment.models import PledgeItem

    item = PledgeItem.objects.create(
        name="责任书", basis="文件", issuing_unit=unit, first_year=2024
    )
    check = record_check(cycle=computed, item=item, checked_on=date(2024, 9, 1),
                         counties=[other_county], findings="无", problems_found=False,
                         actor=lead)  # fmt: skip
    wang = Assessor.objects.create(name="王芳", kind="full_time")
    team = assign_team(
        cycle=computed, kind="spot_check", name="检查组", members=[wang, li],
        counties=[other_county], pledge_check=check,
    )  # fmt: skip
    client.force_login(lead)
    page = client.get(reverse("assessment:team", kwargs={"year": 2024, "team": team.pk}))
    url = reverse("assessment:team_dissolve", kwargs={"year": 2024, "team": team.pk})
    assert f'href="{url}">Dissolve the team</a>' in page.content.decode()
    response = client.get(url)
    assert response.context["changes"] == [
        "The team “检查组” (Spot check) of 2024 is deleted.",
        "Its 2 members stay on the roster: 李娜、王芳.",
        "1 county no longer has this team: 西城区.",
        "The spot check of 2024-09-01 stays recorded, without a team.",
        "The dissolution is recorded in the audit log; it cannot be undone.",
    ]
    assert "Confirm: dissolve the team" in response.content.decode()
    assert AssessmentTeam.objects.count() == 1
    done = client.post(url, follow=True)
    assert done.redirect_chain == [("/cycles/2024/teams/", 302)]
    assert [str(m) for m in done.context["messages"]] == ["Team “检查组” dissolved."]
    assert (AssessmentTeam.objects.count(), Assessor.objects.count()) == (0, 2)
    assert PledgeCheck.objects.filter(pk=check.pk).exists()
    entry = LogEntry.objects.filter(
        object_pk=str(team.pk), action=LogEntry.Action.DELETE, content_type__model="assessmentteam"
    ).get()
    assert entry.actor == lead


def test_dissolving_a_team_of_an_archived_year_offers_no_button(client, lead, computed, li, county):
    team = assign_team(cycle=computed, kind="annual", name="组", members=[li], counties=[county])
    Cycle.objects.filter(pk=computed.pk).update(status=Cycle.Status.ARCHIVED)
    url = reverse("assessment:team_dissolve", kwargs={"year": 2024, "team": team.pk})
    client.force_login(lead)
    body = client.get(url).content.decode()
    assert ('id="confirm-refused"' in body, "Confirm: dissolve the team" in body) == (True, False)
    client.post(url)
    assert AssessmentTeam.objects.count() == 1


def test_dissolving_a_special_assessments_team_here_is_404(client, lead, computed, li):
    team = AssessmentTeam.objects.create(cycle=computed, kind="special", name="专项组")
    client.force_login(lead)
    url = reverse("assessment:team_dissolve", kwargs={"year": 2024, "team": team.pk})
    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)


def test_assessor_page_records_a_training_and_a_posting(client, lead, li, county):
    client.force_login(lead)
    url = reverse("assessment:assessor", kwargs={"assessor": li.pk})
    client.post(url, {"form": "training", "training-kind": "study_visit",
                      "training-topic": "赴浙江学习考察", "training-started_on": "2024-05-06",
                      "training-days": "5", "training-place": "浙江省委组织部"})  # fmt: skip
    client.post(url, {"form": "posting", "posting-county": county.pk,
                      "posting-until_year": "2023"})  # fmt: skip
    training = AssessorTraining.objects.get()
    assert (training.kind, training.days, training.assessor) == ("study_visit", 5, li)
    assert list(li.postings.values_list("county__code", "until_year")) == [("101", 2023)]
    assert LogEntry.objects.get_for_object(training).get().actor == lead


def test_assessors_page_adds_an_assessor(client, lead, unit, county):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:assessors"),
        {"name": "王芳", "kind": "part_time", "unit": unit.pk, "position": "统计科科长",
         "home_county": county.pk, "active": "on"},
    )  # fmt: skip
    person = Assessor.objects.get()
    assert response["Location"] == reverse("assessment:assessor", kwargs={"assessor": person.pk})
    assert (person.unit, person.home_county, person.kind) == (unit, county, "part_time")


def test_special_team_follows_the_tasks_experts(computed, li, zhang, county, other_county, lead):
    task = SpecialTask.objects.create(cycle=computed, name="防汛", starts_on=date(2024, 6, 1),
                                      ends_on=date(2024, 8, 1))  # fmt: skip
    task.counties.set([other_county])
    team = special_team(task=task, members=[li, zhang], actor=lead)
    assert (team.kind, team.special_task, list(team.counties.all())) == (
        "special", task, [other_county],
    )  # fmt: skip
    assert special_team(task=task, members=[], actor=lead) is None
    assert AssessmentTeam.objects.count() == 0


def test_special_task_form_refuses_an_expert_from_an_involved_county(
    client, lead, computed, zhang, county
):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:special_tasks", kwargs={"year": 2024}),
        {"name": "防汛", "starts_on": "2024-06-01", "ends_on": "2024-08-01",
         "counties": [county.pk], "max_bonus": "2", "max_penalty": "2", "experts": [zhang.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["experts"] == ["张伟 comes from 东城区."]
    assert SpecialTask.objects.count() == 0


def test_special_task_form_picks_experts_from_the_roster(client, lead, computed, li, other_county):
    client.force_login(lead)
    client.post(
        reverse("assessment:special_tasks", kwargs={"year": 2024}),
        {"name": "防汛", "starts_on": "2024-06-01", "ends_on": "2024-08-01",
         "counties": [other_county.pk], "max_bonus": "2", "max_penalty": "2",
         "experts": [li.pk]},
    )  # fmt: skip
    task = SpecialTask.objects.get()
    page = client.get(reverse("assessment:special_task", kwargs={"year": 2024, "task": task.pk}))
    assert [m.name for m in page.context["experts"]] == ["李娜"]
    assert page.context["edit_form"].initial["experts"] == [li]
