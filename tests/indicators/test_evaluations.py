"""The units' evaluation opinions: written after the annual round opens, reviewed by the lead
department with the review workflow, published on the county's feedback page with the unit's
name, part of the unit's workbook of the annual round; every change audited."""

import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessment.models import Cycle
from assessment.refusals import Refused
from assessment.review.services import Locked
from indicators.models import UnitEvaluation
from indicators.services.evaluations import (
    approve_evaluation,
    published_evaluations,
    reopen_evaluation,
    return_evaluation,
    save_evaluation,
    submit_evaluation,
)
from tests.pages import build_cycle, open_rounds

TEXTS = {"strengths": "数据质量高", "weaknesses": "报送偶有延迟", "advice": "建立专人报送"}


@pytest.fixture
def world(unit, other_unit, county, other_county):
    cycle = build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    annual, _april = open_rounds(cycle)
    return {"cycle": cycle, "annual": annual}


def _save(world, unit, county, actor, **texts):
    return save_evaluation(
        cycle=world["cycle"], unit=unit, county=county, actor=actor, **(texts or TEXTS)
    )


def test_save_evaluation_is_audited_with_its_actor(world, unit, county, unit_user):
    evaluation = _save(world, unit, county, unit_user)
    entry = LogEntry.objects.get_for_object(evaluation).get()
    assert (entry.action, entry.actor, evaluation.status) == (
        LogEntry.Action.CREATE, unit_user, "draft",
    )  # fmt: skip


def test_save_evaluation_before_the_annual_round_opens_is_locked(world, unit, county, unit_user):
    world["annual"].status = "pending"
    world["annual"].save()
    with translation.override("en"), pytest.raises(Locked) as exc:
        _save(world, unit, county, unit_user)
    assert exc.value.lock.reason == "round_pending"
    assert UnitEvaluation.objects.count() == 0


def test_save_evaluation_in_an_archived_year_is_locked(world, unit, county, unit_user):
    Cycle.objects.filter(pk=world["cycle"].pk).update(status=Cycle.Status.ARCHIVED)
    world["cycle"].refresh_from_db()
    with pytest.raises(Locked) as exc:
        _save(world, unit, county, unit_user)
    assert exc.value.lock.reason == "cycle_archived"


def test_submit_empty_evaluation_is_refused(world, unit, county, unit_user):
    evaluation = _save(world, unit, county, unit_user, strengths=" ", weaknesses="", advice="")
    with translation.override("en"), pytest.raises(Refused) as exc:
        submit_evaluation(evaluation=evaluation, actor=unit_user)
    assert str(exc.value) == (
        "Write the strengths, the weaknesses or the advice before submitting."
    )


def test_evaluation_review_publishes_returns_and_reopens(world, unit, county, unit_user, lead):
    evaluation = submit_evaluation(
        evaluation=_save(world, unit, county, unit_user), actor=unit_user
    )
    with pytest.raises(Locked):
        _save(world, unit, county, unit_user)
    evaluation = return_evaluation(evaluation=evaluation, actor=lead, comment="建议更具体")
    assert (evaluation.status, evaluation.comment) == ("returned", "建议更具体")
    _save(world, unit, county, unit_user, advice="每月5日前报送")
    evaluation = submit_evaluation(evaluation=evaluation, actor=unit_user)
    evaluation = approve_evaluation(evaluation=evaluation, actor=lead)
    assert list(published_evaluations(cycle=world["cycle"], county=county)) == [evaluation]
    evaluation = reopen_evaluation(evaluation=evaluation, actor=lead, reason="措辞需调整")
    assert (evaluation.status, evaluation.comment) == ("draft", "措辞需调整")
    assert list(published_evaluations(cycle=world["cycle"], county=county)) == []
    reviews = [
        (e.changes_dict.get("status"), e.additional_data, e.actor)
        for e in LogEntry.objects.get_for_object(evaluation).order_by("pk")
        if "status" in e.changes_dict and e.action == LogEntry.Action.UPDATE
    ]
    assert reviews == [
        (["draft", "submitted"], None, unit_user),
        (["submitted", "returned"], {"comment": "建议更具体"}, lead),
        (["returned", "submitted"], None, unit_user),
        (["submitted", "approved"], None, lead),
        (["approved", "draft"], {"reason": "措辞需调整"}, lead),
    ]


def test_evaluation_page_unit_saves_and_submits(client, world, unit, county, unit_user):
    client.force_login(unit_user)
    url = reverse(
        "indicators:evaluation", kwargs={"year": 2024, "unit": unit.code, "county": county.code}
    )
    response = client.post(url, {**TEXTS, "submit": "1"})
    assert response.status_code == 302
    evaluation = UnitEvaluation.objects.get()
    assert (evaluation.status, evaluation.strengths, evaluation.advice) == (
        "submitted", "数据质量高", "建立专人报送",
    )  # fmt: skip
    page = client.get(url)
    assert page.context["lock"].reason == "submitted"


