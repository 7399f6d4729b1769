"""The demo city's assessors (考核人员队伍): the roster (full-time of the lead department,
part-time of the units, two with the accounts through which they open the diagnosis cases
they are assigned to), former postings, trainings, and the current year's teams. The roster is
built before the years (their diagnosis cases pick experts from it), the teams after."""

from datetime import date

from assessment.governance import assessors
from assessment.models import AssessmentTeam, Assessor, County, Cycle, PledgeCheck, Unit, User

YEAR = 2026

ROSTER = (
    # name, kind, unit (None: the lead department), position, county of origin, account
    ("周明", "full_time", None, "考核办主任", "103", None),
    ("吴静", "full_time", None, "考核办副主任", None, None),
    ("郑浩", "full_time", None, "考核办一级主任科员", "108", None),
    ("孙悦", "full_time", None, "考核办二级主任科员", None, None),
    ("陈立", "part_time", "FGW", "规划科科长", None, "unit-FGW"),
    ("刘洋", "part_time", "TJJ", "综合统计科科长", None, "unit-TJJ"),
    ("赵敏", "part_time", "STHJ", "督察科副科长", "112", None),
    ("黄磊", "part_time", "YJJ", "综合协调科科长", None, None),
)  # fmt: skip

POSTINGS = (("吴静", "105", 2024), ("孙悦", "110", 2021), ("黄磊", "114", 2025))

TRAININGS = (
    ("周明", "study_visit", "赴浙江学习县区综合考核", date(2025, 11, 3), 5, "浙江省委组织部"),
    ("吴静", "rotation", "全市考核干部集中轮训", date(2026, 3, 16), 3, "市委党校"),
    ("郑浩", "rotation", "全市考核干部集中轮训", date(2026, 3, 16), 3, "市委党校"),
    ("孙悦", "shadowing", "跟班学习省委考核办年度考核", date(2026, 1, 5), 20, "省委考核办"),
    ("陈立", "rotation", "全市考核干部集中轮训", date(2026, 3, 16), 3, "市委党校"),
    ("刘洋", "study_visit", "赴江苏学习统计监测", date(2026, 5, 20), 4, "江苏省统计局"),
)  # fmt: skip

TEAMS = (
    # name, kind, leader, members, counties
    ("第一年度考核组", "annual", "周明", ("周明", "陈立", "赵敏"),
     ("101", "102", "104", "105", "106", "107", "108")),
    ("第二年度考核组", "annual", "吴静", ("吴静", "郑浩", "孙悦", "刘洋"),
     ("103", "109", "110", "111", "112", "113", "114")),
)  # fmt: skip


def reset_assessors() -> None:
    """Remove the demo's roster before a rebuild (its teams went with the cycles)."""
    Assessor.objects.filter(name__in=[row[0] for row in ROSTER]).delete()


def build_roster(*, counties: dict[str, County], units: dict[str, Unit]) -> None:
    """Side effects: the roster, with former postings and trainings."""
    people = {}
    for name, kind, unit, position, origin, account in ROSTER:
        people[name] = Assessor.objects.create(
            name=name, kind=kind, unit=units[unit] if unit else None, position=position,
            home_county=counties[origin] if origin else None,
            user=User.objects.get(username=account) if account else None,
        )  # fmt: skip
    for name, code, until in POSTINGS:
        people[name].postings.create(county=counties[code], until_year=until)
    for name, kind, topic, day, days, place in TRAININGS:
        people[name].trainings.create(
            kind=kind, topic=topic, started_on=day, days=days, place=place
        )


def build_teams(*, counties: dict[str, County], lead: User) -> None:
    """Side effects: the current year's teams: two of the annual assessment, the experts of
    each special assessment, and the team of the first spot check of the pledges."""
    cycle = Cycle.objects.get(year=YEAR)
    people = {a.name: a for a in assessors.roster()}
    for name, kind, leader, members, codes in TEAMS:
        assessors.assign_team(
            cycle=cycle, kind=kind, name=name, leader=people[leader],
            members=[people[m] for m in members], counties=[counties[c] for c in codes],
            actor=lead,
        )  # fmt: skip
    for task, members in zip(cycle.special_tasks.order_by("starts_on", "id"),
                             (("陈立", "郑浩"), ("孙悦", "黄磊")), strict=False):  # fmt: skip
        assessors.special_team(task=task, members=[people[m] for m in members], actor=lead)
    check = PledgeCheck.objects.filter(cycle=cycle).order_by("checked_on").first()
    if check is not None:
        assessors.assign_team(
            cycle=cycle, kind=AssessmentTeam.Kind.SPOT_CHECK, name="责任状专项检查组",
            leader=people["孙悦"], members=[people["孙悦"], people["陈立"]],
            counties=check.counties.all(), pledge_check=check, actor=lead,
        )  # fmt: skip
