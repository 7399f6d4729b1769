"""One review workflow for everything a unit writes and the lead department reviews: the
rules of an indicator, the data of an indicator in a round, and whatever is reviewed next.

draft → submitted → approved (frozen), or returned to the unit with a comment; an approved
thing changes again only once the lead department reopens it with a reason. Each reviewed
kind describes itself with a ``Workflow`` (its status and comment fields, its locks, the
stamps it keeps). ``services.py`` holds the one set of state changes (``submit``,
``approve``, ``return_``, ``reopen``), each of which locks the row, checks, saves and writes
one audit entry (``set_status``) in one transaction; ``forms.py`` the comment and reason
forms; ``views.py`` ``review_action``, what every review action view does; the template block
``assessment/partials/review.html`` the review panel of a page.

A refusal is a ``Locked`` (the thing may not change now: its ``Lock`` says why and who can
change that) or a ``WrongStatus``; both are ``assessment.refusals.Refused``. It calls only the
frame; ``indicators`` and ``scoring`` build their workflows on it.
"""
