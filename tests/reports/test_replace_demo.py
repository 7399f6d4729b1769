"""``import_workbook --replace`` of the demo's current year (2026) keeps every record that
hangs on the year; dropping an indicator that has records is refused with their list unless
``--discard-records`` confirms it."""

from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from alerts.models import DiagnosisCase, DiagnosisFlag, Rectification, UnitReminder, Warning
from assessment.models import (
    Adjustment,
    Cycle,
    Round,
    RoutineRecord,
    SpecialScore,
    SpecialTask,
    Veto,
)
from indicators.models import Indicator, RuleItem
from reports.models import Objection, Publication
from scoring.models import AnnualInput, EntryState, Evidence, Progress

pytestmark = pytest.mark.django_db

YEAR = 2026
KEPT = [
    RoutineRecord, SpecialTask, SpecialScore, DiagnosisFlag, DiagnosisCase, Rectification,
    Objection, Evidence, EntryState, Warning, Publication, Round, Indicator,
    RuleItem, Adjustment, Veto,
]  # fmt: skip


def command(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def records(cycle: Cycle) -> dict[str, set[int]]:
    """The ids of every record of the year, by model (special scores through their task)."""
    found = {}
    for model in KEPT:
        field = "task__cycle" if model is SpecialScore else "cycle"
        found[model.__name__] = set(
            model.objects.filter(**{field: cycle}).values_list("pk", flat=True)
        )
    states = [str(pk) for pk in found["EntryState"]]
    found["entry history"] = set(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(EntryState), object_pk__in=states
        ).values_list("pk", flat=True)
    )
    return found


@pytest.fixture(scope="module")
def demo_workbook(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once for the module (rolled back after it), and its year's workbook."""
    path = tmp_path_factory.mktemp("replace") / f"cycle-{YEAR}.xlsx"
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            command("seed_demo", "--password", "demo1234", "--force")
            command("export_cycle", str(YEAR), "--out", str(path))
            yield path
            transaction.set_rollback(True)


def add_evidence_and_objection(cycle: Cycle) -> None:
    """The demo's current year has none yet: one of each, on its first warned indicator."""
    warning = Warning.objects.filter(cycle=cycle).order_by("pk").first()
    Evidence.objects.create(
        cycle=cycle, round=warning.round, indicator=warning.indicator, county=warning.county,
        file="evidence/2026/report.pdf", name="report.pdf", kind="pdf", size=10,
    )  # fmt: skip
    Objection.objects.create(
        cycle=cycle, county=warning.county, indicator=warning.indicator, reasons="数据有误"
    )


def test_replace_of_the_demo_year_keeps_every_record(demo_workbook):
    cycle = Cycle.objects.get(year=YEAR)
    add_evidence_and_objection(cycle)
    before = records(cycle)
    data_before = (AnnualInput.objects.filter(cycle=cycle).count(),
                   Progress.objects.filter(cycle=cycle).count())  # fmt: skip
    assert {name: len(before[name]) for name in ("RoutineRecord", "SpecialTask", "DiagnosisCase",
            "Rectification", "Evidence", "Objection", "Warning")} == {
        "RoutineRecord": 11, "SpecialTask": 2, "DiagnosisCase": 1, "Rectification": 8,
        "Evidence": 1, "Objection": 1, "Warning": 127,
    }  # fmt: skip
    output = command("import_workbook", str(demo_workbook), "--replace")
    assert output.startswith(f"imported {YEAR}:")
    after = records(Cycle.objects.get(year=YEAR))
    assert {name: len(ids) for name, ids in after.items()} == {
        name: len(ids) for name, ids in before.items()
    }
    assert after == before
    assert Cycle.objects.get(year=YEAR).pk == cycle.pk
    assert (AnnualInput.objects.filter(cycle=cycle).count(),
            Progress.objects.filter(cycle=cycle).count()) == data_before  # fmt: skip
    event = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Cycle), object_pk=str(cycle.pk)
    ).latest("pk")
    assert event.changes_dict["event"] == [None, "import_workbook_replace"]


def drop_indicator(source: Path, target: Path, code: str) -> None:
    """The workbook without indicator ``code``: its row, its items and their data; its
    weight goes to another indicator of its category, so that the weights still add up."""
    book = load_workbook(source)
    ws = book["指标"]
    rows = list(ws.iter_rows(min_row=2))
    dropped = next(r for r in rows if r[0].value == code)
    heir = next(r for r in rows if r[0].value != code and r[2].value == dropped[2].value)
    heir[3].value = float(heir[3].value) + float(dropped[3].value)
    items = {
        row[1] for row in book["细则"].iter_rows(min_row=2, values_only=True) if row[0] == code
    }
    # The column that names the indicator or the item, by sheet.
    columns = {"指标": (0, {code}), "细则": (0, {code}), "年度数据": (1, items),
               "预考核数据": (2, {code}), "免考": (1, {code})}  # fmt: skip
    for ws in book.worksheets:
        if ws.title not in columns:
            continue
        column, codes = columns[ws.title]
        for row in range(ws.max_row, 1, -1):
            if ws.cell(row, column + 1).value in codes:
                ws.delete_rows(row)
    book.save(target)


def test_replace_dropping_an_indicator_with_records_is_refused_then_discarded(
    demo_workbook, tmp_path
):
    cycle = Cycle.objects.get(year=YEAR)
    warned = Warning.objects.filter(cycle=cycle).values_list("indicator__code", flat=True)
    code = sorted(set(warned))[0]
    n_warnings = Warning.objects.filter(cycle=cycle, indicator__code=code).count()
    warning = Warning.objects.filter(cycle=cycle, indicator__code=code).first()
    UnitReminder.objects.create(
        cycle=cycle, round=warning.round, indicator=warning.indicator, kind="late"
    )  # bookkeeping: deleted with the indicator, never listed as a lost record
    smaller = tmp_path / "smaller.xlsx"
    drop_indicator(demo_workbook, smaller, code)
    with pytest.raises(CommandError):
        command("import_workbook", str(smaller), "--replace")
    assert Indicator.objects.filter(cycle=cycle, code=code).exists()
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_workbook", str(smaller), "--replace", stderr=out)
    lines = out.getvalue().splitlines()
    assert "would delete these records" in lines[0]
    dropped = [line for line in lines if line.startswith(f"indicator {code}, not in the workbook")]
    assert len(dropped) == 1 and f"{n_warnings} warnings" in dropped[0]
    assert "reminder" not in dropped[0]
    command("import_workbook", str(smaller), "--replace", "--discard-records")
    assert not Indicator.objects.filter(cycle=cycle, code=code).exists()
    assert Warning.objects.filter(cycle=cycle, indicator__code=code).count() == 0
    assert not UnitReminder.objects.filter(cycle=cycle, indicator__code=code).exists()
