from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assessment.jobs.leases import recover_lost
from assessment.models import Cycle, Round, Veto
from indicators.models import Indicator, RuleItem
from scoring.models import AnnualInput, CountyResult, Exemption, ResultsRefusal
from scoring.results.services import ResultsRefused, compute_results
from scoring.results.views import REQUESTED_KEY
from scoring.tasks import compute_results_task
from tests.assessment.test_leases import lease
from tests.factories import CategoryFactory, CountyFactory, CycleFactory, UserFactory
from tests.pages import build_cycle, open_rounds

URL = reverse("scoring:results", kwargs={"year": 2024})
COMPUTE = reverse("scoring:compute_results", kwargs={"year": 2024})


def test_results_anonymous_redirects_to_login(client, computed):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={URL}")


def test_results_unit_is_forbidden(client, unit_user, computed):
    client.force_login(unit_user)
    assert client.get(URL).status_code == 403


def test_results_county_is_forbidden(client, county_user, computed):
    client.force_login(county_user)
    assert client.get(URL).status_code == 403


def test_results_unknown_year_is_404(client, lead, computed):
    client.force_login(lead)
    assert client.get(reverse("scoring:results", kwargs={"year": 1999})).status_code == 404


def test_results_lead_sees_rank_total_grade_and_points(client, lead, computed):
    client.force_login(lead)
    response = client.get(URL)
    assert response.status_code == 200
    rows = [
        (r.rank, r.county.code, r.total, r.grade, r.cells)
        for r in response.context["county_results"]
    ]
    assert rows == [
        (
            1,
            "101",
            Decimal("86.00"),
            "good",
            [(Decimal("54.00"), False, "A01"), (Decimal("32.00"), False, "A02")],
        ),
        (
            2,
            "102",
            Decimal("66.00"),
            "fair",
            [(Decimal("42.00"), False, "A01"), (Decimal("24.00"), False, "A02")],
        ),
    ]
    body = response.content.decode()
    assert (
        '<th scope="col" class="text-end indicator-col" title="地区生产总值增速" aria-sort="none">'
        '<a class="sort-link" href="?sort=-i%3AA01">A01</a></th>' in body
    )
    assert reverse("reports:results_xlsx", kwargs={"year": 2024}) in body
    assert response.context["problems"] == []


def test_results_statistics_name_top_and_bottom_counties(client, lead, computed):
    client.force_login(lead)
    stats = client.get(URL).context["stats"]
    ind, stat = stats[0]
    assert (ind.code, stat.highest, stat.lowest, stat.average) == (
        "A01",
        Decimal("54.00"),
        Decimal("42.00"),
        Decimal("48.00"),
    )
    assert (stat.top_names, stat.bottom_names) == (["东城区", "西城区"], ["西城区", "东城区"])


def test_results_override_is_marked_with_its_reason(client, lead, computed):
    CountyResult.objects.filter(county__code="102").update(
        grade_override="good", override_reason="抗洪抢险表现突出"
    )
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert 'class="badge text-bg-warning grade-override" title="抗洪抢险表现突出"' in body


def test_results_vetoed_county_is_marked(
    client, lead, computed, other_county, django_capture_on_commit_callbacks
):
    Veto.objects.create(cycle=computed, county=other_county, reason="安全生产事故")
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(COMPUTE)
    response = client.get(URL)
    vetoed = [r.county.code for r in response.context["county_results"] if r.vetoed]
    assert vetoed == ["102"]
    assert response.content.decode().count('<span class="badge text-bg-danger">') == 1


@pytest.mark.parametrize("county_count", [1, 3])
def test_results_query_count_is_constant(client, lead, county_count, django_assert_num_queries):
    counties = [CountyFactory(code=f"1{n:02d}") for n in range(county_count)]
    build_cycle(counties, [(90 - n, 80 - n) for n in range(county_count)])
    client.force_login(lead)
    with django_assert_num_queries(13):
        response = client.get(URL)
    assert len(response.context["county_results"]) == county_count


def test_compute_get_is_not_allowed(client, lead, computed):
    client.force_login(lead)
    assert client.get(COMPUTE).status_code == 405


