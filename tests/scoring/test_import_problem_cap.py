"""A badly broken workbook is refused whole; the first 1,000 problems are listed and all of
them counted."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from assessment.models import Cycle
from scoring.workbook.importer import WorkbookInvalid, import_workbook
from tests.workbooks import sample_cycle, save_workbook, workbook_bytes


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def broken(count: int) -> dict:
    """The sample cycle with ``count`` annual rows of unknown counties."""
    sheets = sample_cycle()
    sheets["年度数据"] += [[f"X{n}", "K01", 1, 1] for n in range(count)]
    return sheets


@pytest.mark.django_db
def test_import_workbook_lists_the_first_thousand_problems_and_counts_all():
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(workbook_bytes(broken(1500)))

    assert (len(caught.value.problems), caught.value.total, caught.value.unlisted) == (
        1000,
        1500,
        500,
    )
    assert caught.value.problems[0] == '年度数据 row 12: unknown county code "X0"'
    assert caught.value.problems[-1] == '年度数据 row 1011: unknown county code "X999"'
    assert not Cycle.objects.exists()


@pytest.mark.django_db
def test_import_workbook_command_says_how_many_problems_were_not_listed(tmp_path):
    path = save_workbook(tmp_path / "broken.xlsx", broken(1001))
    err = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_workbook", str(path), stderr=err)

    assert len(err.getvalue().splitlines()) == 1000
    assert str(caught.value) == "nothing imported: 1001 problems, the first 1000 listed above"


@pytest.mark.django_db
def test_import_workbook_command_with_few_problems_lists_them_all(tmp_path):
    path = save_workbook(tmp_path / "broken.xlsx", broken(2))

    with pytest.raises(CommandError) as caught:
        call_command("import_workbook", str(path), stderr=io.StringIO())

    assert str(caught.value) == "nothing imported: 2 problems listed above"


@pytest.mark.django_db
def test_workbook_page_counts_every_problem_and_says_only_the_first_are_listed(client, lead):
    client.force_login(lead)
    upload = workbook_bytes(broken(1200))
    upload.name = "broken.xlsx"

    response = client.post(reverse("scoring:workbook"), {"file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert "The workbook was not imported: 1200 problems were found." in page
    assert page.count("<li>年度数据 row") == 1000
    assert "Only the first 1000 problems are listed" in page
