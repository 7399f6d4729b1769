"""Bulk inserts for every app: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

A national cycle writes millions of rows (inputs, item scores, indicator results, warnings).
Django's ``bulk_create`` builds a model instance per row and an ``INSERT`` with a parameter
per value; PostgreSQL's ``COPY`` takes the rows as text, several times faster, and no model
instance is made. :func:`insert_rows` takes plain tuples and picks the fastest path the
database offers; SQLite (development, the default test run) keeps ``bulk_create``.

Rows bypass ``Model.save()``: the caller gives every column that has no database default,
``auto_now`` timestamps included, and values already of the field's type (``Decimal``,
``int``, ``str``, ``bool``, ``datetime``, lists for a JSON field).
"""

import io
import json
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from django.db import connections, models

# Rows per COPY statement: bounds the text held in memory at once.
COPY_CHUNK = 50_000
BATCH = 5000
NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _escaped(value: str) -> str:
    return value.translate(_ESCAPES)


def _formatter(field: models.Field) -> Callable[[object], str]:
    """How a value of ``field`` is written in COPY's text format."""
    if isinstance(field, models.BooleanField):
        convert = {True: "t", False: "f"}.__getitem__
    elif isinstance(field, models.JSONField):

        def convert(value):
            return _escaped(json.dumps(value, ensure_ascii=False))

    elif isinstance(field, models.DateTimeField | models.DateField):
        last: list = [None, ""]

        def convert(value):
            # Bulk rows share one timestamp: format it once.
            if value is not last[0]:
                last[:] = [value, value.isoformat()]
            return last[1]

    elif isinstance(field, models.CharField | models.TextField):
        convert = _escaped
    else:  # integers, decimals, foreign keys: str() is what PostgreSQL reads back
        convert = str
    if not field.null:
        return convert
    return lambda value: NULL if value is None else convert(value)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    using: str = "default",
) -> int:
    """Insert ``rows`` into the table of ``model``; return how many.

    ``fields`` names the columns by attribute (``county_id``, ``score``); each row holds their
    values in that order. Side effects: the inserts, in the caller's transaction.
    """
    connection = connections[using]
    concrete = [model._meta.get_field(name) for name in fields]
    if connection.vendor != "postgresql":
        return _bulk_create(model, fields, rows, using)
    formatters = [_formatter(field) for field in concrete]
    statement = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(field.column) for field in concrete),
    )
    rows = iter(rows)
    count = 0
    with connection.cursor() as cursor:
        while True:
            chunk = list(islice(rows, COPY_CHUNK))
            if not chunk:
                break
            text = "".join(
                "\t".join([f(v) for f, v in zip(formatters, row, strict=True)]) + "\n"
                for row in chunk
            )
            cursor.copy_expert(statement, io.StringIO(text))
            count += len(chunk)
    return count


def _bulk_create(model, fields, rows, using) -> int:
    rows = iter(rows)
    count = 0
    while True:
        chunk = list(islice(rows, BATCH))
        if not chunk:
            return count
        model.objects.using(using).bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in chunk]
        )
        count += len(chunk)
