"""The data interface: a read and write HTTP API for the units' own systems and a provincial
platform, made with django-ninja (``/api/v1/``, its OpenAPI description at
``/api/v1/openapi.json``).

Every request carries a token (``Authorization: Bearer kh_…``) issued to one account by the
lead department (:mod:`api.tokens`); the token acts with that account's role, exactly as on
the web pages: the indicator system and the rounds for everyone; the results and statistics
for the lead department at any time and, once published, a county's own result for that
county and the statistics for units and counties; a round's data for the lead department
(every indicator) and a unit (its own), written through the entry grid's services. Requests
are counted per token (``API_RATE``).
"""

import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI
from ninja.errors import AuthorizationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from api import data, schemas
from api.tokens import token_for
from assessment.access import ALL_ROLES, COUNTY, LEAD, UNIT, get_cycle_or_404
from assessment.models import Cycle, Round
from indicators.describe import describe_rule
from indicators.models import Indicator, RuleItem
from indicators.params import NEEDS_TARGET
from reports.publication import is_published, published_cycle_ids
from scoring.models import CountyResult, IndicatorResult, IndicatorStat


class TokenAuth(HttpBearer):
    """A bearer token of an active account whose role is among ``roles``: no token or an
    unknown, revoked or inactive one is 401; a valid one of another role is 403."""

    def __init__(self, roles=ALL_ROLES):
        super().__init__()
        self.roles = roles

    def authenticate(self, request: HttpRequest, token: str):
        found = token_for(token)
        if found is None:
            return None
        if found.user.role not in self.roles:
            raise AuthorizationError
        request.user = found.user  # the actor of the audit entries
        return found


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``API_RATE`` requests per token (``API_RATE_PER_MINUTE``), counted in the
    cache (Redis in production, so that every worker process counts together)."""

    scope = "token"

    def __init__(self):  # the rate is read on every request, so that a setting change holds
        pass

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        return None if token is None else f"api-rate-{token.pk}"


class DecimalParser(Parser):
    """JSON numbers read as exact decimals (``0.1`` stays 0.1, never a float)."""

    def parse_body(self, request: HttpRequest):
        return json.loads(request.body, parse_float=Decimal)


class ReadableRenderer(JSONRenderer):
    """JSON with the Chinese as it is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="县区领导班子绩效考核系统 API",
    version="1",
    description=(
        "Read the indicator system, the rules and the published results; write a round's "
        "data for a unit's own indicators. Every request needs `Authorization: Bearer <token>` "
        "(tokens are issued per account by the lead department and act with its role). "
        "Refusals answer `{detail, problems: [{location, message}]}`."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    parser=DecimalParser(),
    renderer=ReadableRenderer(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)

ERRORS = {
    400: schemas.ErrorOut,
    401: schemas.ErrorOut,
    403: schemas.ErrorOut,
    404: schemas.ErrorOut,
    422: schemas.ErrorOut,
    429: schemas.ErrorOut,
}
WRITERS = TokenAuth(roles=(LEAD, UNIT))
RESULT_READERS = TokenAuth(roles=(LEAD, COUNTY))


def _error(request, status, detail, problems=()):
    return api.create_response(
        request,
        {
            "detail": str(detail),
            "problems": [{"location": p[0], "message": p[1]} for p in problems],
        },
        status=status,
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    problems = [
        (".".join(str(part) for part in error.get("loc", ()) if part != "payload"),
         error.get("msg", ""))
        for error in exc.errors
    ]  # fmt: skip
    return _error(request, 422, "invalid request", problems)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not found")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden")


def _cycle(year: int) -> Cycle:
    return get_cycle_or_404(year)


def _round(cycle: Cycle, code: str) -> Round:
    return get_object_or_404(Round.objects.select_related("cycle"), cycle=cycle, code=code)


# --- reading: the year, its indicator system and rounds (every role) ---------------------


@api.get("/cycles", response={200: list[schemas.CycleOut], **ERRORS}, url_name="cycles")
def cycles(request):
    """Every assessment year, the latest first."""
    published = published_cycle_ids()
    return [
        {**{f: getattr(c, f) for f in schemas.CycleOut.model_fields if f != "published"},
         "published": c.id in published}
        for c in Cycle.objects.order_by("-year")
    ]  # fmt: skip


@api.get(
    "/cycles/{year}/indicators",
    response={200: schemas.IndicatorSystemOut, **ERRORS},
    url_name="indicators",
)
def indicators(request, year: int):
    """The indicator system of a year with every rule item (public to every role)."""
    cycle = _cycle(year)
    items: dict = {}
    for item in RuleItem.objects.filter(cycle=cycle).order_by("order", "code"):
        items.setdefault(item.indicator_id, []).append(item)
    rows = []
    for ind in (
        Indicator.objects.filter(cycle=cycle)
        .select_related("unit", "category")
        .order_by("order", "code")
    ):
        rows.append(
            {
                "code": ind.code, "name": ind.name, "category": ind.category.name,
                "weight": ind.weight, "direction": ind.direction, "unit": ind.unit.code,
                "unit_name": ind.unit.name, "rules_status": ind.rules_status,
                "items": [
                    {
                        "code": i.code, "name": i.name, "content": i.content, "share": i.share,
                        "method": i.method, "params": i.params,
                        "needs_target": i.method in NEEDS_TARGET,
                        "explained": describe_rule(i.method, i.params, ind.direction),
                    }
                    for i in items.get(ind.id, [])
                ],
            }
        )  # fmt: skip
    return {"year": cycle.year, "total_points": cycle.total_points, "indicators": rows}


@api.get(
    "/cycles/{year}/rounds", response={200: list[schemas.RoundOut], **ERRORS}, url_name="rounds"
)
def rounds(request, year: int):
    """The rounds of a year: the annual assessment and the pre-assessments."""
    cycle = _cycle(year)
    return list(Round.objects.filter(cycle=cycle).order_by("opens_on", "code"))


# --- reading: results and statistics --------------------------------------------------------


def _result_row(result: CountyResult) -> dict:
    return {
        "county": result.county.code, "name": result.county.name,
        "indicator_points": result.indicator_points, "adjustment": result.adjustment,
        "total": result.total, "rank": result.rank, "grade": result.grade,
        "computed_grade": result.computed_grade, "grade_overridden": result.is_overridden,
        "vetoed": result.vetoed,
    }  # fmt: skip


def _visible_results(request, cycle: Cycle):
    """The results ``request``'s account may read: the lead department every county's at
    any time, a county its own once published (404 before)."""
    user = request.auth.user
    results = CountyResult.objects.filter(cycle=cycle).select_related("county")
    if user.is_lead:
        return results
    if not is_published(cycle):
        raise Http404
    return results.filter(county_id=user.county_id)


@api.get(
    "/cycles/{year}/results",
    response={200: schemas.ResultsOut, **ERRORS},
    auth=RESULT_READERS,
    url_name="results",
)
def results(request, year: int):
    """Totals, ranks and grades: every county for the lead department (published or not),
    only its own for a county once published."""
    cycle = _cycle(year)
    rows = [_result_row(r) for r in _visible_results(request, cycle).order_by("rank", "county")]
    return {
        "year": cycle.year,
        "published": is_published(cycle),
        "computed_at": cycle.results_computed_at,
        "county_count": cycle.counties.count(),
        "results": rows,
    }


@api.get(
    "/cycles/{year}/results/{county}",
    response={200: schemas.CountyDetailOut, **ERRORS},
    auth=RESULT_READERS,
    url_name="county_result",
)
def county_result(request, year: int, county: str):
    """One county's result with its points on every indicator (another county's is 404 to
    a county)."""
    cycle = _cycle(year)
    result = get_object_or_404(_visible_results(request, cycle), county__code=county)
    points = (
        IndicatorResult.objects.filter(cycle=cycle, county=result.county)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code")
    )
    return {
        **_result_row(result),
        "indicators": [
            {"indicator": p.indicator.code, "points": p.points, "percent": p.percent,
             "exempt": p.exempt, "rank": p.rank}
            for p in points
        ],
    }  # fmt: skip


@api.get(
    "/cycles/{year}/statistics",
    response={200: schemas.StatisticsOut, **ERRORS},
    url_name="statistics",
)
def statistics(request, year: int):
    """Per indicator: highest, lowest, average and the top and bottom three (county codes) —
    the lead department at any time, units and counties once published."""
    cycle = _cycle(year)
    if not request.auth.user.is_lead and not is_published(cycle):
        raise Http404
    stats = (
        IndicatorStat.objects.filter(cycle=cycle)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code")
    )
    return {
        "year": cycle.year,
        "statistics": [
            {"indicator": s.indicator.code, "name": s.indicator.name, "highest": s.highest,
             "lowest": s.lowest, "average": s.average, "top": s.top, "bottom": s.bottom}
            for s in stats
        ],
    }  # fmt: skip


# --- a round's data: read and write (lead department, units) ------------------------------


@api.get(
    "/cycles/{year}/rounds/{round}/data",
    response={200: schemas.RoundDataOut, **ERRORS},
    auth=WRITERS,
    url_name="round_data",
)
def round_data(request, year: int, round: str):
    """The values entered in a round on the indicators the account enters (the lead
    department every indicator, a unit its own), with each indicator's entry status."""
    rnd = _round(_cycle(year), round)
    found = data.read_round_data(round=rnd, user=request.auth.user)
    return {
        "year": year, "round": rnd.code, "annual": found.annual,
        "progress": found.progress, "entries": found.entries,
    }  # fmt: skip


@api.post(
    "/cycles/{year}/rounds/{round}/data",
    response={200: schemas.WriteOut, **ERRORS},
    auth=WRITERS,
    url_name="write_round_data",
)
def write_round_data(request, year: int, round: str, payload: schemas.RoundDataIn):
    """Write a round's values on the account's own indicators, as the entry grid saves
    them: the same checks, lock and audit, one audit entry per changed cell. The annual
    round takes `annual` rows (`actual`, and `target` where the method needs one), a
    pre-assessment `progress` rows. A field left out is left as it is. All or nothing: any
    problem, every one listed with its location, and nothing is written (422)."""
    rnd = _round(_cycle(year), round)
    try:
        summary = data.write_round_data(
            round=rnd,
            user=request.auth.user,
            annual=[row.model_dump() for row in payload.annual],
            progress=[row.model_dump() for row in payload.progress],
        )
    except data.DataRefused as refused:
        return _error(
            request,
            422,
            "nothing was written",
            [(p.location, p.message) for p in refused.problems],
        )
    return {
        "changed": summary.changed,
        "entries": [{"indicator": code, "status": status} for code, status in summary.indicators],
    }
