import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from assessment.models import County, Cycle
from indicators.models import Indicator, RuleItem
from scoring.models import AnnualInput
from scoring.workbook.importer import WorkbookInvalid, import_workbook
from tests.factories import CycleFactory
from tests.pages import build_cycle

URL = reverse("scoring:workbook")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(*, weight_a02=40, method_a02="完成率", year=2024) -> bytes:
    """A cycle workbook in the layout of spec/workbook.md."""
    book = openpyxl.Workbook()
    sheets = {
        "参数": [["项目", "值"], ["年度", year], ["总分", 100]],
        "县区": [["代码", "名称"], ["101", "东城区"], ["102", "西城区"]],
        "责任单位": [["代码", "名称"], ["TJJ", "市统计局"]],
        "指标": [
            ["代码", "名称", "类别", "分值", "责任单位", "方向"],
            ["A01", "地区生产总值增速", "经济发展", 60, "TJJ", "正向"],
            ["A02", "一般公共预算收入", "经济发展", weight_a02, "TJJ", "正向"],
        ],
        "细则": [
            ["指标代码", "项目代码", "项目名称", "占比", "计分方法", "参数"],
            ["A01", "A01-1", "增速得分", 100, "直接评分", None],
            ["A02", "A02-1", "收入完成率", 100, method_a02, "cap=120;floor=40"],
        ],
        "年度数据": [
            ["县区代码", "项目代码", "实际值", "目标值"],
            ["101", "A01-1", 90, None],
            ["101", "A02-1", 80, 100],
            ["102", "A01-1", 70, None],
            ["102", "A02-1", 60, 100],
        ],
    }
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name="2024.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_workbook_anonymous_redirects_to_login(client, db):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={URL}")


def test_workbook_unit_is_forbidden(client, unit_user):
    client.force_login(unit_user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(workbook_bytes())}).status_code == 403
    assert Cycle.objects.count() == 0


def test_workbook_county_is_forbidden(client, county_user):
    client.force_login(county_user)
    assert client.get(URL).status_code == 403


def test_workbook_lead_sees_the_form_and_downloads(client, lead, county):
    build_cycle([county], [(90, 80)], compute=False)
    client.force_login(lead)
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    assert reverse("scoring:workbook_template") in body
    assert reverse("scoring:workbook_export", kwargs={"year": 2024}) in body


