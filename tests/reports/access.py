from django.core.files.base import ContentFile

from reports.models import Objection
from tests.access import access, get_and_post, lead_only, signed_in

# A county's own page: the lead department and that county; another county gets 404.
OWN_COUNTY = access(lead=200, unit=403, county=200, outsider={"unit": 403, "county": 404})
# Every indicator is read by every role (the indicator system is published to all).
ANY_INDICATOR = signed_in(outsider={"unit": 200, "county": 200})

ACCESS = {
    "home": signed_in(),
    "reports:results_xlsx": lead_only(),
    "reports:statistics": signed_in(),
    "reports:latest_statistics": access(lead=302, unit=302, county=302),
    "reports:my_feedback": access(lead=403, unit=403, county=302),
    # GET (the statistics page's form) previews, POST confirms. Without the form's fields
    # (the objection period, the reason) both send the lead department back to the statistics
    # page with the form's errors; the previews: tests/reports/test_views_statistics.py.
    "reports:publish": get_and_post(lead_only(lead=302), lead_only("post", lead=302)),
    "reports:withdraw": get_and_post(lead_only(lead=302), lead_only("post", lead=302)),
    "reports:feedback": OWN_COUNTY,
    "reports:explain": OWN_COUNTY,
    # The world's results are not published: a county sees its what-if once they are.
    "reports:what_if": access(
        lead=200, unit=403, county=404, outsider={"unit": 403, "county": 404}
    ),
    "reports:county_years": OWN_COUNTY,
    "reports:indicator_years": ANY_INDICATOR,
    "reports:county_trend_svg": OWN_COUNTY,
    "reports:county_trend_csv": OWN_COUNTY,
    "reports:county_profile_svg": OWN_COUNTY,
    "reports:county_profile_csv": OWN_COUNTY,
    "reports:indicator": ANY_INDICATOR,
    "reports:indicator_svg": ANY_INDICATOR,
    "reports:indicator_csv": ANY_INDICATOR,
    "reports:change_svg": signed_in(),
    "reports:change_csv": signed_in(),
    "reports:dashboard": lead_only(),
    "reports:notice": lead_only(),
    "reports:notice_docx": lead_only(),
    # Not published in the world: the county's own report is 404 until it is.
    "reports:county_report_docx": access(
        lead=200, unit=403, county=404, outsider={"unit": 403, "county": 404}
    ),
    # The forecast: the lead department; a county its own (a message until it is shared).
    "reports:forecast": access(lead=200, unit=403, county=200),
    "reports:forecast_county": lead_only(outsider={"unit": 403, "county": 403}),
    "reports:forecast_share": lead_only("post", lead=302),
    "reports:distribution_svg": lead_only(),
    "reports:distribution_csv": lead_only(),
    "reports:trends_svg": lead_only(),
    "reports:trends_csv": lead_only(),
    "reports:objections": signed_in(),
    "reports:latest_objections": access(lead=302, unit=302, county=302),
    "reports:objection_new": access(lead=403, unit=403, county=200),
    # An objection: the lead department, the objecting county, the unit of the indicator.
    "reports:objection": signed_in(outsider={"unit": 404, "county": 404}),
    "reports:objection_evidence": signed_in(outsider={"unit": 404, "county": 404}),
    # An empty answer or decision is re-shown with its errors (200).
    "reports:objection_answer": access(
        "post", lead=403, unit=200, county=403, outsider={"unit": 404, "county": 403}
    ),
    "reports:objection_decide": access(
        "post", lead=200, unit=403, county=403, outsider={"unit": 403, "county": 403}
    ),
}


def objects(world):
    """An objection of the county 101 on A01 (unit TJJ), and one of 102 on A02 (unit CZJ)."""
    cycle = world["cycle"]
    made = {}
    for scope, county, code in (("own", "101", "A01"), ("other", "102", "A02")):
        objection = Objection(
            cycle=cycle,
            county=cycle.counties.get(code=county),
            indicator=cycle.indicators.get(code=code),
            reasons="数据口径有误",
            evidence_name="证明材料.pdf",
        )
        objection.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4 evidence"), save=False)
        objection.save()
        made[scope] = {"objection": objection.pk}
    return made
