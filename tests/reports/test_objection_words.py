"""The objection pages use their own words: the county's reasons are not the warnings'
reasons (预警原因), and the lead department's reject choice is not the indicator admission's
refusal (不予准入) — catalogue strings with contexts (STYLE.md)."""

from django.utils import translation

from reports.forms import DecisionForm, ObjectionForm
from reports.models import Objection


def test_objection_words_in_chinese_have_their_own_meaning(db):
    with translation.override("zh-hans"):
        reasons = str(ObjectionForm.base_fields["reasons"].label)
        choices = [str(label) for _value, label in DecisionForm.base_fields["upheld"].choices]
        statuses = [str(label) for _value, label in Objection.Status.choices][2:]
    assert (reasons, choices, statuses) == (
        "异议理由",
        ["异议成立", "驳回异议"],
        ["异议成立", "已驳回"],
    )
