"""The lead department's page of the data interface's tokens: issue, list, revoke."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from api.forms import TokenForm
from api.models import ApiToken
from api.tokens import TokenRefused, issue_token, revoke_token
from assessment.access import LEAD, require_role


@require_role(LEAD)
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """Every token with its account and use; the form that issues one. The new token is
    shown once, on the page that answers the issuing POST, and never again."""
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = issue_token(
                user=form.cleaned_data["user"], name=form.cleaned_data["name"], actor=request.user
            )
        except TokenRefused as exc:
            form.add_error("user", str(exc))
        else:
            messages.success(
                request,
                _("Token issued to %(user)s. Copy it now: it is not shown again.")
                % {"user": issued.token.user.username},
            )
            form = TokenForm()
    rows = ApiToken.objects.select_related("user", "created_by", "revoked_by").order_by(
        "revoked_at", "-created_at", "-id"
    )
    response = render(request, "api/tokens.html", {"form": form, "tokens": rows, "issued": issued})
    if issued is not None:
        response["Cache-Control"] = "no-store"
    return response


@require_role(LEAD)
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, token: int) -> HttpResponse:
    """Revoke a token at once (it stays listed, revoked): the GET says what it will stop and
    asks to confirm; the POST revokes."""
    found = get_object_or_404(ApiToken.objects.select_related("user"), pk=token)
    if request.method == "GET":
        return render(request, "api/token_revoke.html", {"token": found})
    try:
        revoke_token(token=found, actor=request.user)
    except TokenRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Token %(prefix)s… of %(user)s revoked.")
            % {"prefix": found.prefix, "user": found.user.username},
        )
    return redirect("api_tokens:tokens")
