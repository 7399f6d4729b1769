"""Pages of the assessments around the annual one (lead department; the veto list is read by
every role)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessment.access import ALL_ROLES, LEAD, get_cycle_or_404, require_role
from assessment.governance import vetoes
from assessment.governance.forms import VetoForm, VetoItemForm
from assessment.governance.views import all_years, confirm_page, lists
from assessment.governance.views.lists import ListPages
from assessment.models import Veto, VetoItem, VetoReview
from assessment.uploads import file_response

VETO_LIST = ListPages(
    key="veto",
    form=VetoItemForm,
    items=lambda: VetoItem.objects.order_by("-first_year", "id"),
    review_model=VetoReview,
    flagged=vetoes.flagged_items,
    record_review=vetoes.record_review,
    title=gettext_lazy("Veto list"),
    intro=gettext_lazy(
        "The items that keep a county out of the top grade whatever its total (one-vote veto), "
        "each with its basis and the years it applies to."
    ),
    item_label=gettext_lazy("Veto item"),
    empty=gettext_lazy("The veto list is empty."),
    review_title=gettext_lazy("Review of %(year)s"),
    flagged_intro=gettext_lazy("Items that apply this year without a basis:"),
    none_flagged=gettext_lazy("Every item that applies this year has its basis."),
    add_title=gettext_lazy("Add an item"),
    added=gettext_lazy("Veto item “%(name)s” added."),
    saved=gettext_lazy("Veto item “%(name)s” saved."),
    reviewed=gettext_lazy("The review of %(year)s is recorded; %(count)s item(s) flagged."),
)


@require_role(*ALL_ROLES)
def veto_items(request: HttpRequest) -> HttpResponse:
    """The veto list: every role reads it; the lead department adds items and reviews it."""
    return lists.list_page(request, VETO_LIST)


@require_role(LEAD)
def veto_item_edit(request: HttpRequest, veto_item: int) -> HttpResponse:
    return lists.item_edit(request, VETO_LIST, veto_item)


@require_role(LEAD)
@require_POST
def veto_review(request: HttpRequest, year: int) -> HttpResponse:
    """Record the yearly review of the veto list (what it flagged, by whom)."""
    return lists.review(request, VETO_LIST, year)


@require_role(LEAD)
def cycle_vetoes(request: HttpRequest, year: int) -> HttpResponse:
    """The vetoes of a year, and the form that records one against an item of the list."""
    cycle = get_cycle_or_404(year)
    form = VetoForm(request.POST or None, request.FILES or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            veto = vetoes.record_veto(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Veto recorded against %(county)s; recompute the results to apply it.")
                % {"county": veto.county.name},
            )
            return redirect("assessment:cycle_vetoes", year=year)
    rows = Veto.objects.filter(cycle=cycle).select_related("county", "item", "recorded_by")
    return render(
        request,
        "assessment/cycle_vetoes.html",
        {
            "cycle": cycle,
            "years": all_years(),
            "form": form,
            "vetoes": rows.order_by("county__code", "id"),
        },
    )


def _veto(year: int, pk: int) -> Veto:
    return get_object_or_404(
        Veto.objects.select_related("cycle", "county", "item"), pk=pk, cycle__year=year
    )


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def veto_withdraw(request: HttpRequest, year: int, veto: int) -> HttpResponse:
    """GET: what withdrawing the veto will change, to confirm; POST: withdraw it."""
    row = _veto(year, veto)
    if request.method != "POST":
        return confirm_page(
            request,
            cycle=row.cycle,
            title=_("Withdraw the veto of %(county)s") % {"county": row.county.name},
            changes=_withdraw_changes(row),
            confirm=_("Confirm: withdraw the veto"),
            back=(
                _("One-vote vetoes %(year)s") % {"year": year},
                reverse("assessment:cycle_vetoes", kwargs={"year": year}),
            ),
        )
    try:
        vetoes.withdraw_veto(veto=row, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The veto of %(county)s was withdrawn; recompute the results to apply it.")
            % {"county": row.county.name},
        )
    return redirect("assessment:cycle_vetoes", year=year)


def _withdraw_changes(row: Veto) -> list[str]:
    """What withdrawing ``row`` changes, in the words of the confirmation page."""
    county = row.county.name
    changes = [
        _("The veto of %(county)s under “%(item)s”, recorded on %(date)s, is deleted with its "
          "evidence.") % {
            "county": county, "item": row.item.name if row.item else row.reason,
            "date": f"{timezone.localtime(row.created_at):%Y-%m-%d}",
        }
    ]  # fmt: skip
    if row.attachment:
        changes.append(_("Its attachment %(name)s is deleted.") % {"name": row.attachment_name})
    others = Veto.objects.filter(cycle=row.cycle, county=row.county).exclude(pk=row.pk).count()
    if others:
        changes.append(
            ngettext(
                "%(county)s keeps %(n)d other veto this year: it stays graded poor.",
                "%(county)s keeps %(n)d other vetoes this year: it stays graded poor.",
                others,
            )
            % {"county": county, "n": others}
        )
    else:
        changes.append(
            _("%(county)s is no longer graded poor by a veto once the results are computed "
              "again.") % {"county": county}
        )  # fmt: skip
    computed = row.cycle.results_computed_at
    if computed is not None:
        changes.append(
            _("The results computed on %(date)s stay as they are until they are computed "
              "again.") % {"date": f"{timezone.localtime(computed):%Y-%m-%d}"}
        )  # fmt: skip
    changes.append(_("The withdrawal is recorded in the audit log; it cannot be undone."))
    return changes


@require_role(LEAD)
@require_safe
def veto_attachment(request: HttpRequest, year: int, veto: int) -> HttpResponse:
    row = _veto(year, veto)
    if not row.attachment:
        raise Http404
    return file_response(row.attachment, row.attachment_name or "veto")
