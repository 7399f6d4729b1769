"""The demo city's data file: read as the builder expects, and its mistakes said before
anything is written."""

from decimal import Decimal

import pytest

from demo.plan import DATA, check_plan, city_plan, indicator_plans, load_plan


def test_city_plan_reads_the_data_file():
    city = city_plan()
    assert city.city == "江川市"
    assert (len(city.counties), len(city.units), len(city.categories)) == (14, 12, 6)
    assert len(indicator_plans()) == 41
    assert sum(Decimal(plan.weight) for _category, plan in indicator_plans()) == 100
    first = indicator_plans()[0][1]
    assert (first.code, first.unit, first.items[0].values.center) == ("E01", "TJJ", 5.6)
    assert city.adjustments[2024][0] == ("101", "2", "获国务院督查激励")
    assert city.vetoes == {2024: (("109", "发生较大生产安全责任事故，实行一票否决"),)}
    assert [(o.county, o.upheld, o.correction) for o in city.objections] == [
        ("106", True, "0.8"),
        ("110", False, None),
    ]
    check_plan()


def _edited(tmp_path, old: str, new: str):
    text = DATA.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "city.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_plan(path)


def test_check_plan_weights_not_summing_to_100(tmp_path):
    city = _edited(tmp_path, 'weight = "4"', 'weight = "5"')
    with pytest.raises(ValueError) as exc:
        check_plan(city)
    assert str(exc.value) == "the demo weights sum to 101.0, not 100"


def test_check_plan_unknown_county(tmp_path):
    city = _edited(tmp_path, '{ year = 2024, county = "109"', '{ year = 2024, county = "199"')
    with pytest.raises(ValueError) as exc:
        check_plan(city)
    assert str(exc.value) == "unknown counties: 199"


def test_check_plan_bad_method_parameters(tmp_path):
    city = _edited(tmp_path, 'params = "base=100;per=10;cap=120;floor=60"', 'params = "per=x"')
    with pytest.raises(ValueError):
        check_plan(city)