def test_compute_unit_is_forbidden(client, unit_user, computed):
    client.force_login(unit_user)
    assert client.post(COMPUTE).status_code == 403


def test_compute_lead_computes_and_shows_the_results(client, lead, unit, county, other_county):
    cycle = build_cycle([county, other_county], [(90, 80), (70, 60)], compute=False)
    client.force_login(lead)
    posted = client.post(COMPUTE)  # queued at once (eager here)
    assert (posted.status_code, posted["Location"]) == (302, URL)
    response = client.get(URL)
    cycle.refresh_from_db()
    assert cycle.results_computed_at is not None
    assert [r.total for r in response.context["county_results"]] == [
        Decimal("86.00"),
        Decimal("66.00"),
    ]
    assert (response.context["pending"], response.context["problems"]) == (False, [])
    assert [str(m) for m in response.context["messages"]] == [
        "The computation of the 2024 results has been requested."
    ]
    assert REQUESTED_KEY in client.session
    assert client.session[REQUESTED_KEY] == {}


def test_compute_refused_lists_every_missing_input(client, lead, county, other_county):
    build_cycle([county, other_county], [(90, 80)], compute=False)
    client.force_login(lead)
    posted = client.post(COMPUTE)  # queued at once (eager here)
    assert (posted.status_code, posted["Location"]) == (302, URL)
    response = client.get(URL)
    assert response.context["pending"] is False
    assert Cycle.objects.get(year=2024).results_computed_at is None
    problems = [
        (p.county_code, p.indicator_code, p.item_code, p.problem)
        for p in response.context["problems"]
    ]
    assert problems == [
        ("102", "A01", "A01-1", "missing_actual"),
        ("102", "A02", "A02-1", "missing_actual"),
        ("102", "A02", "A02-1", "missing_target"),
    ]
    body = response.content.decode()
    assert 'class="alert alert-danger" id="results-problems"' in body
    assert "The latest computation (" in body and "3 problems must be fixed first" in body
    assert "102 西城区" in body
    assert response.context["county_results"] == []
    assert client.session[REQUESTED_KEY] == {}


def test_compute_refused_after_earlier_results_still_explains(client, lead, computed):
    AnnualInput.objects.filter(county__code="102", item__code="A01-1").update(actual=None)
    client.force_login(lead)
    posted = client.post(COMPUTE)  # queued at once (eager here)
    assert (posted.status_code, posted["Location"]) == (302, URL)
    response = client.get(URL)
    assert [(p.county_code, p.item_code) for p in response.context["problems"]] == [
        ("102", "A01-1")
    ]
    # The earlier results stay on the page below the explanation.
    assert len(response.context["county_results"]) == 2


def test_results_requested_and_not_answered_yet_is_running(client, lead, county):
    build_cycle([county], [], compute=False)
    client.force_login(lead)
    session = client.session  # requested by this user, not answered by a worker yet
    session[REQUESTED_KEY] = {"2024": timezone.now().isoformat()}
    session.save()
    response = client.get(URL)
    assert (response.context["pending"], response.context["problems"]) == (True, [])
    body = response.content.decode()
    assert 'id="results-pending"' in body and 'id="results-ready"' not in body


def test_a_computation_given_up_is_no_longer_running_and_says_what_to_do(
    client, lead, county, settings
):
    """Lost with its worker on every attempt and given up by the lease sweep: the page of
    the lead user who asked stops saying "computing", and every lead user reads why and
    what to do, until a computation succeeds."""
    settings.LEASE_MAX_ATTEMPTS = 3
    cycle = build_cycle([county], [(90, 80)], compute=False)
    client.force_login(lead)
    session = client.session  # requested by this user; its worker was lost each time
    session[REQUESTED_KEY] = {"2024": timezone.now().isoformat()}
    session.save()
    assert 'id="results-pending"' in client.get(URL).content.decode()
    lease(
        "scoring.compute_results", {"cycle_id": cycle.pk}, age=settings.LEASE_STALE_SECONDS + 1,
        attempt=settings.LEASE_MAX_ATTEMPTS,
    )  # fmt: skip
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 1}

    response = client.get(URL)
    body = response.content.decode()
    assert response.context["pending"] is False
    assert 'id="results-pending"' not in body and 'id="results-ready"' not in body
    assert "was interrupted 3 times together with the background worker" in body
    assert "check the memory of the background worker (gone) and its logs" in body
    assert client.session[REQUESTED_KEY] == {}  # answered: no longer this user's request

    other = Client()  # another lead user, in Chinese
    other.force_login(UserFactory(username="lead-2", role="lead"))
    chinese = other.get(URL).content.decode()
    given_up = chinese[chinese.index('id="results-given-up"') :]
    given_up = " ".join(given_up[: given_up.index("</div>")].split())
    assert "最近一次计算随运行它的后台进程中断了 3 次，已放弃" in given_up
    assert "请用上方的按钮重新开始计算。" in given_up
    assert "请系统管理员检查该后台进程（gone）的内存和日志" in given_up

    compute_results(cycle=cycle)  # started again, and it succeeded
    body = client.get(URL).content.decode()
    assert 'id="results-given-up"' not in body and not ResultsRefusal.objects.exists()


