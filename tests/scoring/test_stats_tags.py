"""The county names of the statistics tables, joined by a tag instead of a template loop."""

from django.template import Context, Template


def render(names, separator):
    template = Template("{% load stats_tags %}{% county_names names separator %}")
    return template.render(Context({"names": names, "separator": separator}))


def test_county_names_wrap_between_names_with_the_separator():
    assert render(["东城区", "西城区"], "、") == (
        '<span class="text-nowrap">东城区</span>、<span class="text-nowrap">西城区</span>'
    )


def test_county_names_escape_names_and_separator():
    assert render(["A&B", "<i>C</i>"], " <> ") == (
        '<span class="text-nowrap">A&amp;B</span> &lt;&gt; '
        '<span class="text-nowrap">&lt;i&gt;C&lt;/i&gt;</span>'
    )


def test_county_names_of_no_county_are_empty():
    assert render([], "、") == ""