def test_workbook_upload_valid_imports_and_reports_counts(client, lead):
    client.force_login(lead)
    response = client.post(URL, {"file": upload(workbook_bytes())}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    cycle = Cycle.objects.get()
    assert (cycle.year, cycle.counties.count()) == (2024, 2)
    assert list(Indicator.objects.order_by("code").values_list("code", flat=True)) == [
        "A01",
        "A02",
    ]
    assert AnnualInput.objects.count() == 4
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith(
        "Imported the 2024 workbook: 2 counties, 1 units, 2 indicators, 2 rule items, "
        "4 annual data rows,"
    )


def test_workbook_upload_broken_lists_every_problem_and_writes_nothing(client, lead):
    data = workbook_bytes(weight_a02=30, method_a02="按比例")
    with pytest.raises(WorkbookInvalid) as expected:
        import_workbook(upload(data), replace=False, actor=lead)
    assert len(expected.value.problems) >= 2
    client.force_login(lead)
    response = client.post(URL, {"file": upload(data)})
    assert response.status_code == 200
    assert response.context["problems"] == expected.value.problems
    body = response.content.decode()
    for problem in expected.value.problems:
        assert f"<li>{escape(problem)}</li>" in body
    assert (Cycle.objects.count(), County.objects.count(), RuleItem.objects.count()) == (0, 0, 0)


def test_workbook_upload_existing_year_needs_replace(client, lead):
    client.force_login(lead)
    client.post(URL, {"file": upload(workbook_bytes())})
    response = client.post(URL, {"file": upload(workbook_bytes())})
    assert (response.status_code, response.context["cycle_exists"]) == (200, True)
    assert response.context["problems"] != []
    response = client.post(URL, {"file": upload(workbook_bytes()), "replace": "on"})
    assert response.context["preview"].changed == []
    response = client.post(URL, {"confirm": "1"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert Cycle.objects.count() == 1


def test_workbook_upload_not_xlsx_is_refused_clearly(client, lead):
    client.force_login(lead)
    response = client.post(URL, {"file": SimpleUploadedFile("data.csv", b"a,b\n1,2\n")})
    assert response.context["form"].errors == {
        "file": [
            "Only Excel workbooks in .xlsx format are accepted (“data.csv” is not one); "
            "save it in Excel as “Excel Workbook (*.xlsx)”."
        ]
    }
    assert Cycle.objects.count() == 0


def test_workbook_upload_renamed_non_workbook_is_refused(client, lead):
    client.force_login(lead)
    response = client.post(URL, {"file": upload(b"not a zip at all")})
    assert response.context["form"].errors == {
        "file": ["“2024.xlsx” is not an .xlsx workbook (the file content is not one)."]
    }


def test_workbook_upload_too_large_is_refused(client, lead, settings):
    settings.WORKBOOK_UPLOAD_MAX_BYTES = 1024
    client.force_login(lead)
    response = client.post(URL, {"file": upload(workbook_bytes())})
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert errors[0].endswith("the largest accepted is 1.0\xa0KB.")
    assert Cycle.objects.count() == 0


def test_workbook_template_download_is_an_xlsx(client, lead):
    client.force_login(lead)
    response = client.get(reverse("scoring:workbook_template"))
    assert (response.status_code, response["Content-Type"]) == (200, XLSX)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {"参数", "县区", "责任单位", "指标", "细则"} <= set(book.sheetnames)


def test_workbook_export_round_trips_through_the_upload(client, lead):
    client.force_login(lead)
    client.post(URL, {"file": upload(workbook_bytes())})
    response = client.get(reverse("scoring:workbook_export", kwargs={"year": 2024}))
    assert response.status_code == 200
    exported = b"".join(response.streaming_content)
    response = client.post(URL, {"file": upload(exported), "replace": "on"})
    assert response.context["preview"].changed == []
    response = client.post(URL, {"confirm": "1"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert AnnualInput.objects.count() == 4


def test_workbook_export_unknown_year_is_404(client, lead):
    client.force_login(lead)
    assert client.get(reverse("scoring:workbook_export", kwargs={"year": 1999})).status_code == 404


@pytest.mark.parametrize("cycle_count", [1, 3])
def test_workbook_query_count_is_constant(client, lead, cycle_count, django_assert_num_queries):
    for year in range(2024, 2024 + cycle_count):
        CycleFactory(year=year)
    client.force_login(lead)
    with django_assert_num_queries(4):
        response = client.get(URL)
    body = response.content.decode()
    assert body.count('class="btn btn-sm btn-outline-secondary mb-1"') == cycle_count


def test_workbook_other_methods_are_not_allowed(client, lead):
    client.force_login(lead)
    assert client.put(URL).status_code == 405


def test_workbook_replace_shows_what_changes_before_importing(client, lead):
    client.force_login(lead)
    client.post(URL, {"file": upload(workbook_bytes())})
    AnnualInput.objects.filter(county__code="101", item__code="A01-1").delete()
    Indicator.objects.filter(code="A02").update(name="旧名称")
    response = client.post(URL, {"file": upload(workbook_bytes()), "replace": "on"})
    preview = response.context["preview"]
    assert (preview.added, preview.removed, preview.changed) == ([], [], ["A02"])
    assert (preview.annual_rows, preview.progress_rows, preview.lost) == ((3, 4), (0, 0), [])
    assert Indicator.objects.get(code="A02").name == "旧名称"
    assert AnnualInput.objects.count() == 3
    response = client.post(URL, {"confirm": "1"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert Indicator.objects.get(code="A02").name == "一般公共预算收入"
    assert AnnualInput.objects.count() == 4
    assert "workbook_replace" not in client.session


def test_workbook_replace_confirm_without_a_kept_file_asks_again(client, lead):
    client.force_login(lead)
    response = client.post(URL, {"confirm": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The uploaded workbook is no longer kept: upload it again."
    ]
