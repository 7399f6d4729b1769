"""Uploaded spreadsheets cannot hurt the server: the two bombs of issue 15 on every upload
path (the lead's import page, a unit's round workbook, the job path, evidence), refused with
a message naming the limit; the parser's crash on a file the checks let through costs a
refused file; the server answers within a second afterwards and stays under 1 GB."""

import io
import resource
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessment.jobs.models import FileJob
from assessment.jobs.services import start_import_job
from assessment.spreadsheets import SpreadsheetRefused, check_workbook, open_workbook
from scoring.models import AnnualInput, Evidence
from scoring.workbook.importer import WorkbookInvalid, import_workbook
from scoring.workbook.jobs import IMPORT_WORKBOOK
from tests.bombs import far_cell_bomb, unpack_bomb
from tests.pages import build_cycle, open_rounds
from tests.workbooks import workbook_bytes

FAR = (
    "a sheet spans A1:XFD1048576, 17,179,869,184 cells (1,048,576 rows × 16,384 columns); "
    "at most 10,000,000 cells a sheet are accepted (SPREADSHEET_MAX_CELLS)"
)
CRASH = (
    "the workbook could not be read within the limits of the server (2,048 MB of memory, "
    "300 s) (SPREADSHEET_PARSE_MEMORY_MB, SPREADSHEET_PARSE_SECONDS)"
)
GB = 1024 * 1024 * 1024


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "far": far_cell_bomb(folder / "far.xlsx"),
        "unpack": unpack_bomb(folder / "unpack.xlsx"),
        "far_undeclared": far_cell_bomb(folder / "far-undeclared.xlsx", dimension=False),
    }


def _unpack_message(path: Path) -> str:
    """What the ratio check says of the sheet of :func:`unpack_bomb` (its sizes, as stored)."""
    with zipfile.ZipFile(path) as book:
        sheet = book.getinfo("xl/worksheets/sheet1.xml")
    mb = 1024 * 1024
    assert 300 < sheet.file_size // sheet.compress_size < 400
    return (
        f"a part of the workbook unpacks to {sheet.file_size // sheet.compress_size} times its "
        f"size ({sheet.compress_size / mb:,.1f} MB to {sheet.file_size / mb:,.1f} MB); at most "
        "100 times is accepted (SPREADSHEET_MAX_RATIO)"
    )


@pytest.fixture(scope="module")
def expected(bombs) -> dict[str, str]:
    return {"far": FAR, "unpack": _unpack_message(bombs["unpack"]), "far_undeclared": CRASH}


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def _assert_server_well(client):
    """The server answers a page within a second; neither it nor any parser it started has
    held 1 GB (ru_maxrss is in kilobytes on Linux)."""
    started = time.monotonic()
    assert client.get(reverse("home")).status_code == 200
    assert time.monotonic() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < GB
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 < GB


def test_bomb_files_have_the_sizes_of_the_issue(bombs):
    assert 1400 < bombs["far"].stat().st_size < 1800
    assert 2_500_000 < bombs["unpack"].stat().st_size < 3_500_000
    with zipfile.ZipFile(bombs["unpack"]) as book:
        assert sum(m.file_size for m in book.infolist()) > 1_100_000_000


def test_check_workbook_far_cell_bomb_refused_naming_the_cell_limit(bombs):
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        check_workbook(bombs["far"])
    assert str(refused.value) == FAR


def test_check_workbook_unpack_bomb_refused_naming_the_ratio(bombs, expected):
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        check_workbook(bombs["unpack"])
    assert str(refused.value) == expected["unpack"]


def test_check_workbook_message_in_chinese_by_default(bombs):
    with translation.override("zh-hans"), pytest.raises(SpreadsheetRefused) as refused:
        check_workbook(bombs["far"])
    assert str(refused.value) == (
        "工作表范围为 A1:XFD1048576，共 17,179,869,184 个单元格（1,048,576 行 × 16,384 列）；"
        "每个工作表最多接受 10,000,000 个单元格 (SPREADSHEET_MAX_CELLS)"
    )


def test_check_workbook_unpacked_size_over_the_limit_refused(settings):
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 1000
    book = workbook_bytes({"年度数据": [["县区代码"]]})
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        check_workbook(book)
    assert str(refused.value).startswith("the workbook unpacks to ")
    assert str(refused.value).endswith(
        "; at most 0.0 MB is accepted (SPREADSHEET_MAX_UNPACKED_BYTES)"
    )
    assert book.tell() == 0


def test_check_workbook_too_many_parts_refused(settings):
    settings.SPREADSHEET_MAX_MEMBERS = 3
    book = workbook_bytes({"年度数据": [["县区代码"]]})
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        check_workbook(book)
    assert str(refused.value) == (
        "the workbook holds 9 files; at most 3 are accepted (SPREADSHEET_MAX_MEMBERS)"
    )