def test_results_not_computed_yet_does_not_check_the_year_on_each_visit(
    client, lead, county, django_assert_num_queries
):
    build_cycle([county], [], compute=False)
    client.force_login(lead)
    # The inputs, rules and entries of the year are not read: a national year is millions
    # of rows. The page says that computing checks them.
    with django_assert_num_queries(13):
        response = client.get(URL)
    assert (response.context["pending"], response.context["problem_count"]) == (False, 0)
    body = response.content.decode()
    assert 'id="results-ready"' in body and 'id="results-problems"' not in body


def test_a_refusal_of_the_nightly_job_is_shown_to_every_lead_user(client, lead, county):
    cycle = build_cycle([county], [], compute=False)
    compute_results_task.delay(cycle_id=cycle.pk)  # as the nightly job, in no one's session
    client.force_login(lead)
    response = client.get(URL)
    assert (response.context["pending"], response.context["problem_count"]) == (False, 3)
    assert 'class="alert alert-danger" id="results-problems"' in response.content.decode()


def test_a_refusal_says_what_to_do_and_links_to_the_round_and_its_matrix(client, lead, county):
    cycle = build_cycle([county], [], compute=False)
    annual, _april = open_rounds(cycle)
    Round.objects.filter(pk=annual.pk).update(status=Round.Status.PENDING)
    compute_results_task.delay(cycle_id=cycle.pk)
    client.force_login(lead)
    body = client.get(URL, headers={"accept-language": "en"}).content.decode()
    steps = body[body.index('id="results-next-steps"') :]
    steps = steps[: steps.index("</div>")]
    rounds = reverse("alerts:rounds", kwargs={"year": cycle.year})
    matrix = reverse("scoring:entry_matrix", kwargs={"year": cycle.year, "round": annual.code})
    assert "is not open yet: the units cannot enter the annual data" in steps
    assert f'href="{rounds}"' in steps and f'href="{matrix}"' in steps


def test_the_command_keeps_no_refusal_it_prints_the_reasons(county):
    cycle = build_cycle([county], [], compute=False)
    with pytest.raises(ResultsRefused):
        compute_results(cycle=cycle)  # the service the command calls writes nothing
    assert not ResultsRefusal.objects.exists()


def test_a_refusal_is_kept_until_a_computation_succeeds(county, other_county):
    cycle = build_cycle([county, other_county], [(90, 80)], compute=False)
    compute_results_task.delay(cycle_id=cycle.pk)  # as the button and the nightly job
    refusal = ResultsRefusal.objects.get(cycle=cycle)
    assert (refusal.problem_count, len(refusal.problems)) == (3, 3)
    for item in RuleItem.objects.filter(indicator__cycle=cycle):
        AnnualInput.objects.update_or_create(
            cycle=cycle,
            county=other_county,
            item=item,
            defaults={"actual": Decimal(50), "target": Decimal(60)},
        )
    compute_results(cycle=cycle)
    assert not ResultsRefusal.objects.filter(cycle=cycle).exists()


