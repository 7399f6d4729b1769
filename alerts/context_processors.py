from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from alerts.delivery import unread_count
from assessment.access import request_cycle


def warnings(request: HttpRequest) -> dict:
    """The number of unread warnings of a county user in the current cycle, for the
    navigation. Lazy: one query, on pages whose navigation shows it (a county user's); the
    cycle is the one the page looked up (:func:`request_cycle`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_county:
        return {"nav_unread_warnings": 0}
    return {
        "nav_unread_warnings": SimpleLazyObject(lambda: unread_count(user, request_cycle(request)))
    }
