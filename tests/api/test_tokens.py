"""The lead department's token page: issue (shown once), list, revoke; both audited."""

from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiToken
from api.tokens import digest_of, issue_token, token_for

TOKENS = reverse("api_tokens:tokens")
# session, user, the navigation (cycle, unread warnings), the tokens, the form's accounts
COUNT = 6


def test_tokens_page_issues_a_token_shown_once(client, lead, unit_user):
    client.force_login(lead)
    response = client.post(TOKENS, {"user": unit_user.pk, "name": "统计局数据系统"})
    token = ApiToken.objects.get()
    secret = response.context["issued"].secret
    assert (response.status_code, response["Cache-Control"]) == (200, "no-store")
    assert secret in response.content.decode()
    assert (token.user, token.name, token.created_by) == (unit_user, "统计局数据系统", lead)
    assert (token.digest, token.prefix) == (digest_of(secret), secret[:10])
    assert secret not in client.get(TOKENS).content.decode()


def test_tokens_page_issuing_is_audited(client, lead, unit_user):
    client.force_login(lead)
    client.post(TOKENS, {"user": unit_user.pk, "name": "统计局数据系统"})
    entry = LogEntry.objects.get_for_object(ApiToken.objects.get()).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, lead)
    assert "digest" not in entry.changes_dict


def test_tokens_page_without_a_purpose_reshows_the_form(client, lead, unit_user):
    client.force_login(lead)
    response = client.post(TOKENS, {"user": unit_user.pk, "name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert ApiToken.objects.count() == 0


def test_revoke_asks_then_revokes_and_audits(client, lead, county_user):
    issued = issue_token(user=county_user, name="区县系统", actor=lead)
    url = reverse("api_tokens:revoke", kwargs={"token": issued.token.pk})
    client.force_login(lead)
    assert "will be refused from now on" in client.get(url).content.decode()
    response = client.post(url)
    issued.token.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, TOKENS)
    assert (issued.token.revoked_by, token_for(issued.secret)) == (lead, None)
    entry = LogEntry.objects.get_for_object(issued.token).latest("timestamp")
    assert (entry.actor, sorted(entry.changes_dict)) == (lead, ["revoked_at", "revoked_by"])


def test_revoke_twice_says_so(client, lead, county_user):
    issued = issue_token(user=county_user, name="区县系统", actor=lead)
    url = reverse("api_tokens:revoke", kwargs={"token": issued.token.pk})
    client.force_login(lead)
    client.post(url)
    response = client.post(url, follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == "This token is revoked already."


def test_tokens_page_query_count_at_one_and_three_tokens(client, lead, unit_user):
    client.force_login(lead)
    counts = []
    for n in (1, 3):
        while ApiToken.objects.count() < n:
            issue_token(user=unit_user, name=f"系统{n}", actor=lead)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(TOKENS).status_code == 200
        counts.append(len(queries))
    assert counts == [COUNT, COUNT]
