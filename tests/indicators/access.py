from tests.access import signed_in

ACCESS = {
    "indicators:system": signed_in(),
}
