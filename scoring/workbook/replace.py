"""Replacing an existing year from a workbook in place (``import_workbook --replace``).

The year's cycle row stays, and with it everything that hangs on the year and is not part of
the workbook: routine records, special assessments, diagnosis cases, rectifications,
objections, evidence, entry states and their history, the publication and the file jobs.
What the workbook defines is replaced: the settings, the rounds' expected progress, the
counties taking part, the indicators and rule items (updated by code, so that what points at
them is kept), the annual and progress data, exemptions, adjustments and vetoes (those equal
to a row of the workbook are kept with their evidence). The results computed from the
replaced data are removed (the year is computed again); a grade override among them is a
decision with its reason, so it counts as a record that would be lost.

What the replace would delete besides the workbook's own data — records on an indicator the
workbook drops, an adjustment written by a special assessment, a veto's evidence — is listed
by :func:`records_lost`; the importer refuses unless the caller discards them explicitly.
The caller holds the transaction and writes the audit event.
"""

from collections import Counter

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from assessment.models import Adjustment, County, Cycle, Round, Unit, Veto
from indicators.models import Category, Indicator, RuleItem
from scoring.models import (
    AnnualInput,
    CountyResult,
    Delivery,
    EntryState,
    Exemption,
    IndicatorResult,
    IndicatorStat,
    ItemScore,
    Progress,
    ResultsRefusal,
)
from scoring.workbook.layout import ANNUAL_ROUND_NAME, PRE_ROUND_NAMES
from scoring.workbook.reader import Definition
from scoring.workbook.write import (
    BATCH,
    ImportSummary,
    _annual,
    _progress,
    deliver_imported,
    summary_of,
    upsert,
)

# Rows the workbook itself defines or that a computation derives from them: replaced, not lost.
REPLACED = {
    RuleItem, AnnualInput, ItemScore, Progress, Exemption, IndicatorResult, IndicatorStat,
    Delivery,
}  # fmt: skip


def records_lost(cycle: Cycle, data: Definition) -> list[str]:
    """What replacing ``cycle`` by ``data`` would delete beyond the workbook's own data, one
    line each (empty when nothing would be lost). Reads only."""
    lines = []
    dropped = Indicator.objects.filter(cycle=cycle).exclude(code__in=list(data.indicators))
    for indicator in dropped.order_by("order", "code"):
        counts = _cascade_counts(indicator)
        if counts:
            what = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
            lines.append(
                _("indicator %(code)s, not in the workbook, would be removed with %(what)s")
                % {"code": indicator.code, "what": what}
            )
    kept_adjustments, kept_vetoes = _matches(cycle, data)
    for adj in (
        Adjustment.objects.filter(cycle=cycle, special_score__isnull=False)
        .exclude(pk__in=kept_adjustments)
        .select_related("county")
        .distinct()
        .order_by("county__code", "pk")
    ):
        lines.append(
            _("the adjustment %(points)s of county %(county)s (%(reason)s), written by a special "
              "assessment, is not in the workbook and would be removed")
            % {"points": adj.points, "county": adj.county.code, "reason": adj.reason}
        )  # fmt: skip
    for veto in (
        Veto.objects.filter(cycle=cycle)
        .exclude(pk__in=kept_vetoes)
        .filter(~Q(attachment="") | ~Q(evidence="") | Q(item__isnull=False))
        .select_related("county")
        .order_by("county__code", "pk")
    ):
        lines.append(
            _("the veto of county %(county)s (%(reason)s), with its evidence, is not in the "
              "workbook and would be removed")
            % {"county": veto.county.code, "reason": veto.reason}
        )  # fmt: skip
    overrides = CountyResult.objects.filter(cycle=cycle).exclude(grade_override="")
    for result in overrides.select_related("county").order_by("county__code"):
        lines.append(
            _("the grade override of county %(county)s (%(reason)s) goes with the results, "
              "which are removed to be computed again")
            % {"county": result.county.code, "reason": result.override_reason}
        )  # fmt: skip
    return lines


def _bookkeeping(model) -> bool:
    """Whether ``model``'s rows only record that the system did something (a reminder sent:
    the claim that keeps it to once), not a record anyone made or would miss: deleted with
    its indicator without being listed. A higher app's model says so with the class
    attribute ``replace_bookkeeping = True`` (this app cannot name it)."""
    return getattr(model, "replace_bookkeeping", False)


