"""The data interface in the demo city: a token for the provincial platform (the lead
department's account), one for a unit's own system and one for a county, so that the token
page lists them and the API can be tried at once (the command prints them, once)."""

from dataclasses import dataclass

from api.models import ApiToken
from api.tokens import issue_token
from assessment.models import User

PURPOSES = {
    User.Role.LEAD: "演示：省级考核平台",
    User.Role.UNIT: "演示：单位业务系统",
    User.Role.COUNTY: "演示：县区查询",
}


@dataclass(frozen=True)
class DemoToken:
    username: str
    purpose: str
    secret: str


def issue_demo_tokens(*, lead: User) -> list[DemoToken]:
    """Side effects: deletes the demo's earlier tokens (by their purposes) and issues one
    token to the lead department, to the first unit account and to the first county
    account, each issued by ``lead`` (audited)."""
    ApiToken.objects.filter(name__in=PURPOSES.values()).delete()
    tokens = []
    for role, purpose in PURPOSES.items():
        user = (
            lead
            if role == User.Role.LEAD
            else User.objects.filter(role=role).order_by("username").first()
        )
        if user is None:
            continue
        issued = issue_token(user=user, name=purpose, actor=lead)
        tokens.append(DemoToken(user.username, purpose, issued.secret))
    return tokens