def test_a_refusal_keeps_the_first_problems_and_counts_all(county, other_county, monkeypatch):
    monkeypatch.setattr(ResultsRefusal, "KEPT", 2)
    cycle = build_cycle([county, other_county], [(90, 80)], compute=False)
    compute_results_task.delay(cycle_id=cycle.pk)  # as the button and the nightly job
    refusal = ResultsRefusal.objects.get(cycle=cycle)
    assert (refusal.problem_count, len(refusal.problems)) == (3, 2)
    assert sum(n for _code, _name, n in refusal.by_unit) == 3


def test_a_refusal_of_an_empty_cycle_keeps_its_sentence(db):
    cycle = CycleFactory(year=2030)
    with translation.override("en"):
        compute_results_task.delay(cycle_id=cycle.pk)
    assert ResultsRefusal.objects.get(cycle=cycle).problems == [
        {"text": "the cycle has no counties"}
    ]


def test_results_exempt_points_carry_a_mark_outside_the_number(client, lead, county, other_county):
    cycle = build_cycle([county, other_county], [(90, 80), (70, 60)], compute=False)
    Exemption.objects.create(cycle=cycle, county=county, indicator=cycle.indicators.get(code="A02"))
    compute_results(cycle=cycle)
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert body.count('<span class="exempt-mark" title="Exempt">') == 1
    assert '<span class="visually-hidden">Exempt</span>' in body


def test_results_missing_inputs_are_counted_per_unit(client, lead, county, unit, other_unit):
    cycle = build_cycle([county], [], units=(unit, other_unit), compute=False)
    compute_results_task.delay(cycle_id=cycle.pk)  # as the button and the nightly job
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert "市统计局 (TJJ): 1 missing or invalid input\n" in body
    assert "市财政局 (CZJ): 2 missing or invalid inputs\n" in body


def test_results_statistics_keep_each_county_name_whole(client, lead, computed):
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert (
        '<span class="text-nowrap">东城区</span>, <span class="text-nowrap">西城区</span>' in body
    )
    chinese_client = Client()
    chinese_client.force_login(lead)
    chinese = chinese_client.get(URL).content.decode()
    assert (
        '<span class="text-nowrap">东城区</span>、<span class="text-nowrap">西城区</span>'
        in chinese
    )


def test_results_wide_table_shows_one_category_at_a_time(client, lead, computed, monkeypatch):
    monkeypatch.setattr("scoring.results.views.MAX_COLUMNS", 1)
    second = CategoryFactory(cycle=computed, name="社会民生", order=2)
    Indicator.objects.filter(cycle=computed, code="A02").update(category=second)
    client.force_login(lead)
    first = client.get(URL)
    other = client.get(URL, {"category": second.id, "sort": "-i:A02"})
    assert [i.code for i in first.context["indicators"]] == ["A01"]
    assert [i.code for i in other.context["indicators"]] == ["A02"]
    assert [r.county.code for r in other.context["county_results"]] == ["101", "102"]
    assert f'href="?category={second.id}&amp;sort=i%3AA02"' in other.content.decode()


def test_results_many_counties_come_a_page_at_a_time_in_sorted_order(client, lead, monkeypatch):
    monkeypatch.setattr("scoring.results.views.ROWS_PER_PAGE", 2)
    counties = [CountyFactory(code=f"1{n:02d}") for n in range(3)]
    build_cycle(counties, [(90, 80), (70, 60), (80, 70)])
    client.force_login(lead)
    pages = [
        [
            r.county.code
            for r in client.get(URL, {"sort": "-total", "page": n}).context["county_results"]
        ]
        for n in (1, 2)
    ]
    assert pages == [["100", "102"], ["101"]]
    body = client.get(URL, {"sort": "-total", "page": 2}).content.decode()
    assert "Counties 3–3 of 3." in body
    assert 'href="?sort=-total&amp;page=1"' in body


@pytest.mark.parametrize("county_count", [3, 5])
def test_results_query_count_is_constant_when_paginated(
    client, lead, county_count, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("scoring.results.views.ROWS_PER_PAGE", 2)
    monkeypatch.setattr("scoring.results.views.MAX_COLUMNS", 1)
    counties = [CountyFactory(code=f"1{n:02d}") for n in range(county_count)]
    build_cycle(counties, [(90 - n, 80 - n) for n in range(county_count)])
    client.force_login(lead)
    with django_assert_num_queries(13):
        response = client.get(URL)
    assert len(response.context["county_results"]) == 2
