"""The fictional sample the integration and e2e suites run on (no tests here).

Most tests need a few prefectures, not the country: the small sample covers 宮城県 (石巻市, 仙台市), 東京都
(特別区 and 市町村), 広島県 and 高知県 — every 団体区分 including a 政令指定都市 — 154 団体 of 1,741, about a tenth
of the national sample's build time. Tests marked `national` get the whole country.
"""

SMALL_PREFECTURES = ("04", "13", "34", "39")

# The 団体 page must print on at most three A4 pages (docs/public.md「印刷」). The print test covers these 団体 of
# the small sample at its last month (the only month with delay explanations): each one is the fullest page of
# the sample by one measure, which tests/integration/test_print_cases.py checks against the selectors.
PRINT_CASES = {
    "042021": "石巻市: the most systems (22) and own steps (4), the longest matrix",
    "041009": "仙台市: a 政令指定都市 with 8 delay explanations and 11 warnings",
    "131016": "千代田区: a 特別区 with 8 delay explanations",
    "394122": "四万十町: the most delay explanations (10) and warnings with them (23), the fullest third page",
    "341002": "広島市: the most warnings (14)",
}

# Public pages showing a month of the small sample's data: each names its データ基準日 and the sample label.
DATA_PAGES = (
    "/",
    "/prefectures/04",
    "/organizations/042021",
    "/organizations/040002",
    "/businesses",
    "/businesses/1",
    "/steps",
    "/steps?pref=04",
    "/special-support",
    "/special-support?pref=04",
    "/vendors",
)
