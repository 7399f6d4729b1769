from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """The role of the signed-in user, for the navigation of base.html."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None}
    return {"nav_role": user.role}
