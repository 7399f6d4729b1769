"""The demo city's governance of the year (``seed_demo``): the veto list, special and routine
assessments of the current year, indicator proposals, the assessment plan with a duplicate
pair, and next year's draft copied from the current one with a few changes to show on the
diff page. Built by the same services as in the browser; every figure is invented."""

from datetime import date
from decimal import Decimal

from assessment.governance import plan, routine, special, vetoes
from assessment.models import (
    County,
    Cycle,
    PlannedActivity,
    RoutineRecord,
    SpecialTask,
    Unit,
    User,
    Veto,
    VetoItem,
)
from demo.plan import DRAFT_YEAR
from indicators.models import Category, Indicator, IndicatorProposal, RuleItem
from indicators.services import admission
from indicators.services.yearcopy import copy_cycle

VETO_ITEMS = (
    ("发生较大及以上生产安全责任事故", "《江川市安全生产党政同责实施办法》第二十条", 2020, None),
    ("发生重大群体性事件或严重影响社会稳定事件",
     "《江川市信访工作责任制实施细则》第十五条", 2020, None),
    ("生态环境保护工作严重失职失责、被上级通报问责", "", 2023, None),
    ("意识形态工作责任制落实不力造成严重后果", "市委办〔2018〕12号", 2018, 2022),
)  # fmt: skip

SPECIAL_TASKS = (
    ("防汛抗旱应急处置", "7月强降雨期间的防汛抢险、群众转移和灾后恢复。",
     date(2026, 6, 15), date(2026, 9, 15), "2", "2", (
        ("101", "提前转移群众1.2万人，无人员伤亡，灾后恢复迅速。", "1.5"),
        ("105", "堤防巡查到位，抢险队伍反应及时。", "1"),
        ("108", "预警信息发布滞后，一处转移不及时，被市防指通报。", "-1"),
    )),
    ("重大项目建设攻坚行动", "全市重大项目集中攻坚：签约、开工、投产三项进度。",
     date(2026, 3, 1), date(2026, 11, 30), "3", "1", (
        ("102", "新签约项目12个，开工率100%，进度全市第一。", "2.5"),
        ("104", "开工项目按期推进。", "1"),
        ("114", "两个项目用地手续滞后，开工推迟。", "-0.5"),
    )),
)  # fmt: skip

ROUTINE = (
    ("101", date(2026, 1, 20), "democratic_life", "positive",
     "民主生活会准备充分，班子成员相互批评开门见山，整改清单具体。"),
    ("101", date(2026, 5, 12), "field_visit", "positive", "实地调研老旧小区改造，群众满意度高。"),
    ("102", date(2026, 3, 8), "cadre_talks", "positive",
     "谈话中干部普遍反映班子团结、干事氛围浓。"),
    ("104", date(2026, 4, 22), "inspection", "negative",
     "督查发现两个民生实事项目进度滞后于序时。"),
    ("105", date(2026, 6, 3), "audit", "negative", "经济责任审计指出专项资金拨付不及时。"),
    ("106", date(2026, 2, 27), "petitions", "negative",
     "信访反映征地补偿问题较集中，化解进度偏慢。"),
    ("106", date(2026, 7, 18), "field_visit", "positive", "防汛期间县委主要负责同志靠前指挥。"),
    ("108", date(2026, 5, 30), "inspection", "negative", "安全生产督查发现隐患整改闭环不到位。"),
    ("109", date(2026, 3, 15), "cadre_talks", "negative", "部分干部反映议事决策程序不够规范。"),
    ("111", date(2026, 8, 5), "other", "positive", "在全省营商环境现场会上作典型发言。"),
    ("114", date(2026, 4, 9), "democratic_life", "positive",
     "班子对照检查深入，问题清单与整改措施对应。"),
)  # fmt: skip

