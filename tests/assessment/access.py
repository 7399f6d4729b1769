from datetime import date

from django.core.files.base import ContentFile

from assessment.models import (
    AssessmentTeam,
    Assessor,
    FileJob,
    PlannedActivity,
    PledgeItem,
    PledgeSigning,
    RoutineRecord,
    SpecialTask,
    Unit,
    Veto,
    VetoItem,
)
from tests.access import access, get_and_post, lead_only, signed_in

# The lead department's per-object pages: a unit or county is refused whatever it names.
REFUSED = {"unit": 403, "county": 403}
# Another unit's job is 404 to a unit; a county sees no job.
UNIT_OWN_JOB = {"unit": 404, "county": 403}

ACCESS = {
    "assessment:veto_items": signed_in(),
    "assessment:veto_item_edit": lead_only(outsider=REFUSED),
    "assessment:veto_review": lead_only("post", lead=302),
    "assessment:cycle_vetoes": lead_only(),
    # The withdrawals and the dissolution: GET is the page that says what will change and asks
    # to confirm, its POST acts.
    "assessment:veto_withdraw": get_and_post(
        lead_only(outsider=REFUSED), lead_only("post", lead=302, outsider=REFUSED)
    ),
    "assessment:veto_attachment": lead_only(lead=404, outsider=REFUSED),
    "assessment:routine_records": lead_only(),
    "assessment:routine_timeline": lead_only(outsider=REFUSED),
    "assessment:routine_attachment": lead_only(lead=404, outsider=REFUSED),
    "assessment:plan": signed_in(),
    "assessment:plan_merge": lead_only("post", lead=302),
    # Units read the whole plan; a county reads only the activities that concern it.
    "assessment:plan_activity": signed_in(outsider={"unit": 200, "county": 404}),
    "assessment:special_tasks": lead_only(),
    "assessment:special_task": lead_only(outsider=REFUSED),
    "assessment:special_task_edit": lead_only("post", lead=302, outsider=REFUSED),
    "assessment:special_score": lead_only("post", lead=302, outsider=REFUSED),
    # File jobs: every lead user sees every job; a unit its own round workbook's jobs (the
    # world's are the units' own; the lead department's jobs are 404 to a unit too).
    "assessment:file_job": access(lead=200, unit=200, county=403, outsider=UNIT_OWN_JOB),
    "assessment:file_job_result": access(lead=200, unit=200, county=403, outsider=UNIT_OWN_JOB),
    # The world's job is done, not lost with its worker: there is nothing to start again.
    "assessment:file_job_restart": access(
        "post", lead=404, unit=404, county=403, outsider=UNIT_OWN_JOB
    ),
    # Only the job's starter drops it (the world's job was started by no one of these; the
    # starter's drop: tests/scoring/test_workbook_replace_job.py).
    "assessment:file_job_drop": access(
        "post", lead=403, unit=403, county=403, outsider=UNIT_OWN_JOB
    ),
    "assessment:pledge_items": signed_in(),
    "assessment:pledge_item_edit": lead_only(outsider=REFUSED),
    "assessment:pledge_review": lead_only("post", lead=302),
    # Every role opens the year's signings: the lead all, a unit its own matters', a county
    # its own.
    "assessment:cycle_pledges": signed_in(),
    "assessment:pledge_withdraw": get_and_post(
        lead_only(outsider=REFUSED), lead_only("post", lead=302, outsider=REFUSED)
    ),
    "assessment:pledge_checks": lead_only(),
    "assessment:assessors": lead_only(),
    "assessment:assessor": lead_only(outsider=REFUSED),
    "assessment:teams": lead_only(),
    "assessment:team": lead_only(outsider=REFUSED),
    "assessment:team_dissolve": get_and_post(
        lead_only(outsider=REFUSED), lead_only("post", lead=302, outsider=REFUSED)
    ),
}


def objects(world):
    cycle = world["cycle"]
    own_item = VetoItem.objects.create(
        name="安全生产", basis="《安全生产责任制规定》", first_year=2020
    )
    other_item = VetoItem.objects.create(name="生态环境", basis="", first_year=2020)
    own_county, other_county = (
        cycle.counties.get(code=world[scope]["county"]) for scope in ("own", "other")
    )
    own = Veto.objects.create(cycle=cycle, county=own_county, item=own_item, reason="安全生产")
    other = Veto.objects.create(cycle=cycle, county=other_county, item=other_item, reason="生态")
    task = SpecialTask.objects.create(
        cycle=cycle, name="防汛", starts_on=date(2024, 6, 1), ends_on=date(2024, 8, 31)
    )
    task.counties.set([own_county, other_county])
    records = [
        RoutineRecord.objects.create(
            cycle=cycle,
            county=c,
            observed_on=date(2024, 5, 1),
            source="other",
            polarity="positive",
            text="记录",
        )
        for c in (own_county, other_county)
    ]
    activities = []
    for c in (own_county, other_county):
        activity = PlannedActivity.objects.create(
            cycle=cycle, topic="安全生产检查", organizer="市应急管理局",
            starts_on=date(2024, 5, 1), ends_on=date(2024, 5, 9),
        )  # fmt: skip
        activity.counties.set([c])
        activities.append(activity.pk)
    pledge_items = [
        PledgeItem.objects.create(
            name=f"{unit.name}目标责任书", basis="市委办〔2024〕1号", first_year=2020,
            issuing_unit=unit,
        )
        for unit in (Unit.objects.get(code=world[scope]["unit"]) for scope in ("own", "other"))
    ]  # fmt: skip
    signings = [
        PledgeSigning.objects.create(
            cycle=cycle, item=item, county=c, signed_on=date(2024, 3, 1)
        ).pk
        for item, c in zip(pledge_items, (own_county, other_county), strict=True)
    ]
    people = [Assessor.objects.create(name=name, kind="full_time") for name in ("甲", "乙")]
    teams = []
    for person, c in zip(people, (own_county, other_county), strict=True):
        team = AssessmentTeam.objects.create(cycle=cycle, kind="annual", name=f"{c.name}考核组")
        team.members.set([person])
        team.counties.set([c])
        teams.append(team.pk)
    return {
        "own": {
            "assessor": people[0].pk,
            "team": teams[0],
            "pledge_item": pledge_items[0].pk,
            "signing": signings[0],
            "veto_item": own_item.pk,
            "veto": own.pk,
            "task": task.pk,
            "record": records[0].pk,
            "activity": activities[0],
            "job": _unit_job(cycle, world["own"]["unit"]),
        },
        "other": {
            "assessor": people[1].pk,
            "team": teams[1],
            "pledge_item": pledge_items[1].pk,
            "signing": signings[1],
            "veto_item": other_item.pk,
            "veto": other.pk,
            "task": task.pk,
            "record": records[1].pk,
            "activity": activities[1],
            "job": _unit_job(cycle, world["other"]["unit"]),
        },
    }


def _unit_job(cycle, unit_code):
    """A finished job that wrote a unit's workbook of the annual round, with its result file."""
    job = FileJob(
        kind="export_unit_workbook", status=FileJob.Status.DONE,
        year=cycle.year, round_code="annual", unit=Unit.objects.get(code=unit_code),
    )  # fmt: skip
    job.result.save("workbook.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.save()
    return job.pk
