from collections import Counter

import pytest

from shinchoku.reference.loader import load_reference
from shinchoku.reference.models import Business, NationalStep, Organization, Procedure

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_with_every_organization_and_step():
    assert Organization.objects.count() == 1788
    assert Business.objects.count() == 20
    assert NationalStep.objects.count() == 40
    assert Procedure.objects.count() == 26
    kinds = Counter(Organization.objects.values_list("kind", flat=True))
    assert kinds == {"都道府県": 47, "政令指定都市": 20, "中核市": 62, "市": 710, "町": 743, "村": 183, "特別区": 23}


def test_loading_reference_twice_changes_nothing_and_keeps_operator_edits():
    step = NationalStep.objects.get(number=1)
    step.phase = "運用者が編集"
    step.save()
    result = load_reference()
    assert sum(result.created.values()) == 0
    assert Organization.objects.count() == 1788
    assert NationalStep.objects.get(number=1).phase == "運用者が編集"


def test_overwrite_restores_the_shipped_values():
    NationalStep.objects.filter(number=1).update(phase="x")
    load_reference(overwrite=True)
    assert NationalStep.objects.get(number=1).phase == "計画立案"


def test_prefecture_businesses_are_marked():
    assert set(Business.objects.filter(prefecture_also=True).values_list("name", flat=True)) == {
        "児童扶養手当",
        "生活保護",
    }
    assert "住民記録" in Business.objects.get(number=1).alias_list