# Last year's archive, beside the 2025 totals on the results page.
ROUTINE_2025 = (
    ("101", date(2025, 3, 12), "democratic_life", "positive", "民主生活会查摆问题具体，整改有力。"),
    ("102", date(2025, 6, 20), "field_visit", "positive", "产业园区建设推进快，群众认可。"),
    ("102", date(2025, 9, 9), "inspection", "positive", "巡查反馈问题整改全部按期完成。"),
    ("106", date(2025, 4, 2), "petitions", "negative", "重复信访件较多，包案化解不到位。"),
    ("108", date(2025, 7, 15), "audit", "negative", "审计发现政府投资项目超概算。"),
    ("108", date(2025, 10, 28), "cadre_talks", "negative", "干部反映班子沟通协调不够。"),
    ("113", date(2025, 5, 6), "field_visit", "positive", "乡村振兴示范片建设成效明显。"),
)  # fmt: skip

PLAN = (
    # topic, organizer, kind, counties, start, end
    ("安全生产大检查", "市安委办", "check", ("101", "102", "103", "104", "105"),
     date(2026, 5, 10), date(2026, 6, 20)),
    ("安全生产工作督查", "市应急管理局", "inspection", ("103", "105", "109"),
     date(2026, 6, 1), date(2026, 6, 30)),
    ("耕地保护目标责任考核", "市自然资源和规划局", "assessment", ("105", "106", "107", "108"),
     date(2026, 10, 8), date(2026, 10, 31)),
    ("义务教育优质均衡发展督导评估", "市教育局", "inspection", ("110", "111", "112"),
     date(2026, 9, 1), date(2026, 9, 30)),
    ("河长制工作考核", "市水利局", "assessment", ("101", "109", "113"),
     date(2026, 11, 1), date(2026, 11, 20)),
    ("河长制落实情况检查", "市生态环境局", "check", ("109", "113", "114"),
     date(2026, 11, 10), date(2026, 11, 30)),
)  # fmt: skip
MERGED = ("河长制综合考核", "市水利局、市生态环境局")


def reset_governance() -> None:
    """Remove the demo's global governance rows (proposals, veto items) before a rebuild;
    the rows of its cycles go with the cycles."""
    names = [name for name, *_rest in VETO_ITEMS]
    Veto.objects.filter(item__name__in=names).update(item=None)
    VetoItem.objects.filter(name__in=names).delete()
    IndicatorProposal.objects.filter(name__in=[p[1] for p in PROPOSALS]).delete()


def build_governance(*, counties: dict[str, County], units: dict[str, Unit], lead: User) -> None:
    current = Cycle.objects.get(year=2026)
    items = _veto_list(lead)
    past_veto = Veto.objects.filter(cycle__year=2024).first()
    if past_veto is not None:
        past_veto.item = items[0]
        past_veto.evidence = (
            "市安委办事故调查通报（江安委〔2024〕9号）：4月17日某化工企业较大事故。"
        )
        past_veto.save()
    vetoes.record_review(year=2026, note="生态环境一项待补充设立依据。", actor=lead)
    _special_tasks(current, counties, lead)
    past = Cycle.objects.get(year=2025)
    for cycle, rows in ((past, ROUTINE_2025), (current, ROUTINE)):
        _routine(cycle, rows, counties, lead)
    _plan(current, counties, lead)
    draft = copy_cycle(source=current, year=DRAFT_YEAR, actor=lead)
    _proposals(units, lead, draft)
    _plant_changes(draft, units)


def _routine(cycle: Cycle, rows, counties: dict[str, County], lead: User) -> None:
    for code, day, source, polarity, text in rows:
        fields = {
            "cycle": cycle, "county": counties[code], "observed_on": day, "source": source,
            "polarity": polarity, "text": text,
        }  # fmt: skip
        if cycle.status == Cycle.Status.ARCHIVED:
            # An archived year is read-only; its archive is written as it was before closing.
            RoutineRecord.objects.create(recorded_by=lead, **fields)
        else:
            routine.record_observation(actor=lead, **fields)


def _veto_list(lead: User) -> list[VetoItem]:
    return [
        VetoItem.objects.create(name=name, basis=basis, first_year=first, last_year=last)
        for name, basis, first, last in VETO_ITEMS
    ]


