"""The pages the two lists kept under list management (清单管理) share — the veto list and the
pledge list: the list, which every role reads and to which the lead department adds items, with
the yearly review; an item's edit page; the review's record. A :class:`ListPages` says what
tells one list from the other; the views with their access decorators stay in ``vetoes.py``
and ``pledges.py``."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from assessment.access import request_cycle
from assessment.governance.forms import ReviewForm
from assessment.models import User


@dataclass(frozen=True)
class ListPages:
    """One list's models, services and words. The labels are lazy translations; ``added`` and
    ``saved`` take ``%(name)s``, ``reviewed`` ``%(year)s`` and ``%(count)s``, ``review_title``
    ``%(year)s``."""

    key: str  # "veto" or "pledge": its URL names assessment:<key>_items, _item_edit, _review
    form: type[ModelForm]
    items: Callable[[], QuerySet]  # the list, in its order
    review_model: type[Model]
    flagged: Callable[[int], list]  # the items a year's review flags
    record_review: Callable[..., Model]  # the service: year, note, actor
    title: str
    intro: str
    item_label: str
    empty: str
    review_title: str
    flagged_intro: str
    none_flagged: str
    add_title: str
    added: str
    saved: str
    reviewed: str
    # The links beside the title, (label, URL), for a user in a year.
    links: Callable[[User, int], list[tuple[str, str]]] = field(default=lambda user, year: [])
    unit_column: bool = False  # the issuing unit of each item

    @property
    def list_url(self) -> str:
        return f"assessment:{self.key}_items"

    @property
    def edit_url(self) -> str:
        return f"assessment:{self.key}_item_edit"

    @property
    def review_url(self) -> str:
        return f"assessment:{self.key}_review"


def list_page(request: HttpRequest, pages: ListPages) -> HttpResponse:
    """The list: every role reads it; the lead department adds items (POST) and sees the
    year's review."""
    form = pages.form(request.POST or None)
    if request.method == "POST":
        if not request.user.is_lead:
            raise PermissionDenied
        if form.is_valid():
            item = form.save()
            messages.success(request, pages.added % {"name": item.name})
            return redirect(pages.list_url)
    cycle = request_cycle(request)
    year = cycle.year if cycle else None
    return render(
        request,
        "assessment/listed_items.html",
        {
            "pages": pages,
            "items": pages.items(),
            "form": form,
            "year": year,
            "links": pages.links(request.user, year) if year else [],
            "review_title": pages.review_title % {"year": year} if year else "",
            "flagged": pages.flagged(year) if year else [],
            "review": pages.review_model.objects.filter(year=year)
            .select_related("reviewed_by")
            .first(),
            "review_form": ReviewForm(),
        },
    )


def item_edit(request: HttpRequest, pages: ListPages, pk: int) -> HttpResponse:
    """Change an item of the list (the lead department)."""
    item = get_object_or_404(pages.form._meta.model, pk=pk)
    form = pages.form(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, pages.saved % {"name": item.name})
        return redirect(pages.list_url)
    return render(
        request, "assessment/listed_item_form.html", {"pages": pages, "form": form, "item": item}
    )


def review(request: HttpRequest, pages: ListPages, year: int) -> HttpResponse:
    """Record the yearly review of the list (what it flagged, by whom)."""
    form = ReviewForm(request.POST)
    if form.is_valid():
        done = pages.record_review(year=year, note=form.cleaned_data["note"], actor=request.user)
        messages.success(request, pages.reviewed % {"year": year, "count": len(done.flagged)})
    return redirect(pages.list_url)
