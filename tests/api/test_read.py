"""What each role's token reads: exactly what the account reads on the web pages."""

from django.test import Client

from api.tokens import issue_token, revoke_token


def test_cycles_no_token_is_401(computed):
    response = Client().get("/api/v1/cycles")
    assert (response.status_code, response.json()["detail"]) == (401, "Unauthorized")


def test_cycles_unknown_token_is_401(computed):
    response = Client().get("/api/v1/cycles", headers={"authorization": "Bearer kh_nonsense"})
    assert response.status_code == 401


def test_cycles_revoked_token_is_401(computed, lead, as_user, county_user):
    caller = as_user(county_user)
    assert caller.get("/cycles").status_code == 200
    token = county_user.api_tokens.get()
    revoke_token(token=token, actor=lead)
    assert caller.get("/cycles").status_code == 401


def test_cycles_inactive_account_is_401(computed, as_user, county_user):
    caller = as_user(county_user)
    county_user.is_active = False
    county_user.save()
    assert caller.get("/cycles").status_code == 401


def test_cycles_every_role_reads_them(computed, as_user, lead, unit_user, county_user):
    bodies = [as_user(u).get("/cycles").json() for u in (lead, unit_user, county_user)]
    assert [[c["year"] for c in body] for body in bodies] == [[2024]] * 3
    assert bodies[0][0]["total_points"] == "100.00"
    assert bodies[0][0]["published"] is False


def test_indicators_every_role_reads_the_rules(computed, as_user, county_user):
    body = as_user(county_user).get("/cycles/2024/indicators").json()
    assert [(i["code"], i["weight"], i["unit"]) for i in body["indicators"]] == [
        ("A01", "60.0000", "TJJ"),
        ("A02", "40.0000", "CZJ"),
    ]
    item = body["indicators"][1]["items"][0]
    assert (item["code"], item["method"], item["params"], item["needs_target"]) == (
        "A02-1",
        "ratio",
        "cap=120;floor=40",
        True,
    )


def test_indicators_unknown_year_is_404(computed, as_user, lead):
    response = as_user(lead).get("/cycles/1999/indicators")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "not found", "problems": []},
    )


def test_results_lead_reads_every_county_before_publication(computed, as_user, lead):
    body = as_user(lead).get("/cycles/2024/results").json()
    assert body["published"] is False
    assert [(r["county"], r["total"], r["rank"]) for r in body["results"]] == [
        ("101", "86.00", 1),
        ("102", "66.00", 2),
    ]


def test_results_county_before_publication_is_404(computed, as_user, county_user):
    assert as_user(county_user).get("/cycles/2024/results").status_code == 404


def test_results_county_reads_only_its_own_once_published(published, as_user, other_county_user):
    body = as_user(other_county_user).get("/cycles/2024/results").json()
    assert [(r["county"], r["total"], r["rank"]) for r in body["results"]] == [("102", "66.00", 2)]


def test_results_unit_token_is_403(published, as_user, unit_user):
    response = as_user(unit_user).get("/cycles/2024/results")
    assert (response.status_code, response.json()["detail"]) == (403, "Forbidden")


def test_county_result_own_has_its_indicators(published, as_user, county_user):
    body = as_user(county_user).get("/cycles/2024/results/101").json()
    assert (body["total"], body["grade"]) == ("86.00", body["computed_grade"])
    assert [(i["indicator"], i["points"], i["rank"]) for i in body["indicators"]] == [
        ("A01", "54.00", 1),
        ("A02", "32.00", 1),
    ]


def test_county_result_another_countys_is_404(published, as_user, county_user):
    assert as_user(county_user).get("/cycles/2024/results/102").status_code == 404


def test_county_result_lead_reads_any(computed, as_user, lead):
    assert as_user(lead).get("/cycles/2024/results/102").json()["total"] == "66.00"


def test_statistics_units_and_counties_once_published(published, as_user, unit_user, county_user):
    for user in (unit_user, county_user):
        body = as_user(user).get("/cycles/2024/statistics").json()
        assert [(s["indicator"], s["highest"], s["top"]) for s in body["statistics"]] == [
            ("A01", "54.00", ["101", "102"]),
            ("A02", "32.00", ["101", "102"]),
        ]


def test_statistics_before_publication_only_the_lead(computed, as_user, lead, unit_user):
    assert as_user(unit_user).get("/cycles/2024/statistics").status_code == 404
    assert as_user(lead).get("/cycles/2024/statistics").status_code == 200


def test_round_data_county_token_is_403(computed, as_user, county_user):
    assert as_user(county_user).get("/cycles/2024/rounds/annual/data").status_code == 403


def test_token_acts_with_the_accounts_role_now(computed, lead, county_user, county):
    """A changed role changes the token's scope at once."""
    secret = issue_token(user=county_user, name="x", actor=lead).secret
    headers = {"authorization": f"Bearer {secret}"}
    assert Client().get("/api/v1/cycles/2024/results", headers=headers).status_code == 404
    county_user.role, county_user.county = "lead", None
    county_user.save()
    assert Client().get("/api/v1/cycles/2024/results", headers=headers).status_code == 200


def test_rate_limit_per_token(computed, as_user, lead, unit_user, settings):
    settings.API_RATE = "3/min"
    first, second = as_user(lead), as_user(unit_user)
    codes = [first.get("/cycles").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert second.get("/cycles").status_code == 200  # another token counts apart
