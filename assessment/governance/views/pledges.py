"""Pages of the pledge list (责任状): the list and its yearly review (every role reads it; the
lead department edits it), the year's signings (the lead department all, a unit those of the
matters it issues, a county its own), the spot checks (lead department)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessment.access import ALL_ROLES, LEAD, get_cycle_or_404, require_role
from assessment.governance import pledges
from assessment.governance.pledge_forms import PledgeCheckForm, PledgeItemForm, PledgeSigningForm
from assessment.governance.views import all_years, confirm_page, lists
from assessment.governance.views.lists import ListPages
from assessment.models import PledgeCheck, PledgeItem, PledgeReview, PledgeSigning, User


def _pledge_links(user: User, year: int) -> list[tuple[str, str]]:
    links = [
        (
            _("Signings of %(year)s") % {"year": year},
            reverse("assessment:cycle_pledges", kwargs={"year": year}),
        )
    ]
    if user.is_lead:
        links.append((
            _("Spot checks of %(year)s") % {"year": year},
            reverse("assessment:pledge_checks", kwargs={"year": year}),
        ))  # fmt: skip
    return links


PLEDGE_LIST = ListPages(
    key="pledge",
    form=PledgeItemForm,
    items=lambda: PledgeItem.objects.select_related("issuing_unit").order_by("-first_year", "id"),
    review_model=PledgeReview,
    flagged=pledges.flagged_items,
    record_review=pledges.record_review,
    title=gettext_lazy("Pledge list"),
    intro=gettext_lazy(
        "The responsibility pledges the city allows counties to be asked to sign, each with its "
        "basis and issuing unit (list management). A county may be asked to sign only a matter "
        "of this list."
    ),
    item_label=gettext_lazy("Pledge matter"),
    empty=gettext_lazy("The pledge list is empty."),
    review_title=gettext_lazy("Clean-up review of %(year)s"),
    flagged_intro=gettext_lazy("Matters that apply this year without a basis:"),
    none_flagged=gettext_lazy("Every matter that applies this year has its basis."),
    add_title=gettext_lazy("Add a matter"),
    added=gettext_lazy("Pledge matter “%(name)s” added."),
    saved=gettext_lazy("Pledge matter “%(name)s” saved."),
    reviewed=gettext_lazy("The review of %(year)s is recorded; %(count)s matter(s) flagged."),
    links=_pledge_links,
    unit_column=True,
)


@require_role(*ALL_ROLES)
def pledge_items(request: HttpRequest) -> HttpResponse:
    """The pledge list: every role reads it; the lead department adds matters and reviews it."""
    return lists.list_page(request, PLEDGE_LIST)


@require_role(LEAD)
def pledge_item_edit(request: HttpRequest, pledge_item: int) -> HttpResponse:
    return lists.item_edit(request, PLEDGE_LIST, pledge_item)


@require_role(LEAD)
@require_POST
def pledge_review(request: HttpRequest, year: int) -> HttpResponse:
    """Record the yearly clean-up review of the pledge list (what it flagged, by whom)."""
    return lists.review(request, PLEDGE_LIST, year)


def visible_signings(user: User, cycle):
    """The signings of ``cycle`` ``user`` sees: the lead all, a unit those of the matters it
    issues, a county its own."""
    rows = PledgeSigning.objects.filter(cycle=cycle).select_related(
        "county", "item__issuing_unit", "recorded_by"
    )
    if user.is_unit:
        return rows.filter(item__issuing_unit_id=user.unit_id)
    if user.is_county:
        return rows.filter(county_id=user.county_id)
    return rows


@require_role(*ALL_ROLES)
def cycle_pledges(request: HttpRequest, year: int) -> HttpResponse:
    """The year's signings, and (lead department, units) the form that records one."""
    cycle = get_cycle_or_404(year)
    form = None
    if not request.user.is_county:
        form = PledgeSigningForm(request.POST or None, cycle=cycle, user=request.user)
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            signing = pledges.record_signing(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Recorded: %(county)s signed “%(item)s”.")
                % {"county": signing.county.name, "item": signing.item.name},
            )
            return redirect("assessment:cycle_pledges", year=year)
    return render(
        request,
        "assessment/cycle_pledges.html",
        {
            "cycle": cycle,
            "years": all_years(),
            "form": form,
            "signings": visible_signings(request.user, cycle).order_by("county__code", "item_id"),
        },
    )


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def pledge_withdraw(request: HttpRequest, year: int, signing: int) -> HttpResponse:
    """Withdraw a signing recorded by mistake (the lead department; a unit asks it). GET: what
    withdrawing will change, to confirm; POST: withdraw it."""
    row = get_object_or_404(
        PledgeSigning.objects.select_related("cycle", "county", "item"),
        pk=signing,
        cycle__year=year,
    )
    names = {"county": row.county.name, "item": row.item.name}
    if request.method != "POST":
        return confirm_page(
            request,
            cycle=row.cycle,
            title=_("Withdraw the signing of %(county)s") % names,
            changes=_withdraw_changes(row),
            confirm=_("Confirm: withdraw the signing"),
            back=(
                _("Pledge signings %(year)s") % {"year": year},
                reverse("assessment:cycle_pledges", kwargs={"year": year}),
            ),
        )
    try:
        pledges.withdraw_signing(signing=row, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Withdrawn: %(county)s no longer signed “%(item)s”.") % names)
    return redirect("assessment:cycle_pledges", year=year)


def _withdraw_changes(row: PledgeSigning) -> list[str]:
    """What withdrawing the signing ``row`` changes, in the words of the confirmation page."""
    names = {"county": row.county.name, "item": row.item.name, "year": row.cycle.year}
    changes = [
        _("The signing of “%(item)s” by %(county)s on %(date)s is deleted: the county no "
          "longer shows as having signed it in %(year)s.")
        % {**names, "date": f"{row.signed_on:%Y-%m-%d}"},
        _("The county may be asked to sign “%(item)s” again this year.") % names,
    ]  # fmt: skip
    checks = PledgeCheck.objects.filter(cycle=row.cycle, item=row.item, counties=row.county).count()
    if checks:
        changes.append(
            ngettext(
                "%(n)d spot check of this matter in %(county)s stays recorded.",
                "%(n)d spot checks of this matter in %(county)s stay recorded.",
                checks,
            )
            % {**names, "n": checks}
        )
    changes.append(_("The withdrawal is recorded in the audit log; it cannot be undone."))
    return changes


@require_role(LEAD)
def pledge_checks(request: HttpRequest, year: int) -> HttpResponse:
    """The year's spot checks of the pledges, and the form that records one."""
    cycle = get_cycle_or_404(year)
    form = PledgeCheckForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            pledges.record_check(cycle=cycle, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The spot check is recorded."))
            return redirect("assessment:pledge_checks", year=year)
    checks = (
        PledgeCheck.objects.filter(cycle=cycle)
        .select_related("item", "recorded_by")
        .prefetch_related("counties")
        .order_by("-checked_on", "-id")
    )
    return render(
        request,
        "assessment/pledge_checks.html",
        {"cycle": cycle, "years": all_years(), "form": form, "checks": checks},
    )
