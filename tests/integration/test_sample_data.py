"""The fictional sample meets the calibration ranges of the spine issue (published national figures)."""

from datetime import date

import pytest

from shinchoku.domain.calendar import fiscal_year
from shinchoku.progress import selectors
from shinchoku.progress.models import Month, OrganizationRollup, System, SystemAttributes
from shinchoku.reference.models import Organization

pytestmark = pytest.mark.django_db


def test_sample_spans_every_month_from_2023_04_to_2026_10_and_is_published_and_labelled():
    months = list(Month.objects.values_list("as_of", flat=True))
    assert months[0] == date(2023, 4, 30)
    assert months[-1] == date(2026, 10, 31)
    assert len(months) == 43
    assert Month.objects.filter(published=True, sample_data=True).count() == 43


@pytest.mark.national
def test_national_mean_completion_rate_matches_the_published_figures():
    jan = selectors.national_summary(as_of=date(2026, 1, 31))
    may = selectors.national_summary(as_of=date(2025, 5, 31))
    assert 0.79 <= jan["completion_rate_mean"] <= 0.85
    assert 0.58 <= may["completion_rate_mean"] <= 0.66
    assert jan["organizations"] == 1741


@pytest.mark.national
def test_special_support_covers_900_to_970_organizations_and_every_designated_city():
    latest = selectors.national_summary(as_of=date(2026, 10, 31))
    assert 900 <= latest["special_support_organizations"] <= 970
    cities = set(Organization.objects.filter(kind="政令指定都市").values_list("code", flat=True))
    flagged = SystemAttributes.objects.filter(special_support=True)
    special = set(flagged.values_list("system__organization_id", flat=True).distinct())
    assert cities <= special
    years = {fiscal_year(d) for d in flagged.values_list("planned_completion", flat=True)}
    assert years == {2026, 2027, 2028, 2029, 2030}  # FY2026–FY2030 (some planned for the first half of FY2026)


@pytest.mark.national
def test_some_prefectures_are_clearly_ahead_of_others():
    rates = [selectors.area(f"pref:{p:02d}", date(2026, 1, 31))["completion_rate_mean"] for p in range(1, 48)]
    assert max(rates) - min(rates) >= 0.08


@pytest.mark.national
def test_every_organization_has_systems_and_prefectures_have_their_two():
    assert OrganizationRollup.objects.filter(as_of=date(2026, 10, 31)).count() == 1788
    pref_systems = System.objects.filter(organization__kind="都道府県")
    assert pref_systems.count() == 94
    assert set(pref_systems.values_list("business__name", flat=True)) == {"児童扶養手当", "生活保護"}


def test_a_few_organizations_have_extra_systems_and_own_steps():
    assert System.objects.filter(business__isnull=True, name="統合収納管理").count() >= 5
    assert Organization.objects.get(code="042021").own_steps.count() == 4


def test_delay_explanations_exist_for_some_late_systems():
    from shinchoku.progress.models import DelayExplanation

    assert DelayExplanation.objects.count() > 100
    special = set(SystemAttributes.objects.filter(special_support=True).values_list("system_id", flat=True))
    assert set(DelayExplanation.objects.values_list("system_id", flat=True)) <= special
