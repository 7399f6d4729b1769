from tests.access import access, get_and_post, lead_only, signed_in

# Rules pages: the lead department any indicator, a unit its own (another unit's is 404),
# a county none (it reads the booklet).
UNIT_OWN = {"unit": 404, "county": 403}
NOT_OWNED = {"unit": 403, "county": 403}

REFUSED = {"unit": 403, "county": 403}

ACCESS = {
    "indicators:system": signed_in(),
    "indicators:booklet": signed_in(),
    "indicators:rules_list": access(lead=200, unit=200, county=403),
    "indicators:rules": access(lead=200, unit=200, county=403, outsider=UNIT_OWN),
    "indicators:rules_submit": access("post", lead=302, unit=302, county=403, outsider=UNIT_OWN),
    "indicators:rules_approve": lead_only("post", lead=302, outsider=NOT_OWNED),
    "indicators:rules_return": lead_only("post", lead=302, outsider=NOT_OWNED),
    "indicators:rules_reopen": lead_only("post", lead=302, outsider=NOT_OWNED),
    "indicators:new_cycle": lead_only(),
    "indicators:setup": lead_only(),
    # GET previews the activation, POST confirms it. The world's year is active already, so
    # both send the lead department back to the set-up page ("Only a draft year can be
    # activated"); a draft year's preview: tests/indicators/test_views_years.py.
    "indicators:activate": get_and_post(lead_only(lead=302), lead_only("post", lead=302)),
    "indicators:changes": signed_in(),
    "indicators:indicator_add": lead_only(),
    # The lead department's pages: a unit or county is refused whatever it names.
    "indicators:indicator_edit": lead_only(outsider={"unit": 403, "county": 403}),
    "indicators:indicator_delete": lead_only(
        "post", lead=302, outsider={"unit": 403, "county": 403}
    ),
    # A unit proposes and follows its own proposals; a county has no part in admission.
    "indicators:proposals": access(lead=200, unit=200, county=403),
    "indicators:proposal": access(
        lead=200, unit=200, county=403, outsider={"unit": 404, "county": 403}
    ),
    "indicators:proposal_review": lead_only("post", lead=302, outsider=REFUSED),
    "indicators:proposal_decide": lead_only("post", lead=302, outsider=REFUSED),
    "indicators:proposal_add": lead_only("post", lead=302, outsider=REFUSED),
    # Evaluation opinions: a unit writes its own (another unit's is 404), the lead department
    # reads and reviews every one; a county reads the published ones on its feedback page.
    "indicators:evaluations": access(lead=200, unit=200, county=403),
    "indicators:evaluation": access(lead=200, unit=200, county=403, outsider=UNIT_OWN),
    "indicators:evaluation_approve": lead_only("post", lead=302, outsider=NOT_OWNED),
    "indicators:evaluation_return": lead_only("post", lead=302, outsider=NOT_OWNED),
    "indicators:evaluation_reopen": lead_only("post", lead=302, outsider=NOT_OWNED),
}


def objects(world):
    from decimal import Decimal

    from assessment.models import Unit
    from indicators.models import IndicatorProposal

    def proposal(scope):
        return IndicatorProposal.objects.create(
            unit=Unit.objects.get(code=world[scope]["unit"]), name="拟新增指标", rationale="x",
            suggested_weight=Decimal(2), draft_rules="x",
        ).pk  # fmt: skip

    # An evaluation written and submitted by each unit on its county, for the review actions.
    from indicators.models import UnitEvaluation

    for scope in ("own", "other"):
        UnitEvaluation.objects.create(
            cycle=world["cycle"], unit=Unit.objects.get(code=world[scope]["unit"]),
            county=world["cycle"].counties.get(code=world[scope]["county"]),
            strengths="数据报送及时", status=UnitEvaluation.Status.SUBMITTED,
        )  # fmt: skip
    return {"own": {"proposal": proposal("own")}, "other": {"proposal": proposal("other")}}