def _special_tasks(cycle: Cycle, counties: dict[str, County], lead: User) -> None:
    for name, description, starts, ends, bonus, penalty, scores in SPECIAL_TASKS:
        task = SpecialTask.objects.create(
            cycle=cycle, name=name, description=description, starts_on=starts, ends_on=ends,
            max_bonus=Decimal(bonus), max_penalty=Decimal(penalty),
        )  # fmt: skip
        task.counties.set([counties[code] for code, _text, _points in scores])
        for code, text, points in scores:
            special.record_score(
                task=task, county=counties[code], evaluation=text, points=Decimal(points),
                actor=lead,
            )  # fmt: skip


def _plan(cycle: Cycle, counties: dict[str, County], lead: User) -> None:
    made = []
    for topic, organizer, kind, codes, starts, ends in PLAN:
        activity = PlannedActivity.objects.create(
            cycle=cycle, topic=topic, organizer=organizer, kind=kind, starts_on=starts,
            ends_on=ends,
        )  # fmt: skip
        activity.counties.set([counties[c] for c in codes])
        made.append(activity)
    # The two river-chief checks were found to duplicate each other and done as one.
    plan.merge_activities(
        cycle=cycle, activities=made[-2:], topic=MERGED[0], organizer=MERGED[1], actor=lead
    )


PROPOSALS = (
    # unit, name, rationale, weight, direction, rules, fate, comments
    ("KJJ", "数字经济核心产业增加值占GDP比重",
     "落实《江川市数字经济发展三年行动方案》，引导县区培育数字产业。",
     "2", "higher", "占比达到年度目标得满分；每低于目标1个百分点扣10分。", "added",
     ("符合全市发展导向，数据可由统计部门提供，建议准入。", "同意准入，自2027年度起实施。")),
    ("XFJ", "网上信访办理群众满意率", "推动信访事项网上办理，提升群众满意度。",
     "1.5", "higher", "满意率95%及以上得满分，每低1个百分点扣5分。", "rejected",
     ("与现有“信访事项及时受理率”指标高度重合，建议不予准入。",
      "与S03指标重复，不予准入；可作为S03的考核项目。")),
    ("STHJ", "农村生活污水治理率", "补齐农村人居环境短板。",
     "1", "higher", "治理率达到年度目标得满分，按完成比例计分。", "submitted", ()),
)  # fmt: skip


def _proposals(units: dict[str, Unit], lead: User, draft: Cycle) -> None:
    for unit, name, rationale, weight, direction, rules, fate, comments in PROPOSALS:
        proposer = User.objects.get(username=f"unit-{unit}")
        proposal = admission.submit_proposal(
            proposal=IndicatorProposal(
                unit=units[unit], name=name, rationale=rationale,
                suggested_weight=Decimal(weight), direction=direction, draft_rules=rules,
            ),
            actor=proposer,
        )  # fmt: skip
        if fate == "submitted":
            continue
        admission.review_proposal(proposal=proposal, comment=comments[0], actor=lead)
        admission.decide_proposal(
            proposal=proposal, approve=fate == "added", comment=comments[1], actor=lead
        )
        if fate == "added":
            category = Category.objects.filter(cycle=draft).order_by("order").first()
            admission.add_to_cycle(
                proposal=proposal, cycle=draft, code="E11", category=category, actor=lead
            )


def _plant_changes(draft: Cycle, units: dict[str, Unit]) -> None:
    """Next year's edits: room for the admitted indicator, a renamed and a re-weighted
    indicator, one moved to another unit, and a rule that changed."""
    Indicator.objects.filter(cycle=draft, code="E05").update(weight=Decimal("2"))
    Indicator.objects.filter(cycle=draft, code="E09").update(
        name="营商环境评价（第三方）", weight=Decimal("1")
    )
    Indicator.objects.filter(cycle=draft, code="E10").update(unit=units["GXJ"])
    item = RuleItem.objects.filter(cycle=draft, indicator__code="E08").first()
    item.params = "tiers=82:100,77:90,72:80,0:60"
    item.content = "82%及以上100分，77%及以上90分，72%及以上80分，其余60分。"
    item.save()
    Cycle.objects.filter(pk=draft.pk).update(bonus_cap=Decimal("4"))
