"""The demo city's follow-up of its current April round (``manage.py seed_demo``): the
counties' rectification plans in every state, and one expert diagnosis case.

Built with the same services as in production (plans, completions, reviews, cases), then
dated back to believable days after the round closed.
"""

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from alerts.diagnosis import open_case, send_recommendations, update_case
from alerts.models import DiagnosisCase, DiagnosisFlag, Rectification, RectificationStep, Warning
from alerts.rectifications import report_completion, review, submit_plan
from assessment.models import Round, User

# A minimal PDF: the evidence the counties upload in the demo.
EVIDENCE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

MEASURES = (
    "成立专项工作专班，倒排工期、挂图作战，每周调度一次进度。",
    "梳理滞后原因，逐项明确责任单位和完成时限，县政府督查室跟踪督办。",
    "加快在建项目进度，新开工项目提前办理前期手续，确保下一轮次赶上序时进度。",
)

OWNERS = ("县发展改革局 王建国", "县统计局 李红", "县财政局 张伟", "县工业和信息化局 刘洋")

# (county, what became of its answers to its first April warnings)
PLANS = (
    ("108", ("closed", "submitted", "returned")),
    ("112", ("overdue", "planned")),
    ("106", ("submitted",)),
    ("110", ("planned",)),
)


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _answer(warning: Warning, state: str, *, n: int, county_user: User, lead: User) -> None:
    closed = warning.round.closes_on
    today = timezone.localdate()
    deadline = {
        "overdue": closed + timedelta(days=60),  # passed without a report: overdue
        "planned": today + timedelta(days=20),
        "returned": today + timedelta(days=10),
    }.get(state, closed + timedelta(days=90))
    rect = submit_plan(
        actor=county_user, warning=warning, measures=MEASURES[n % len(MEASURES)],
        owner=OWNERS[n % len(OWNERS)], deadline=deadline,
    )  # fmt: skip
    if state in ("closed", "submitted", "returned"):
        report_completion(
            rectification=rect, actor=county_user,
            completion="已按方案完成整改，相关指标进度已赶上序时要求。",
            evidence=ContentFile(EVIDENCE, name=f"{warning.indicator.code}整改情况报告.pdf"),
        )  # fmt: skip
    if state == "closed":
        review(rectification=rect, actor=lead, close=True, comment="经回头看核实，整改到位。")
    if state == "returned":
        review(
            rectification=rect, actor=lead, close=False,
            comment="佐证材料不足，请补充项目推进台账后重新报送。",
        )  # fmt: skip
    # Date the history back to the weeks after the closing, a few days apart.
    day = closed + timedelta(days=7)
    for k, step in enumerate(rect.steps.order_by("pk")):
        day = closed + timedelta(days=7 + 9 * k)
        RectificationStep.objects.filter(pk=step.pk).update(at=_aware(day))
    Rectification.objects.filter(pk=rect.pk).update(
        created_at=_aware(closed + timedelta(days=7)), updated_at=_aware(day)
    )


def build_follow_up(*, round: Round, lead: User) -> None:
    """Rectifications in every state on the April warnings, and a diagnosis case."""
    closed_at = round.closed_at
    Warning.objects.filter(round=round).update(notified_at=closed_at)
    users = {u.county.code: u for u in User.objects.filter(role="county").select_related("county")}
    for code, states in PLANS:
        warnings = list(
            Warning.objects.filter(round=round, county__code=code, replaced_at=None)
            .select_related("round", "county", "indicator__unit")
            .order_by("indicator__order")
        )
        Warning.objects.filter(pk__in=[w.pk for w in warnings]).update(read_at=closed_at)
        for n, (warning, state) in enumerate(zip(warnings, states, strict=False)):
            _answer(warning, state, n=n, county_user=users[code], lead=lead)
    _diagnosis(round=round, lead=lead, users=users)


def _diagnosis(*, round: Round, lead: User, users: dict) -> None:
    flag = (
        DiagnosisFlag.objects.filter(round=round, replaced_at=None)
        .select_related("county")
        .order_by("-warning_count", "county__code")
        .first()
    )
    if flag is None:
        return
    case = open_case(round=round, county=flag.county, actor=lead)
    experts = list(User.objects.filter(username__in=["unit-FGW", "unit-TJJ"]))
    update_case(
        case=case, actor=lead, experts=experts,
        findings="重点项目储备不足，固定资产投资和规上工业增加值连续两个轮次低于序时进度。",
        causes="招商引资项目落地慢，部分项目用地、环评等前期手续办理滞后；县级统筹调度不够。",
        recommendations="一是建立重点项目周调度机制；二是县领导分片包保滞后指标；"
        "三是8月预考核前报送整改进展。",
    )  # fmt: skip
    send_recommendations(case=case, actor=lead)
    sent = round.closes_on + timedelta(days=12)
    DiagnosisCase.objects.filter(pk=case.pk).update(
        opened_at=_aware(round.closes_on + timedelta(days=5)),
        sent_at=_aware(sent),
        read_at=_aware(sent + timedelta(days=1)),
        notified_at=_aware(sent),  # emailed back then: no email now
    )
    submit_plan(
        actor=users[flag.county.code], case=case,
        measures="落实会诊建议：建立周调度、县领导包保，8月底前报送整改进展。",
        owner=f"{flag.county.name}常务副县长", deadline=timezone.localdate() + timedelta(days=45),
    )  # fmt: skip


def mark_past_delivered(*, round: Round) -> None:
    """The warnings of a past round were delivered and read back then."""
    Warning.objects.filter(round=round).update(notified_at=F("issued_at"), read_at=F("issued_at"))