def test_evaluation_page_lead_reviews_with_the_panel(client, world, unit, county, unit_user, lead):
    submit_evaluation(evaluation=_save(world, unit, county, unit_user), actor=unit_user)
    client.force_login(lead)
    kwargs = {"year": 2024, "unit": unit.code, "county": county.code}
    page = client.get(reverse("indicators:evaluation", kwargs=kwargs))
    assert page.context["review"].status == "submitted"
    client.post(reverse("indicators:evaluation_return", kwargs=kwargs), {"comment": ""})
    assert UnitEvaluation.objects.get().status == "submitted"  # a comment is required
    client.post(reverse("indicators:evaluation_approve", kwargs=kwargs))
    assert UnitEvaluation.objects.get().status == "approved"
    assert client.post(reverse("indicators:evaluation", kwargs=kwargs), TEXTS).status_code == 403


def test_feedback_page_shows_published_evaluations_with_the_units_name(
    client, published, unit, other_unit, county, county_user
):
    UnitEvaluation.objects.create(
        cycle=published, unit=unit, county=county, status="approved", **TEXTS
    )
    UnitEvaluation.objects.create(
        cycle=published, unit=other_unit, county=county, status="submitted", strengths="未发布"
    )
    client.force_login(county_user)
    response = client.get(reverse("reports:feedback", kwargs={"year": 2024, "county": "101"}))
    assert [(e.unit.name, e.advice) for e in response.context["evaluations"]] == [
        ("市统计局", "建立专人报送")
    ]
    body = response.content.decode()
    assert ("市统计局" in body, "未发布" in body) == (True, False)


def test_evaluations_page_unit_lists_its_counties(client, world, unit, county, unit_user):
    _save(world, unit, county, unit_user)
    client.force_login(unit_user)
    response = client.get(reverse("indicators:evaluations", kwargs={"year": 2024}))
    assert [(c.code, e.status if e else None) for c, e in response.context["counties"]] == [
        ("101", "draft"),
        ("102", None),
    ]


@pytest.mark.parametrize("role", ["lead", "unit"])
def test_evaluations_page_query_count_is_constant(
    client, world, unit, county, other_county, unit_user, lead, role
):
    client.force_login(lead if role == "lead" else unit_user)
    url = reverse("indicators:evaluations", kwargs={"year": 2024})
    counts = []
    for made in ([county], [other_county]):
        for c in made:
            _save(world, unit, c, unit_user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _upload(client, book):
    buffer = io.BytesIO()
    book.save(buffer)
    url = reverse("scoring:unit_workbook", kwargs={"year": 2024, "round": "annual"})
    return client.post(url, {"file": SimpleUploadedFile("填报.xlsx", buffer.getvalue())})


def _download(client):
    url = reverse("scoring:unit_workbook_download", kwargs={"year": 2024, "round": "annual"})
    return openpyxl.load_workbook(io.BytesIO(client.get(url).content))


def test_unit_workbook_evaluations_sheet_round_trip(client, world, unit, county, unit_user):
    _save(world, unit, county, unit_user)
    client.force_login(unit_user)
    book = _download(client)
    ws = book["评价意见"]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["县区代码", "优势", "不足", "建议", "县区名称"],
        ["101", "数据质量高", "报送偶有延迟", "建立专人报送", "东城区"],
        ["102", None, None, None, "西城区"],
    ]
    ws["B3"], ws["D3"] = "进步明显", "加强统计队伍"
    assert _upload(client, book).status_code == 302
    written = {
        e.county.code: (e.strengths, e.weaknesses, e.advice)
        for e in UnitEvaluation.objects.select_related("county")
    }
    assert written == {
        "101": ("数据质量高", "报送偶有延迟", "建立专人报送"),
        "102": ("进步明显", "", "加强统计队伍"),
    }


def test_unit_workbook_evaluations_sheet_problems_write_nothing(
    client, world, unit, county, unit_user, lead
):
    evaluation = submit_evaluation(
        evaluation=_save(world, unit, county, unit_user), actor=unit_user
    )
    approve_evaluation(evaluation=evaluation, actor=lead)
    client.force_login(unit_user)
    book = _download(client)
    ws = book["评价意见"]
    ws["B2"] = "改写已发布的意见"
    ws["B3"] = "新意见"
    ws.append(["999", "无此县区"])
    response = _upload(client, book)
    assert response.status_code == 400
    assert response.context["problems"] == ['评价意见!A4: unknown county "999"']
    ws.delete_rows(4)
    response = _upload(client, book)
    assert response.context["problems"] == [
        "评价意见 东城区: The evaluation is published on the county's feedback page."
    ]
    assert list(UnitEvaluation.objects.values_list("county__code", "strengths")) == [
        ("101", "数据质量高")
    ]
