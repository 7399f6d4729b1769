"""The indicator system of a year (every role reads it, without any score), the detailed
rules of each indicator (written by its unit, reviewed by the lead department) and the
rules booklet."""

import json
from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import TemplateView

from assessment.access import (
    ALL_ROLES,
    LEAD,
    UNIT,
    RoleRequiredMixin,
    get_cycle_or_404,
    require_role,
)
from assessment.models import Cycle
from assessment.refusals import Refused
from assessment.review.forms import CommentForm, ReasonForm
from assessment.review.views import ReviewPanel, review_action
from indicators.access import get_indicator_for_user
from indicators.describe import describe_rule
from indicators.forms import METHOD_PARAMS, IndicatorRulesForm, RuleItemFormSet
from indicators.models import Category, Indicator, RuleItem
from indicators.preview import preview
from indicators.services import (
    approve_rules,
    reopen_rules,
    return_rules,
    rules_lock,
    save_rules,
    submit_rules,
)


class IndicatorSystemView(RoleRequiredMixin, TemplateView):
    """Categories, indicators and rule items of a year. Every role reads it; a unit sees its
    own indicators highlighted. No score appears here."""

    access_roles = ALL_ROLES
    template_name = "indicators/system.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = get_cycle_or_404(self.kwargs["year"])
        indicators = list(
            Indicator.objects.filter(cycle=cycle).select_related("unit").order_by("order", "code")
        )
        items_by_indicator = defaultdict(list)
        for item in RuleItem.objects.filter(cycle=cycle).order_by("order", "code"):
            items_by_indicator[item.indicator_id].append(item)
        by_category = defaultdict(list)
        for ind in indicators:
            ind.rule_items = items_by_indicator[ind.id]
            for item in ind.rule_items:
                item.explained = describe_rule(item.method, item.params, ind.direction)
            by_category[ind.category_id].append(ind)
        categories = []
        for category in Category.objects.filter(cycle=cycle).order_by("order", "id"):
            category.indicator_list = by_category[category.id]
            category.weights = sum((i.weight for i in category.indicator_list), Decimal(0))
            categories.append(category)
        weights = sum((i.weight for i in indicators), Decimal(0))
        user = self.request.user
        context.update(
            cycle=cycle,
            years=list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
            categories=categories,
            indicator_count=len(indicators),
            weights=weights,
            weights_ok=weights == cycle.total_points,
            own_unit_id=user.unit_id if user.is_unit else None,
        )
        return context


# --- detailed rules -------------------------------------------------------------------------


@require_role(LEAD, UNIT)
@require_safe
def rules_list(request: HttpRequest, year: int) -> HttpResponse:
    """The indicators whose rules the user writes (a unit) or reviews (the lead department),
    with the status of their rules and the count of each status."""
    cycle = get_cycle_or_404(year)
    indicators = Indicator.objects.filter(cycle=cycle).select_related("unit", "category")
    if request.user.is_unit:
        indicators = indicators.filter(unit_id=request.user.unit_id)
    indicators = indicators.annotate(item_count=Count("items")).order_by("order", "code")
    by_status = Counter(ind.rules_status for ind in indicators)
    return render(
        request,
        "indicators/rules_list.html",
        {
            "cycle": cycle,
            "indicators": indicators,
            "counts": [(v, label, by_status[v]) for v, label in Indicator.RulesStatus.choices],
        },
    )


def _rules_context(request, indicator, form, formset, **extra) -> dict:
    items = list(indicator.items.order_by("order", "code"))
    for item in items:
        item.explained = describe_rule(item.method, item.params, indicator.direction)
    return {
        "cycle": indicator.cycle,
        "indicator": indicator,
        "items": items,
        "form": form,
        "formset": formset,
        "lock": rules_lock(indicator),
        "method_params": json.dumps(METHOD_PARAMS),
        "review": _review_panel(indicator),
        **extra,
    }


def _review_panel(indicator: Indicator) -> ReviewPanel:
    kwargs = {"year": indicator.cycle.year, "indicator": indicator.code}
    return ReviewPanel(
        status=indicator.rules_status,
        approve_url=reverse("indicators:rules_approve", kwargs=kwargs),
        return_url=reverse("indicators:rules_return", kwargs=kwargs),
        reopen_url=reverse("indicators:rules_reopen", kwargs=kwargs),
        approve_label=_("Approve the rules"),
        nothing=_("Nothing to review: the unit has not submitted its rules."),
        heading_id="rules-review-title",
    )


def _previews(formset) -> None:
    for form in formset.kept():
        actual = form.cleaned_data.get("sample_actual")
        if actual is None:
            continue
        form.preview = preview(
            form.cleaned_data["method"],
            form.cleaned_data["params"],
            formset.form_kwargs["direction"],
            actual,
            form.cleaned_data.get("sample_target"),
        )


