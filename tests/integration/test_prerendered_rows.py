"""Table rows the 団体 page makes in Python are the rows its templates made, byte for byte, escaping included.

The trend table and the ガバメントクラウド table were template loops (some forty months, some twenty systems);
they are built in Python now (a millisecond less per page). Each is compared with the template it replaced,
rendered by Django's engine with autoescape, on values that need escaping. The step matrix is built from each
system's status codes, not a dict per step: it is compared with the matrix the API's steps give."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Engine

from shinchoku.costs.cloud_selectors import SystemCloud
from shinchoku.costs.templatetags.costs_tags import cloud_rows
from shinchoku.web.views.organization import _trend_rows_html

ENGINE = Engine(libraries={"shinchoku_tags": "shinchoku.web.templatetags.shinchoku_tags"})
OLD_TREND = (
    '{% load shinchoku_tags %}{% for m, c, p in trend %}<tr><th scope="row">{{ m|ym_short }}</th>'
    '<td class="num">{{ c|pct }}</td><td class="num">{{ p|pct }}</td></tr>{% endfor %}'
)
OLD_CLOUD = (
    '{% for s in systems %}<tr><th scope="row">{{ s.name }}</th><td>{% if s.uses_gov_cloud is None %}報告なし'
    "{% elif s.uses_gov_cloud %}利用する{% if s.provider %}（{{ s.provider }}）{% endif %}{% else %}利用しない"
    '{% endif %}</td><td>{{ s.vendor|default:"—" }}</td></tr>{% endfor %}'
)


def test_the_trend_rows_are_the_template_rows() -> None:
    trend = [(date(2024, 1, 31), 0.1234, None), (date(2024, 2, 29), 1.0, 0.05), (date(2025, 12, 31), None, 0.9999)]
    expected = ENGINE.from_string(OLD_TREND).render(Context({"trend": trend}))
    assert _trend_rows_html(trend) == expected
    assert "2024年2月" in expected and "100.0%" in expected and "—" in expected


def test_the_cloud_rows_are_the_template_rows_with_the_same_escaping() -> None:
    systems = [
        SystemCloud("<b>\"住民&記録'</b>", "A&B <株>", True, "AWS <東京>"),
        SystemCloud("税", "", False, ""),
        SystemCloud("福祉", "ベンダー", None, ""),
        SystemCloud("国保", "", True, ""),
    ]
    expected = ENGINE.from_string(OLD_CLOUD).render(Context({"systems": systems}))
    assert cloud_rows(systems) == expected
    assert "&lt;b&gt;&quot;住民&amp;記録&#x27;&lt;/b&gt;" in expected and "AWS &lt;東京&gt;" in expected


@pytest.mark.django_db
def test_the_matrix_from_status_codes_is_the_matrix_from_the_api_s_steps() -> None:
    """The 団体 page reads each system's statuses as codes (steps_as_codes) instead of a dict per step: for
    every 団体 with own steps, and a 政令指定都市, in its first, middle and latest month, its matrix is the one the
    API's steps give."""
    from shinchoku.domain.status import Status
    from shinchoku.progress import selectors
    from shinchoku.progress.models import Month, OwnStep
    from shinchoku.reference.models import Organization
    from shinchoku.web.views.organization import _matrix

    codes = sorted({*OwnStep.objects.values_list("organization_id", flat=True), "041009"})
    months = list(Month.objects.order_by("as_of").values_list("as_of", flat=True))
    assert codes and months
    compared = 0
    for code in codes:
        org = Organization.objects.get(code=code)
        for as_of in (months[0], months[len(months) // 2], months[-1]):
            api = selectors.organization_progress(code=code, as_of=as_of, include_versions=False)
            page = selectors.organization_progress(code=code, as_of=as_of, include_versions=False, steps_as_codes=True)
            columns = selectors.step_columns(org, as_of)
            expected = [
                (
                    col,
                    [
                        Status({st["step"]: st["status"] for st in s["steps"]}.get(col.key, "not_started"))
                        for s in api["systems"]
                        if s["basis"] == selectors.BASIS_STEPS
                    ],
                )
                for col in columns
            ]
            assert _matrix(columns, [s for s in page["systems"] if s["basis"] == selectors.BASIS_STEPS]) == expected
            assert [s["steps"] for s in page["systems"]] == [None] * len(page["systems"])
            compared += sum(len(cells) for _col, cells in expected)
    assert compared > 1000
