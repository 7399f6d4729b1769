from api.tokens import issue_token
from tests.access import access, lead_only

UNAUTHORIZED = 401


def api(*, lead, unit, county, outsider=None, method="get") -> dict:
    """An endpoint of the data interface, called with each persona's token (no token: 401)."""
    return access(
        method, anonymous=UNAUTHORIZED, lead=lead, unit=unit, county=county,
        outsider=outsider, auth="token",
    )  # fmt: skip


# The description of the interface is public: it says how to call it, nothing of the data.
PUBLIC = access(anonymous=200, lead=200, unit=200, county=200)

ACCESS = {
    "api_tokens:tokens": lead_only(),
    # A token is the lead department's object: the other one answers the same.
    "api_tokens:revoke": lead_only(outsider={"unit": 403, "county": 403}),
    # django-ninja's root, which only names the others' base: 404 to everyone.
    "api:api-root": access(anonymous=404, lead=404, unit=404, county=404),
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:cycles": api(lead=200, unit=200, county=200),
    "api:indicators": api(lead=200, unit=200, county=200),
    "api:rounds": api(lead=200, unit=200, county=200),
    # The world's results are computed, not published: the lead department reads them.
    "api:results": api(lead=200, unit=403, county=404),
    "api:county_result": api(lead=200, unit=403, county=404, outsider={"unit": 403, "county": 404}),
    "api:statistics": api(lead=200, unit=404, county=404),
    # The round is no one's object; a unit reads its own indicators' data of it.
    "api:round_data": api(lead=200, unit=200, county=403, outsider={"unit": 200, "county": 403}),
    # An empty body is not JSON (400), refused before anything; a county may not write.
    "api:write_round_data": api(
        method="post", lead=400, unit=400, county=403, outsider={"unit": 400, "county": 403}
    ),
}


def objects(world):
    """A token of the lead department (its own) and another one: revoking either is the
    lead department's alone."""
    lead = world["users"]["lead"]
    own = issue_token(user=lead, name="省平台", actor=lead).token
    other = issue_token(user=world["users"]["unit"], name="统计局系统", actor=lead).token
    return {"own": {"token": own.pk}, "other": {"token": other.pk}}