def test_check_workbook_ordinary_workbook_passes():
    book = workbook_bytes({"年度数据": [["县区代码", "项目代码"], ["101", "A01-1"]]})
    assert check_workbook(book) is None


def test_check_workbook_not_a_zip_refused():
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        check_workbook(io.BytesIO(b"PK\x03\x04garbage"))
    assert str(refused.value) == "not an Excel workbook (.xlsx), or it cannot be read"


def test_open_workbook_parser_crash_costs_one_refused_file(bombs):
    """A far cell without a declared dimension passes the checks; python-calamine then asks
    for 512 GB and aborts — in the child process, which the memory limit stops."""
    check_workbook(bombs["far_undeclared"])
    book = open_workbook(bombs["far_undeclared"])
    assert book.sheet_names == ["年度数据"]
    with translation.override("en"), pytest.raises(SpreadsheetRefused) as refused:
        book.get_sheet_by_name("年度数据")
    assert str(refused.value) == CRASH
    assert book._process.returncode < 0  # ended by a signal (SIGABRT), in the child only


def test_open_workbook_reads_rows_as_calamine_does():
    book = open_workbook(workbook_bytes({"年度数据": [["县区代码", "值"], ["101", 2.5]]}))
    with book:
        sheet = book.get_sheet_by_name("年度数据")
        assert (sheet.start, list(sheet.iter_rows())) == (
            (0, 0),
            [["县区代码", "值"], ["101", 2.5]],
        )
    assert book._process.returncode == 0


def test_import_workbook_command_path_refuses_bombs(db, bombs):
    with translation.override("en"), pytest.raises(WorkbookInvalid) as refused:
        import_workbook(bombs["far"])
    assert refused.value.problems == [f"far.xlsx: {FAR}"]


@pytest.mark.parametrize("bomb", ["far", "unpack", "far_undeclared"])
def test_lead_import_page_refuses_bomb(client, lead, bombs, bomb, expected):
    client.force_login(lead)
    response = client.post(reverse("scoring:workbook"), {"file": _upload(bombs[bomb])})
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert expected[bomb].replace("×", "&times;") in page or expected[bomb] in page
    assert FileJob.objects.count() == 0
    _assert_server_well(client)


@pytest.fixture
def rounds(unit, other_unit, county, other_county):
    cycle = build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    return open_rounds(cycle)


@pytest.mark.parametrize("bomb", ["far", "unpack", "far_undeclared"])
def test_unit_round_workbook_upload_refuses_bomb(client, unit_user, rounds, bombs, bomb, expected):
    client.force_login(unit_user)
    url = reverse("scoring:unit_workbook", kwargs={"year": 2024, "round": "annual"})
    response = client.post(url, {"file": _upload(bombs[bomb])})
    assert response.status_code in (200, 400)
    assert expected[bomb] in response.content.decode().replace("&times;", "×")
    assert AnnualInput.objects.filter(actual__isnull=False).count() == 0
    _assert_server_well(client)


@pytest.mark.parametrize("bomb", ["far", "unpack"])
def test_job_path_upload_refused_before_any_job(client, lead, bombs, bomb, settings):
    """Above WORKBOOK_ASYNC_BYTES an upload becomes a job: a bomb never gets that far."""
    settings.WORKBOOK_ASYNC_BYTES = 1
    client.force_login(lead)
    response = client.post(reverse("scoring:workbook"), {"file": _upload(bombs[bomb])})
    assert response.status_code in (200, 400)
    assert FileJob.objects.count() == 0
    _assert_server_well(client)


@pytest.mark.parametrize("bomb", ["far", "unpack", "far_undeclared"])
def test_job_runner_refuses_bomb_stored_as_a_job(lead, bombs, bomb, expected):
    """A job started past the form (a script) still meets the checks and the child process."""
    with translation.override("en"):  # the job is sent at once (run here, eagerly)
        job = start_import_job(upload=_upload(bombs[bomb]), kind=IMPORT_WORKBOOK, actor=lead)
    job.refresh_from_db()
    assert (job.status, job.problems) == ("failed", [f"{bombs[bomb].name}: {expected[bomb]}"])


@pytest.mark.parametrize("bomb", ["far", "unpack"])
def test_evidence_upload_refuses_bomb(client, county_user, rounds, bombs, bomb, expected):
    from indicators.models import Indicator

    client.force_login(county_user)
    url = reverse("scoring:evidence", kwargs={"year": 2024, "round": "april"})
    indicator = Indicator.objects.get(code="A01")
    response = client.post(url, {"indicator": indicator.pk, "file": _upload(bombs[bomb])})
    assert response.status_code == 400
    page = response.content.decode().replace("&times;", "×")
    assert f"{bombs[bomb].name}”: {expected[bomb]}" in page
    assert Evidence.objects.count() == 0
    _assert_server_well(client)
