"""The assessment plan (多考合一): every assessment, inspection or check planned on the
counties in the year, the likely duplicates among them, and their merger into one activity.

Two activities are likely duplicates when their periods overlap, they share a county and
their topics are similar. Topic similarity is the overlap coefficient of the topics'
character bigrams, |A ∩ B| / min(|A|, |B|), after the generic words of the trade (考核, 检查,
督查, 工作 …) are taken out: Chinese topics are short and unsegmented, bigrams need no
dictionary, and the overlap coefficient lets a short topic match a longer wording of the
same subject ("河长制工作考核" / "河长制落实情况检查").
"""

import re
from dataclasses import dataclass
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.audit import acting
from assessment.models import Cycle, PlannedActivity
from assessment.services import ensure_cycle_writable

SIMILAR = 0.6
# Words that name the kind of activity, not its subject; longest first.
GENERIC = sorted(
    (
        "考核", "检查", "督查", "督察", "督导", "评估", "评比", "评价", "验收", "调研", "巡查",
        "工作", "情况", "落实", "专项", "年度", "全市", "开展", "推进", "实施", "大", "的",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
_GENERIC = re.compile("|".join(map(re.escape, GENERIC)))
_NOT_WORD = re.compile(r"[\W_]+")


def bigrams(topic: str) -> set[str]:
    """The character bigrams of ``topic``'s subject (generic words and punctuation removed);
    a subject of one character is its own bigram."""
    parts = [p for p in _NOT_WORD.split(_GENERIC.sub(" ", topic)) if p]
    grams = {part[i : i + 2] for part in parts for i in range(len(part) - 1)}
    return grams or {part for part in parts}


def similarity(a: str, b: str) -> float:
    """How alike two topics are, from 0 to 1 (see the module's docstring)."""
    ga, gb = bigrams(a), bigrams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


@dataclass(frozen=True)
class Duplicate:
    first: PlannedActivity
    second: PlannedActivity
    similarity: float
    counties: list  # the counties both concern


def likely_duplicates(activities) -> list[Duplicate]:
    """The pairs of ``activities`` (with ``counties`` prefetched) that are likely the same
    work done twice: overlapping periods, a shared county, similar topics."""
    found = []
    for a, b in combinations(activities, 2):
        if a.starts_on > b.ends_on or b.starts_on > a.ends_on:
            continue
        shared = sorted(set(a.counties.all()) & set(b.counties.all()), key=lambda c: c.code)
        if not shared:
            continue
        score = similarity(a.topic, b.topic)
        if score >= SIMILAR:
            found.append(Duplicate(a, b, score, shared))
    return found


def open_activities(cycle: Cycle):
    """The plan as it stands: activities not merged into another."""
    return (
        PlannedActivity.objects.filter(cycle=cycle, merged_into__isnull=True)
        .prefetch_related("counties", "merged")
        .order_by("starts_on", "id")
    )


def merge_activities(*, cycle: Cycle, activities: list, topic: str, organizer: str, actor=None):
    """Merge ``activities`` (two or more of ``cycle``, none merged yet) into one combined
    activity: its counties the union, its period from the first start to the last end.

    Side effects: the combined PlannedActivity; each original's ``merged_into``; audited.
    """
    ensure_cycle_writable(cycle, refusal=ValidationError)
    if len(activities) < 2:
        raise ValidationError(_("Choose at least two activities to merge."))
    if any(a.cycle_id != cycle.pk or a.merged_into_id for a in activities):
        raise ValidationError(_("Only activities of this year that are not merged yet."))
    with transaction.atomic(), acting(actor):
        combined = PlannedActivity.objects.create(
            cycle=cycle,
            topic=topic,
            organizer=organizer,
            kind=activities[0].kind,
            starts_on=min(a.starts_on for a in activities),
            ends_on=max(a.ends_on for a in activities),
            combined=True,
        )
        combined.counties.set({c for a in activities for c in a.counties.all()})
        for activity in activities:
            activity.merged_into = combined
            activity.save(update_fields=["merged_into"])
    return combined
