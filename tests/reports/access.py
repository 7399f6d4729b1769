from tests.access import lead_only, signed_in

ACCESS = {
    "home": signed_in(),
    "reports:results_xlsx": lead_only(),
}