@require_role(LEAD, UNIT)
@require_http_methods(["GET", "HEAD", "POST"])
def rules(request: HttpRequest, year: int, indicator: str) -> HttpResponse:
    """Write the rule items of an indicator; preview a sample value; save or submit."""
    cycle = get_cycle_or_404(year)
    ind = get_indicator_for_user(request.user, cycle, indicator, write=True)
    queryset = ind.items.order_by("order", "code")
    if request.method != "POST" or rules_lock(ind) is not None:
        form = IndicatorRulesForm(initial={"direction": ind.direction})
        formset = RuleItemFormSet(queryset=queryset, indicator=ind, direction=ind.direction)
        return render(request, "indicators/rules.html", _rules_context(request, ind, form, formset))
    form = IndicatorRulesForm(request.POST)
    direction = request.POST.get("direction") if form.is_valid() else ind.direction
    formset = RuleItemFormSet(request.POST, queryset=queryset, indicator=ind, direction=direction)
    if not (form.is_valid() and formset.is_valid()):
        messages.error(request, _("Nothing was saved: correct what is marked below."))
        context = _rules_context(request, ind, form, formset)
        return render(request, "indicators/rules.html", context, status=400)
    if "preview" in request.POST:
        _previews(formset)
        messages.info(request, _("Preview only: nothing was saved."))
        return render(request, "indicators/rules.html", _rules_context(request, ind, form, formset))
    items = [
        {
            "instance": f.instance if f.instance.pk else None,
            **{
                k: f.cleaned_data[k]
                for k in ("code", "name", "content", "share", "method", "params")
            },
            "order": n,
        }
        for n, f in enumerate(formset.kept(), start=1)
    ]
    delete = [f.instance for f in formset.deleted_forms if f.instance.pk]
    try:
        save_rules(
            indicator=ind, direction=direction, items=items, delete=delete, actor=request.user
        )
        if "submit" in request.POST:
            submit_rules(indicator=ind, actor=request.user)
            messages.success(request, _("The rules are submitted to the lead department."))
        else:
            messages.success(request, _("The rules are saved."))
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect(request.path)


def _rules_action(request, year, indicator, action, form_class=None) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    ind = get_indicator_for_user(request.user, cycle, indicator, write=True)
    review_action(
        request,
        lambda **kwargs: action(indicator=ind, **kwargs),
        form_class=form_class,
        done=lambda: (
            _("Rules of %(indicator)s: %(status)s.")
            % {"indicator": ind, "status": ind.get_rules_status_display()}
        ),
    )
    return redirect("indicators:rules", year=year, indicator=indicator)


@require_role(LEAD, UNIT)
@require_POST
def rules_submit(request: HttpRequest, year: int, indicator: str) -> HttpResponse:
    return _rules_action(request, year, indicator, submit_rules)


@require_role(LEAD)
@require_POST
def rules_approve(request: HttpRequest, year: int, indicator: str) -> HttpResponse:
    return _rules_action(request, year, indicator, approve_rules)


@require_role(LEAD)
@require_POST
def rules_return(request: HttpRequest, year: int, indicator: str) -> HttpResponse:
    return _rules_action(request, year, indicator, return_rules, CommentForm)


@require_role(LEAD)
@require_POST
def rules_reopen(request: HttpRequest, year: int, indicator: str) -> HttpResponse:
    return _rules_action(request, year, indicator, reopen_rules, ReasonForm)


# --- the booklet ----------------------------------------------------------------------------


@require_role(*ALL_ROLES)
@require_safe
def booklet(request: HttpRequest, year: int) -> HttpResponse:
    """The approved rules of a year, grouped by category: one printable page for every role."""
    cycle = get_cycle_or_404(year)
    indicators = list(
        Indicator.objects.filter(cycle=cycle, rules_status=Indicator.RulesStatus.APPROVED)
        .select_related("unit")
        .order_by("order", "code")
    )
    items = defaultdict(list)
    for item in RuleItem.objects.filter(indicator__in=indicators).order_by("order", "code"):
        items[item.indicator_id].append(item)
    by_category = defaultdict(list)
    for ind in indicators:
        ind.rule_items = items[ind.id]
        for item in ind.rule_items:
            item.explained = describe_rule(item.method, item.params, ind.direction)
        by_category[ind.category_id].append(ind)
    categories = []
    for category in Category.objects.filter(cycle=cycle).order_by("order", "id"):
        if by_category[category.id]:
            category.indicator_list = by_category[category.id]
            categories.append(category)
    return render(
        request,
        "indicators/booklet.html",
        {
            "cycle": cycle,
            "categories": categories,
            "approved": len(indicators),
            "total": Indicator.objects.filter(cycle=cycle).count(),
        },
    )
