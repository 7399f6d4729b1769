"""The vocabulary of the declared access tables (tests/<app>/access.py, read by test_access).

Each app declares, in ``tests/<app>/access.py``, ``ACCESS``: URL name → what each role gets,
and, when its URLs name objects the base world does not have, ``objects(world)`` returning
the URL kwargs of the signed-in personas' own objects and of someone else's::

    ACCESS = {
        "scoring:entry": access(lead=200, unit=200, county=403, outsider={"unit": 404}),
    }

    def objects(world):
        return {"own": {"warning": ...}, "other": {"warning": ...}}

A URL that answers GET (a page: a form, a preview) and POST (the action it confirms) declares
both with :func:`get_and_post`: the GET is the declaration the walks of every page read, the
POST is tried beside it. A URL declared for POST only must refuse GET (405).

The personas (tests/conftest.py) are the lead department, the unit ``TJJ`` (indicator A01)
and the county ``101``; the others' objects belong to the unit ``CZJ`` (indicator A02) and
the county ``102``. A URL that names any object besides the year must declare ``outsider``:
what the unit and the county get when the URL names the others' objects (404 for a
page that would leak them, so that an outsider cannot even learn the object exists).
"""

LOGIN = "login"  # a redirect to the login page
ROLES = ("anonymous", "lead", "unit", "county")
# URL kwargs that name a shared object: any other kwarg names an object someone owns.
SHARED_KWARGS = frozenset({"year"})


def access(
    method="get", *, anonymous=LOGIN, lead, unit, county, outsider=None, auth="session"
) -> dict:
    """The declared outcome (status code or LOGIN) of each role for one URL.

    ``outsider`` maps "unit" and "county" (and "lead" where it applies) to the outcome of
    the same request naming the other unit's or county's objects. ``auth="token"``: the
    persona calls with a data interface token of its account (``Authorization: Bearer``)
    instead of a signed-in session; the anonymous caller sends none.
    """
    declared = {
        "method": method,
        "auth": auth,
        "anonymous": anonymous,
        "lead": lead,
        "unit": unit,
        "county": county,
    }
    if outsider is not None:
        declared["outsider"] = dict(outsider)
    return declared


def lead_only(method="get", lead=200, outsider=None) -> dict:
    return access(method, lead=lead, unit=403, county=403, outsider=outsider)


def signed_in(method="get", outsider=None) -> dict:
    return access(method, lead=200, unit=200, county=200, outsider=outsider)


def get_and_post(get: dict, post: dict) -> dict:
    """One URL's GET declaration (its page) with its POST declaration (the action)."""
    if (get["method"], post["method"]) != ("get", "post"):
        raise ValueError("get_and_post takes a GET declaration, then a POST one")
    return {**get, "also": [post]}


def declarations(declared: dict) -> list[dict]:
    """Every method's declaration of one URL: the declared one, then those beside it."""
    return [declared, *declared.get("also", ())]
