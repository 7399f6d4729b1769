from tests.access import lead_only, signed_in

ACCESS = {
    "indicators:system": signed_in(),
    "indicators:new_cycle": lead_only(),
    "indicators:setup": lead_only(),
    "indicators:activate": lead_only("post", lead=302),
    "indicators:changes": signed_in(),
    "indicators:indicator_add": lead_only(),
    # The lead department's pages: a unit or county is refused whatever it names.
    "indicators:indicator_edit": lead_only(outsider={"unit": 403, "county": 403}),
    "indicators:indicator_delete": lead_only(
        "post", lead=302, outsider={"unit": 403, "county": 403}
    ),
}
