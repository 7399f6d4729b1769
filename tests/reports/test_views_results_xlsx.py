import io

import openpyxl
from django.urls import reverse

from tests.pages import build_cycle

URL = reverse("reports:results_xlsx", kwargs={"year": 2024})


def test_results_xlsx_anonymous_redirects_to_login(client, computed):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={URL}")


def test_results_xlsx_county_is_forbidden(client, county_user, computed):
    client.force_login(county_user)
    assert client.get(URL).status_code == 403


def test_results_xlsx_lead_downloads_the_results(client, lead, computed):
    client.force_login(lead)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["结果"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        ["县区代码", "县区名称", "总分", "排名", "等次", "A01", "A02"],
        ["101", "东城区", 86, 1, "良好", 54, 32],
        ["102", "西城区", 66, 2, "一般", 42, 24],
    ]


def test_results_xlsx_before_computing_redirects_with_a_message(client, lead, county):
    build_cycle([county], [(90, 80)], compute=False)
    client.force_login(lead)
    response = client.get(URL, follow=True)
    assert response.redirect_chain == [(reverse("scoring:results", kwargs={"year": 2024}), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The 2024 results have not been computed yet."
    ]