def _cascade_counts(indicator: Indicator) -> Counter:
    """The rows deleting ``indicator`` would take with it, by their plural name, except the
    workbook's own data; entry states count with their history entries."""
    collector = Collector(using=router.db_for_write(Indicator))
    collector.collect([indicator])
    counts: Counter = Counter()
    for model, instances in collector.data.items():
        if model not in REPLACED and model is not Indicator and not _bookkeeping(model):
            counts[str(model._meta.verbose_name_plural)] += len(instances)
    for qs in collector.fast_deletes:
        if qs.model not in REPLACED and not _bookkeeping(qs.model):
            n = qs.count()
            if n:
                counts[str(qs.model._meta.verbose_name_plural)] += n
    states = EntryState.objects.filter(indicator=indicator).values_list("pk", flat=True)
    history = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(EntryState),
        object_pk__in=[str(pk) for pk in states],
    ).count()
    if history:
        counts[_("entry history entries")] += history
    return counts


def _matches(cycle: Cycle, data: Definition) -> tuple[set[int], set[int]]:
    """The ids of the year's adjustments and vetoes equal to a row of the workbook (county,
    points and reason; county and reason), each row matching one record at most."""
    wanted_adj = Counter((c, points, reason) for c, points, reason in data.adjustments)
    kept_adj = set()
    for adj in Adjustment.objects.filter(cycle=cycle).select_related("county").order_by("pk"):
        key = (adj.county.code, adj.points, adj.reason)
        if wanted_adj[key] > 0:
            wanted_adj[key] -= 1
            kept_adj.add(adj.pk)
    wanted_veto = Counter((c, reason) for c, reason in data.vetoes)
    kept_veto = set()
    for veto in Veto.objects.filter(cycle=cycle).select_related("county").order_by("pk"):
        key = (veto.county.code, veto.reason)
        if wanted_veto[key] > 0:
            wanted_veto[key] -= 1
            kept_veto.add(veto.pk)
    return kept_adj, kept_veto


def replace_in_place(cycle: Cycle, data: Definition) -> ImportSummary:
    """Replace the definitions and data of the existing ``cycle`` (locked by the caller) by
    ``data``, keeping the cycle row and every record that hangs on it (see the module).

    Side effects: removes the year's results; updates the cycle's settings (status
    active), its rounds' parameters and
    its counties; upserts counties and units by code; updates, creates and deletes the
    categories, indicators and rule items by code (a dropped indicator takes its records
    with it: :func:`records_lost` lists them first); rewrites the annual and progress data
    and the exemptions; keeps the adjustments and vetoes equal to a workbook row, deletes the
    others and creates the missing ones.
    """
    _remove_results(cycle)
    _settings(cycle, data.settings)
    county_id = upsert(County, data.counties)
    unit_id = upsert(Unit, data.units)
    cycle.counties.set(list(county_id.values()))
    round_id = _rounds(cycle, data.settings)
    indicator_id = _indicators(cycle, data, unit_id)
    item_id = _items(cycle, data, indicator_id)
    AnnualInput.objects.filter(cycle=cycle).delete()
    _annual(cycle, data.annual, county_id, item_id)
    Progress.objects.filter(cycle=cycle, round__code__in=list(PRE_ROUND_NAMES)).delete()
    _progress(cycle, data.progress, round_id, county_id, indicator_id)
    # The data replaced were delivered no more: the workbook's rounds are delivered anew.
    Delivery.objects.filter(
        cycle=cycle, round__code__in=[Round.ANNUAL_CODE, *PRE_ROUND_NAMES]
    ).delete()
    deliver_imported(cycle, data, round_id, indicator_id)
    Exemption.objects.filter(cycle=cycle).delete()
    Exemption.objects.bulk_create(
        [
            Exemption(cycle=cycle, county_id=county_id[c], indicator_id=indicator_id[i], reason=r)
            for c, i, r in data.exemptions
        ],
        batch_size=BATCH,
    )
    _adjustments_and_vetoes(cycle, data, county_id)
    return summary_of(cycle, data, county_id, unit_id, indicator_id, item_id)


def _remove_results(cycle: Cycle) -> None:
    """The results computed from the data being replaced (the year is computed again)."""
    for model in (ItemScore, IndicatorResult, IndicatorStat, CountyResult, ResultsRefusal):
        model.objects.filter(cycle=cycle).delete()
    cycle.results_computed_at = None


def _settings(cycle: Cycle, s: dict) -> None:
    for name in ("total_points", "excellent_ratio", "excellent_line", "good_line"):
        setattr(cycle, name, s[name])
    cycle.fair_line, cycle.bonus_cap = s["fair_line"], s["bonus_cap"]
    cycle.status = Cycle.Status.ACTIVE
    cycle.save()


