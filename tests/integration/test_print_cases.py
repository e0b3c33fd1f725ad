"""The print test's 団体 (tests/datasets.py PRINT_CASES) are the fullest pages of the small sample.

The 団体 page prints on at most three A4 pages: the systems on the first, the matrix (40 steps + own steps) on
the second, the warnings and the delay explanations on the third. tests/e2e prints the PRINT_CASES; this checks,
through the selectors the page reads, that they include the largest 団体 of the sample by each of those, so a
change of the sample generator that makes another 団体 fuller fails here instead of going unprinted.
"""

from __future__ import annotations

from collections import Counter

import pytest

from shinchoku.outlook import selectors as outlook_selectors
from shinchoku.progress import selectors
from shinchoku.progress.models import System
from shinchoku.sample.generator import LAST_MONTH
from tests.datasets import PRINT_CASES

pytestmark = pytest.mark.django_db


MEASURES = ("systems", "matrix_rows", "delays", "warnings", "third_page")


def _page_sizes() -> dict[str, dict[str, int]]:
    """Per 団体 of the sample: what fills each printed page, as the 団体 page shows it at the last month."""
    warnings = Counter(w.code for w in outlook_selectors.warnings(LAST_MONTH))
    sizes = {}
    for code in System.objects.values_list("organization_id", flat=True).distinct().order_by():
        progress = selectors.organization_progress(code=code, as_of=LAST_MONTH, include_versions=False)
        delays = sum(1 for s in progress["systems"] if s["delay_explanation"])
        sizes[code] = {
            "systems": len(progress["systems"]),
            "matrix_rows": progress["summary"]["own_steps"],
            "delays": delays,
            "warnings": warnings[code],
            "third_page": delays + warnings[code],
        }
    return sizes


def test_print_cases_include_the_fullest_page_of_the_sample_by_every_measure(sample_prefectures):
    if sample_prefectures is None:
        pytest.skip("PRINT_CASES are chosen from the small sample")
    sizes = _page_sizes()
    assert set(PRINT_CASES) <= set(sizes)
    misses = []
    for measure in MEASURES:
        largest = max(size[measure] for size in sizes.values())
        covered = max(sizes[code][measure] for code in PRINT_CASES)
        if covered != largest:
            fullest = sorted(code for code, size in sizes.items() if size[measure] == largest)
            misses.append(f"{measure}: {fullest} have {largest}, PRINT_CASES at most {covered}")
        assert largest > 0, measure
    assert misses == []
