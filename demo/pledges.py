"""The demo city's pledge list (责任状, list management): matters with their basis and issuing
unit (one without a basis, which the clean-up review flags; one cleared in 2023), the current
year's signings, its review and two spot checks. Built by the services of the pages."""

from datetime import date

from assessment.governance import pledges
from assessment.models import County, Cycle, PledgeItem, Unit, User

YEAR = 2026

ITEMS = (
    # name, basis, issuing unit, first year, last year
    ("安全生产目标责任书", "《江川市安全生产党政同责实施办法》第十二条", "YJJ", 2020, None),
    ("生态环境保护目标责任书", "江政办〔2021〕15号", "STHJ", 2021, None),
    ("统计数据质量责任书", "《江川市防范和惩治统计造假弄虚作假责任制规定》", "TJJ", 2022, None),
    ("信访工作目标责任书", "", "XFJ", 2024, None),
    ("招商引资任务责任状", "已于2023年清理规范", "FGW", 2019, 2022),
)  # fmt: skip

SIGNINGS = (
    # matter, counties, signed on
    ("安全生产目标责任书", ("101", "102", "103", "104", "105", "106", "107"), date(2026, 2, 18)),
    ("生态环境保护目标责任书", ("101", "103", "105", "109", "113"), date(2026, 2, 26)),
    ("统计数据质量责任书", ("102", "104", "108"), date(2026, 3, 5)),
)  # fmt: skip

CHECKS = (
    # matter (None: the whole list), counties, date, findings, problems found
    (None, ("105", "106", "108"), date(2026, 6, 12),
     "柳湾县仍与乡镇签订已清理的“招商引资任务责任状”1份，已责令撤销并通报。", True),
    ("安全生产目标责任书", ("101", "102"), date(2026, 9, 3),
     "责任书内容与清单一致，未发现层层加码。", False),
)  # fmt: skip


def reset_pledges() -> None:
    """Remove the demo's pledge list before a rebuild (its signings and checks go with the
    cycles)."""
    PledgeItem.objects.filter(name__in=[name for name, *_rest in ITEMS]).delete()


def build_pledges(*, counties: dict[str, County], units: dict[str, Unit], lead: User) -> None:
    cycle = Cycle.objects.get(year=YEAR)
    items = {
        name: PledgeItem.objects.create(
            name=name, basis=basis, issuing_unit=units[unit], first_year=first, last_year=last
        )
        for name, basis, unit, first, last in ITEMS
    }
    for name, codes, day in SIGNINGS:
        signer = User.objects.get(username=f"unit-{items[name].issuing_unit.code}")
        for code in codes:
            pledges.record_signing(
                cycle=cycle, county=counties[code], item=items[name], signed_on=day, actor=signer
            )
    pledges.record_review(year=YEAR, note="信访工作目标责任书待补充设立依据，否则下年度清理。",
                          actor=lead)  # fmt: skip
    for name, codes, day, findings, problems in CHECKS:
        pledges.record_check(
            cycle=cycle, item=items[name] if name else None, checked_on=day,
            counties=[counties[c] for c in codes], findings=findings, problems_found=problems,
            actor=lead,
        )  # fmt: skip
