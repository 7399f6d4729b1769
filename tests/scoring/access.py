from tests.access import lead_only

ACCESS = {
    "scoring:results": lead_only(),
    "scoring:compute_results": lead_only("post", lead=302),
    "scoring:override_grade": lead_only(outsider={"unit": 403, "county": 403}),
    "scoring:workbook": lead_only(),
    "scoring:workbook_template": lead_only(),
    "scoring:workbook_export": lead_only(),
}
