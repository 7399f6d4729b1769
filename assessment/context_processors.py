from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assessment.access import request_cycle

# The product's proper name, shown as it is in every language of the interface.
PRODUCT_NAME = "县区领导班子绩效考核系统"


def navigation(request: HttpRequest) -> dict:
    """The role of the signed-in user and the current cycle, for the navigation of base.html.

    ``nav_cycle`` is lazy and shared with the view (:func:`request_cycle`): it costs a query
    only on pages whose navigation shows it, and only once.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None, "nav_cycle": None, "product_name": PRODUCT_NAME}
    return {
        "nav_role": user.role,
        "nav_cycle": SimpleLazyObject(lambda: request_cycle(request)),
        "product_name": PRODUCT_NAME,
    }
