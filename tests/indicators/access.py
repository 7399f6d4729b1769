from tests.access import access, lead_only, signed_in

# Rules pages: the lead department any indicator, a unit its own (another unit's is 404),
# a county none (it reads the booklet).
UNIT_OWN = {"unit": 404, "county": 403}
NOT_OWNED = {"unit": 403, "county": 403}

ACCESS = {
    "indicators:system": signed_in(),
    "indicators:booklet": signed_in(),
    "indicators:rules_list": access(lead=200, unit=200, county=403),
    "indicators:rules": access(lead=200, unit=200, county=403, outsider=UNIT_OWN),
    "indicators:rules_submit": access("post", lead=302, unit=302, county=403, outsider=UNIT_OWN),
    "indicators:rules_approve": lead_only("post", lead=302, outsider=NOT_OWNED),
    "indicators:rules_return": lead_only("post", lead=302, outsider=NOT_OWNED),
    "indicators:rules_reopen": lead_only("post", lead=302, outsider=NOT_OWNED),
}
