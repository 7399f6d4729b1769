"""Logging filters of the project (configured in ``config/settings.py``)."""

import logging

# Answers that refuse a request: a line says so; a traceback would only hide real errors.
_REFUSALS = {400, 403, 404, 405, 413, 429}


class OneLineRefusals(logging.Filter):
    """Drops the traceback of a record about a refused request (403 PermissionDenied, 404,
    400 SuspiciousOperation…): ``Forbidden (Permission denied): /path`` stays one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in _REFUSALS:
            record.exc_info = None
            record.exc_text = None
        return True
