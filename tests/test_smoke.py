from assessment.models import User


def test_personas_have_their_roles(lead, unit_user, county_user):
    assert (lead.role, unit_user.role, county_user.role) == (
        User.Role.LEAD,
        User.Role.UNIT,
        User.Role.COUNTY,
    )
    assert unit_user.unit.code == "TJJ"
    assert county_user.county.code == "101"
