from auditlog.models import LogEntry
from django.urls import reverse

from scoring.models import CountyResult
from scoring.results.services import compute_results

URL = reverse("scoring:override_grade", kwargs={"year": 2024, "county": "102"})


def test_override_needs_a_written_reason_and_keeps_the_choice(client, lead, computed):
    client.force_login(lead)
    response = client.post(URL, {"grade": "good", "reason": "   "})
    assert response.status_code == 200
    assert response.context["form"]["grade"].value() == "good"
    assert CountyResult.objects.get(county__code="102").grade_override == ""


def test_override_is_saved_audited_marked_and_kept_by_recomputation(client, lead, computed):
    client.force_login(lead)
    response = client.post(URL, {"grade": "good", "reason": "重大专项任务表现突出"})
    assert response["Location"] == reverse("scoring:results", kwargs={"year": 2024})
    result = CountyResult.objects.get(county__code="102")
    assert (result.computed_grade, result.grade, result.override_by) == ("fair", "good", lead)
    entry = LogEntry.objects.get_for_object(result).latest("id")
    assert entry.additional_data == {"reason": "重大专项任务表现突出"}
    compute_results(cycle=computed)
    assert CountyResult.objects.get(county__code="102").grade == "good"
    body = client.get(reverse("scoring:results", kwargs={"year": 2024})).content.decode()
    assert 'grade-override" title="重大专项任务表现突出"' in body


def test_override_back_to_computed_clears_it(client, lead, computed):
    client.force_login(lead)
    client.post(URL, {"grade": "good", "reason": "理由"})
    client.post(URL, {"grade": "", "reason": "撤销调整"})
    result = CountyResult.objects.get(county__code="102")
    assert (result.grade_override, result.grade) == ("", "fair")


def test_override_unknown_county_is_404(client, lead, computed):
    client.force_login(lead)
    url = reverse("scoring:override_grade", kwargs={"year": 2024, "county": "999"})
    assert client.get(url).status_code == 404
