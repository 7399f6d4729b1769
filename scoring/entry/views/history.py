"""The audit trail as the lead department reads it: the history of one cell, an indicator, a
county or a user. Entries come from the audit helpers of every layer (assessment.audit):
auditlog's entries of registered objects (indicators, rule items, counties, exemptions,
results …) and the entries the entry services write per cell and per status change."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from assessment.access import (
    LEAD,
    get_county_for_user,
    get_cycle_or_404,
    get_round_or_404,
    require_role,
)
from assessment.models import Adjustment, County, User, Veto
from indicators.access import get_indicator_for_user
from indicators.models import Indicator, RuleItem
from scoring.models import CountyResult, EntryState, Exemption

PER_PAGE = 100


def _of(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


# The fields of a cell's entry, which are not fields of the entry state itself.
CELL_FIELDS = {
    "actual": gettext_lazy("Actual"),
    "target": gettext_lazy("Target"),
    "progress": gettext_lazy("Progress (%%)"),
}


def _readable(model, field: str, values) -> tuple | None:
    """(label, before, after) of one change, with the field's verbose name and the labels
    of its choices; None for a reverse relation, which is no field of the record."""
    before, after = values if isinstance(values, list) and len(values) == 2 else ("", values)
    try:
        model_field = model._meta.get_field(field) if model else None
    except FieldDoesNotExist:
        model_field = None
    if model_field is not None and model_field.auto_created and not model_field.concrete:
        return None  # a reverse relation (auditlog lists them on a creation): no change
    if field in CELL_FIELDS:
        return str(CELL_FIELDS[field]).replace("%%", "%"), before, after
    if model_field is None:
        return field, before, after
    choices = {str(k): str(v) for k, v in (getattr(model_field, "choices", None) or ())}
    label = getattr(model_field, "verbose_name", field)
    if model_field.is_relation and str(label) == field.replace("_", " "):
        # A relation without a verbose name of its own: the related model's, translated.
        label = model_field.related_model._meta.verbose_name
    return (
        str(label),
        choices.get(str(before), before),
        choices.get(str(after), after),
    )


def _render(request: HttpRequest, title: str, entries, **extra) -> HttpResponse:
    page = Paginator(
        entries.select_related("actor", "content_type").order_by("-timestamp", "-id"), PER_PAGE
    ).get_page(request.GET.get("page"))
    for entry in page:
        data = entry.additional_data or {}
        entry.reason = data.get("reason") or data.get("comment") or ""
        entry.cell = data if data.get("kind") == "cell" else None
        model = entry.content_type.model_class()
        entry.change_list = [
            change
            for field, values in (entry.changes or {}).items()
            if field != "event" and (change := _readable(model, field, values)) is not None
        ]
        entry.event = (entry.changes or {}).get("event", [None, ""])[1]
    return render(request, "scoring/history.html", {"title": title, "page": page, **extra})


@require_role(LEAD)
@require_safe
def cell(request: HttpRequest, year: int, round: str, indicator: str, county: str) -> HttpResponse:
    """Every value and status change of one county's data on one indicator in one round."""
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle.year, round)
    ind = get_indicator_for_user(request.user, cycle, indicator)
    target = get_county_for_user(request.user, county)
    state = EntryState.objects.filter(round=rnd, indicator=ind).first()
    entries = LogEntry.objects.none()
    if state is not None:
        entries = LogEntry.objects.filter(content_type=_of(EntryState), object_id=state.pk).filter(
            Q(additional_data__county=target.code) | ~Q(additional_data__has_key="kind")
            | Q(additional_data__isnull=True)
        )  # fmt: skip
    title = _("History of %(county)s on %(indicator)s, %(round)s") % {
        "county": target.name, "indicator": ind, "round": rnd.name,
    }  # fmt: skip
    return _render(request, title, entries, cycle=cycle)


@require_role(LEAD)
@require_safe
def indicator(request: HttpRequest, year: int, indicator: str) -> HttpResponse:
    """The indicator itself, its rule items, its entries in every round, its exemptions."""
    cycle = get_cycle_or_404(year)
    ind = get_indicator_for_user(request.user, cycle, indicator)
    items = list(RuleItem.objects.filter(indicator=ind).values_list("id", flat=True))
    states = list(EntryState.objects.filter(indicator=ind).values_list("id", flat=True))
    exemptions = list(Exemption.objects.filter(indicator=ind).values_list("id", flat=True))
    entries = LogEntry.objects.filter(
        Q(content_type=_of(Indicator), object_id=ind.pk)
        | Q(content_type=_of(RuleItem), object_id__in=items)
        | Q(content_type=_of(EntryState), object_id__in=states)
        | Q(content_type=_of(Exemption), object_id__in=exemptions)
    )
    title = _("History of indicator %(indicator)s") % {"indicator": ind}
    return _render(request, title, entries, cycle=cycle)


@require_role(LEAD)
@require_safe
def county(request: HttpRequest, county: str) -> HttpResponse:
    """The county, its cells in every entry, its exemptions, adjustments, vetoes, results."""
    target = get_county_for_user(request.user, county)
    related = Q(content_type=_of(County), object_id=target.pk) | Q(
        content_type=_of(EntryState), additional_data__county=target.code
    )
    for model in (Exemption, Adjustment, Veto, CountyResult):
        ids = list(model.objects.filter(county=target).values_list("id", flat=True))
        related |= Q(content_type=_of(model), object_id__in=ids)
    title = _("History of county %(county)s") % {"county": target}
    return _render(request, title, LogEntry.objects.filter(related))


@require_role(LEAD)
@require_safe
def user(request: HttpRequest, username: str) -> HttpResponse:
    """Everything one person changed."""
    person = get_object_or_404(User, username=username)
    title = _("Changes made by %(user)s") % {"user": person.get_full_name() or person.username}
    return _render(request, title, LogEntry.objects.filter(actor=person))
