from tests.access import access, lead_only, signed_in

ACCESS = {
    "home": signed_in(),
    "reports:results_xlsx": lead_only(),
    "reports:statistics": signed_in(),
    "reports:latest_statistics": access(lead=302, unit=302, county=302),
    "reports:my_feedback": access(lead=403, unit=403, county=302),
    "reports:publish": lead_only("post", lead=302),
    "reports:withdraw": lead_only("post", lead=302),
    "reports:feedback": access(
        lead=200, unit=403, county=200, outsider={"unit": 403, "county": 404}
    ),
}