def _rounds(cycle: Cycle, s: dict) -> dict[str, int]:
    """The pre-assessment rounds' parameters set (a missing round created); a round added by
    hand is kept as it is. Round code → id."""
    existing = {r.code: r for r in Round.objects.filter(cycle=cycle)}
    for code, name in PRE_ROUND_NAMES.items():
        rnd = existing.get(code) or Round(cycle=cycle, code=code, name=name, kind=Round.Kind.PRE)
        rnd.expected_progress = s[f"{code}_expected"]
        rnd.tolerance = s["tolerance"]
        rnd.diagnosis_threshold = s["diagnosis_threshold"]
        rnd.save()
    if Round.ANNUAL_CODE not in existing:
        Round.objects.create(
            cycle=cycle, code=Round.ANNUAL_CODE, name=ANNUAL_ROUND_NAME, kind=Round.Kind.ANNUAL
        )
    return dict(Round.objects.filter(cycle=cycle).values_list("code", "id"))


def _indicators(cycle: Cycle, data: Definition, unit_id: dict) -> dict[str, int]:
    """Categories by name, indicators by code: updated, created, the others deleted."""
    names = list(data.categories)
    existing_cat = {c.name: c for c in Category.objects.filter(cycle=cycle)}
    for n, name in enumerate(names, 1):
        cat = existing_cat.get(name) or Category(cycle=cycle, name=name)
        cat.order = n
        cat.save()
    category_id = dict(Category.objects.filter(cycle=cycle).values_list("name", "id"))
    existing = {i.code: i for i in Indicator.objects.filter(cycle=cycle)}
    Indicator.objects.filter(cycle=cycle).exclude(code__in=list(data.indicators)).delete()
    changed, new = [], []
    for n, (code, (name, category, weight, unit, direction)) in enumerate(
        data.indicators.items(), 1
    ):
        ind = existing.get(code) or Indicator(cycle=cycle, code=code)
        ind.name, ind.category_id, ind.weight = name, category_id[category], weight
        ind.unit_id, ind.direction, ind.order = unit_id[unit], direction, n
        ind.rules_status = Indicator.RulesStatus.APPROVED
        (changed if ind.pk else new).append(ind)
    fields = ["name", "category", "weight", "unit", "direction", "order", "rules_status"]
    Indicator.objects.bulk_update(changed, fields, batch_size=BATCH)
    Indicator.objects.bulk_create(new, batch_size=BATCH)
    Category.objects.filter(cycle=cycle).exclude(name__in=names).delete()
    return dict(Indicator.objects.filter(cycle=cycle).values_list("code", "id"))


def _items(cycle: Cycle, data: Definition, indicator_id: dict) -> dict[str, int]:
    """Rule items by code: updated, created, the others deleted (with their data)."""
    RuleItem.objects.filter(cycle=cycle).exclude(code__in=list(data.items)).delete()
    existing = {i.code: i for i in RuleItem.objects.filter(cycle=cycle)}
    changed, new = [], []
    for n, (code, (indicator, name, share, method, params)) in enumerate(data.items.items(), 1):
        item = existing.get(code) or RuleItem(cycle=cycle, code=code)
        item.indicator_id, item.name, item.share = indicator_id[indicator], name, share
        item.method, item.params, item.order = method, params, n
        (changed if item.pk else new).append(item)
    fields = ["indicator", "name", "share", "method", "params", "order"]
    RuleItem.objects.bulk_update(changed, fields, batch_size=BATCH)
    RuleItem.objects.bulk_create(new, batch_size=BATCH)
    return dict(RuleItem.objects.filter(cycle=cycle).values_list("code", "id"))


def _adjustments_and_vetoes(cycle: Cycle, data: Definition, county_id: dict) -> None:
    kept_adj, kept_veto = _matches(cycle, data)
    # A special assessment's score keeps its row when its adjustment goes (SET_NULL).
    Adjustment.objects.filter(cycle=cycle).exclude(pk__in=kept_adj).delete()
    have = Counter(
        (a.county.code, a.points, a.reason)
        for a in Adjustment.objects.filter(cycle=cycle).select_related("county")
    )
    missing = []
    for c, points, reason in data.adjustments:
        if have[(c, points, reason)] > 0:
            have[(c, points, reason)] -= 1
        else:
            missing.append(
                Adjustment(cycle=cycle, county_id=county_id[c], points=points, reason=reason)
            )
    Adjustment.objects.bulk_create(missing, batch_size=BATCH)
    Veto.objects.filter(cycle=cycle).exclude(pk__in=kept_veto).delete()
    have_veto = Counter(
        (v.county.code, v.reason) for v in Veto.objects.filter(cycle=cycle).select_related("county")
    )
    new_vetoes = []
    for c, reason in data.vetoes:
        if have_veto[(c, reason)] > 0:
            have_veto[(c, reason)] -= 1
        else:
            new_vetoes.append(Veto(cycle=cycle, county_id=county_id[c], reason=reason))
    Veto.objects.bulk_create(new_vetoes, batch_size=BATCH)
