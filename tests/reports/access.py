from tests.access import access, lead_only, signed_in

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
    "reports:publish": lead_only("post", lead=302),
    "reports:withdraw": lead_only("post", lead=302),
    "reports:feedback": OWN_COUNTY,
    "reports:explain": OWN_COUNTY,
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
    "reports:distribution_svg": lead_only(),
    "reports:distribution_csv": lead_only(),
    "reports:trends_svg": lead_only(),
    "reports:trends_csv": lead_only(),
}
