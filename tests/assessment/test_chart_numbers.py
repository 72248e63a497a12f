"""Issue 11: numbers follow each language's conventions: the statistics charts write "3,25" in nl, fr
and de (they wrote "3.25" in every language), while the SVG's coordinates stay machine numbers."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from interviewdesk.assessment.charts import bar_chart


@pytest.mark.parametrize(("language", "written"), [("nl", "3,25"), ("fr", "3,25"), ("de", "3,25"), ("en", "3.25")])
def test_a_chart_writes_its_values_in_the_readers_language(language, written):
    with translation.override(language):
        svg = str(bar_chart([("A", 3.25), ("B", 4.0)], title="t", max_value=5))
    values = re.findall(r'font-size="13" fill="#1f2933">([^<]*)</text>', svg)
    assert values == ["A", written, "B", "4"]
    assert re.findall(r'width="(\d+\.\d)"', svg)  # the bars' widths keep the decimal point SVG needs
