"""The results notice (考核结果通报) as a Word draft, and a county's one-page report."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessment.access import COUNTY, LEAD, get_county_for_user, get_cycle_or_404, require_role
from reports.forms import NoticeForm
from reports.notice import NoticeHeading, docx_bytes, write_county_report, write_notice
from reports.publication import require_results_visible
from scoring.models import CountyResult

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_role(LEAD)
@require_safe
def notice(request: HttpRequest, year: int) -> HttpResponse:
    """The notice's heading (office, number, date); the form downloads the draft."""
    cycle = get_cycle_or_404(year)
    form = NoticeForm(initial={"issued_on": timezone.localdate()})
    computed = CountyResult.objects.filter(cycle=cycle).exists()
    return render(
        request, "reports/notice.html", {"cycle": cycle, "form": form, "computed": computed}
    )


@require_role(LEAD)
@require_safe
def notice_docx(request: HttpRequest, year: int) -> HttpResponse:
    """The draft notice as .docx, with the heading of the form (its defaults without)."""
    cycle = get_cycle_or_404(year)
    data = request.GET if request.GET else None
    form = NoticeForm(data, initial={"issued_on": timezone.localdate()})
    if data is not None and not form.is_valid():
        return render(
            request, "reports/notice.html", {"cycle": cycle, "form": form, "computed": True}
        )
    if not CountyResult.objects.filter(cycle=cycle).exists():
        messages.error(
            request, _("The %(year)s results have not been computed yet.") % {"year": year}
        )
        return redirect("reports:notice", year=year)
    values = form.cleaned_data if data is not None else {
        "office": str(form.fields["office"].initial), "number": "",
        "issued_on": timezone.localdate(),
    }  # fmt: skip
    heading = NoticeHeading(values["office"], values["number"], values["issued_on"])
    return _docx(docx_bytes(write_notice, cycle=cycle, heading=heading), f"notice-{year}.docx")


@require_role(LEAD, COUNTY)
@require_safe
def county_report_docx(request: HttpRequest, year: int, county: str) -> HttpResponse:
    """A county's one-page report: the lead department any, the county its own once
    published (404 before, and for another county)."""
    county_obj = get_county_for_user(request.user, county)
    cycle = get_cycle_or_404(year)
    require_results_visible(request.user, cycle)
    if not CountyResult.objects.filter(cycle=cycle, county=county_obj).exists():
        raise Http404
    content = docx_bytes(write_county_report, cycle=cycle, county=county_obj)
    return _docx(content, f"report-{year}-{county_obj.code}.docx")
