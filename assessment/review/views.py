"""What every review action view does, and the review panel a page shows."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from assessment.refusals import Refused
from assessment.review.forms import CommentForm, ReasonForm


def review_action(
    request: HttpRequest,
    action: Callable[..., object],
    *,
    form_class: type[CommentForm] | type[ReasonForm] | None = None,
    done: Callable[[], str],
) -> None:
    """Run ``action(actor=…, comment=…/reason=…)`` from the POST of ``request`` and say what
    happened: the comment or reason missing, the refusal's message, or ``done()``. The caller
    redirects back."""
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write a comment or reason: it is required."))
            return
        kwargs = form.cleaned_data
    try:
        action(actor=request.user, **kwargs)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done())


@dataclass
class ReviewPanel:
    """What the review block (``assessment/partials/review.html``) shows: the actions open to
    the thing's ``status`` and the words of its kind."""

    status: str
    approve_url: str
    return_url: str
    reopen_url: str
    approve_label: str
    nothing: str
    approve_hint: str = ""
    submitted_note: str = ""
    css: str = ""
    heading_id: str = "review-title"
    comment_form: CommentForm = field(default_factory=CommentForm)
    reason_form: ReasonForm = field(default_factory=ReasonForm)
