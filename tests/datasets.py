"""The fictional sample the integration and e2e suites run on (no tests here).

Most tests need a few prefectures, not the country: the small sample covers 宮城県 (石巻市, 仙台市), 東京都
(特別区 and 市町村), 広島県 and 高知県 — every 団体区分 including a 政令指定都市 — 154 団体 of 1,741, about a tenth
of the national sample's build time. Tests marked `national` get the whole country.
"""

SMALL_PREFECTURES = ("04", "13", "34", "39")
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
