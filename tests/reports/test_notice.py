"""The results notice and a county's one-page report: Word documents that LibreOffice Writer
opens (converted to text and to PDF by ``soffice --headless``) with the right tables."""

import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.models import Adjustment, Veto
from scoring.results.services import compute_results

# LibreOffice Writer is installed by scripts/test.sh (scripts/_system.sh); without it these
# tests fail rather than skip, as the browser tests do without Chromium.


def _writer(content: bytes, tmp_path: Path, target: str) -> Path:
    """Open the document in LibreOffice Writer and save it as ``target`` (txt or pdf)."""
    source = tmp_path / "document.docx"
    source.write_bytes(content)
    filters = {"txt": "txt:Text (encoded):UTF8", "pdf": "pdf"}
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", filters[target], "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return tmp_path / f"document.{target}"


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]


def _has_row(lines: list[str], cells: list[str]) -> bool:
    """Writer writes each table cell on its own line: the cells of a row follow each other."""
    return any(lines[n : n + len(cells)] == cells for n in range(len(lines)))


@pytest.fixture
def notice_year(computed, county, other_county):
    Adjustment.objects.create(cycle=computed, county=county, points=2, reason="防汛抢险表现突出")
    Veto.objects.create(cycle=computed, county=other_county, reason="发生较大生产安全事故")
    compute_results(cycle=computed)
    return computed


def test_notice_opens_in_writer_with_its_tables(client, lead, notice_year, tmp_path):
    client.force_login(lead)
    response = client.get(
        reverse("reports:notice_docx", kwargs={"year": 2024}),
        {"office": "中共江川市委组织部", "number": "组通〔2025〕3号", "issued_on": "2025-01-20"},
    )
    assert response["Content-Type"].endswith("wordprocessingml.document")
    lines = _lines(_writer(response.content, tmp_path, "txt"))
    assert lines[:3] == [
        "中共江川市委组织部",
        "组通〔2025〕3号",
        "关于2024年度县区领导班子绩效考核结果的通报",
    ]
    assert _has_row(lines, ["序号", "县区", "总分", "排名", "等次"])
    assert _has_row(lines, ["1", "东城区", "88.00", "1", "良好"])
    assert _has_row(lines, ["2", "西城区", "66.00", "2", "较差"])
    assert _has_row(lines, ["指标", "前三名", "后三名"])
    assert _has_row(lines, ["A01 地区生产总值增速", "东城区、西城区", "西城区、东城区"])
    assert _has_row(lines, ["西城区", "—", "发生较大生产安全事故"])
    assert _has_row(lines, ["东城区", "+2.00", "防汛抢险表现突出"])
    assert lines[-2:] == ["中共江川市委组织部", "2025年1月20日"]
    assert _writer(response.content, tmp_path, "pdf").read_bytes()[:5] == b"%PDF-"


def test_county_report_opens_in_writer_with_its_table(client, county_user, published, tmp_path):
    client.force_login(county_user)
    url = reverse("reports:county_report_docx", kwargs={"year": 2024, "county": "101"})
    lines = _lines(_writer(client.get(url).content, tmp_path, "txt"))
    assert lines[0] == "东城区2024年度绩效考核结果报告"
    assert _has_row(lines, ["指标", "分值", "得分", "排名", "最高分", "平均分"])
    assert _has_row(lines, ["A01 地区生产总值增速", "60", "54.00", "1/2", "54.00", "48.00"])
    assert _has_row(lines, ["A02 一般公共预算收入", "40", "32.00", "1/2", "32.00", "28.00"])


def test_county_report_of_the_demo_city_is_one_a4_page(client, settings, tmp_path):
    """The demo city's year has 41 indicators: the report is one page in Writer, as its name
    says (it ran to three before its table had fixed columns and a smaller type)."""
    settings.DEBUG = True
    call_command("seed_demo", "--force", stdout=StringIO())
    client.login(username="county-101", password="demo1234")
    url = reverse("reports:county_report_docx", kwargs={"year": 2025, "county": "101"})
    pdf = _writer(client.get(url).content, tmp_path, "pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    lines = _lines(_writer(client.get(url).content, tmp_path, "txt"))
    assert len([line for line in lines if re.match(r"^[A-Z]\d\d ", line)]) == 41


def test_notice_before_computing_says_so(client, lead, county, other_county, unit, other_unit):
    from tests.pages import build_cycle

    build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    client.force_login(lead)
    response = client.get(reverse("reports:notice_docx", kwargs={"year": 2024}), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The 2024 results have not been computed yet."
    ]


def test_notice_bad_date_reshows_the_form(client, lead, computed):
    client.force_login(lead)
    response = client.get(
        reverse("reports:notice_docx", kwargs={"year": 2024}),
        {"office": "市委组织部", "number": "", "issued_on": "not a date"},
    )
    assert response.context["form"].errors == {"issued_on": ["Enter a valid date."]}


def test_notice_page_offers_todays_date_to_the_date_field(client, lead, computed):
    client.force_login(lead)
    body = client.get(reverse("reports:notice", kwargs={"year": 2024})).content.decode()
    assert f'type="date" name="issued_on" value="{timezone.localdate():%Y-%m-%d}"' in body
