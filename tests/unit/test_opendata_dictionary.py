"""The open data's data dictionary (shinchoku/opendata/dictionary.csv): every row is used by a table, every name a
table asks for is there, and a malformed file fails with a message that says where."""

from __future__ import annotations

import pytest

from shinchoku.costs import parser
from shinchoku.opendata import catalogue
from shinchoku.opendata.costs_tables import COST_COLUMNS
from shinchoku.opendata.procedures_tables import (
    procedure_availability_table,
    procedures_summary_table,
    procedures_table,
)
from shinchoku.opendata.progress_tables import PROGRESS
from shinchoku.opendata.tables import (
    ASKED,
    DICTIONARY,
    DICTIONARY_FIELDS,
    DictionaryError,
    MonthTable,
    columns,
    dictionary,
    read_dictionary,
)

HEADER = ",".join(DICTIONARY_FIELDS)


def _read(tmp_path, *lines: str):
    path = tmp_path / "dictionary.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_dictionary(path)


def test_every_row_of_the_dictionary_is_used_by_a_table():
    assert catalogue.SPECS  # importing the catalogue imports every table module, which asks for its columns
    unused = sorted(set(dictionary()) - ASKED)
    assert unused == [], f"rows of {DICTIONARY.name} no table asks for: {unused}"


def test_every_table_has_each_key_once():
    tables = [s.build for s in catalogue.SPECS.values() if isinstance(s.build, MonthTable)]
    tables += [procedures_table, procedures_summary_table, procedure_availability_table, PROGRESS]
    assert len(tables) == len(catalogue.SPECS) - 1  # all but the 団体 list, which reads no month
    for table in tables:
        assert len({c.key for c in table.columns}) == len(table.columns), table.name


def test_names_follow_the_scheme():
    """The key alone for a shared column, <table or family>.<key> otherwise."""
    wrong = [name for name, c in dictionary().items() if name != c.key and not name.endswith("." + c.key)]
    assert wrong == []


def test_a_name_the_file_does_not_have_fails_loudly():
    with pytest.raises(DictionaryError, match=r"dictionary\.csv has no column named 'warnings\.sinse'"):
        columns("warnings.business", "warnings.sinse")


def test_the_long_costs_table_keeps_the_headings_of_the_importable_cost_csv():
    """年度, 区分, 金額（千円）, 対象システム, 備考: edited in dictionary.csv, they must stay the importer's."""
    assert [c.heading for c in COST_COLUMNS[2:7]] == list(parser.COLUMNS[1:])


def test_a_row_without_heading_describes_the_shared_column_named_by_its_key(tmp_path):
    got = _read(
        tmp_path,
        HEADER,
        "code,code,全国地方公共団体コード,6桁,str,042021,実データ,",
        "t.code,code,,都道府県の団体コード,,130001,,",
        "u.code,code,,,,,,",
    )
    assert got["t.code"] == got["code"].described("都道府県の団体コード", "130001")
    assert got["t.code"].real_meaning == "実データ"  # the real-data wording is the shared column's
    assert got["u.code"] == got["code"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["name,key,heading"], "the header row must be"),
        ([HEADER, "a,a,見出し,意味,str,例"], "line 2: 8 cells expected"),
        ([HEADER, "a,a,見出し,意味,str,例,,,"], "line 2: 8 cells expected"),
        ([HEADER, "a,a,見出し,意味,text,例,,"], r"line 2 \(a\): a heading and a kind"),
        ([HEADER, "a,a,,意味,str,例,,"], r"line 2 \(a\): a heading and a kind"),
        ([HEADER, ",a,見出し,意味,str,例,,"], "line 2: name and key must not be empty"),
        ([HEADER, "a,a,見出し,,str,,,", "a,a,見出し,,str,,,"], "line 3: the name 'a' is used twice"),
        ([HEADER, "t.a,a,,意味,,,,", "a,a,見出し,,str,,,"], r"line 2 \(t\.a\): .*'a', which must come earlier"),
        ([HEADER, "a,a,見出し,,str,,,", "t.a,a,,意味,,,実データ,"], r"line 3 \(t\.a\): the real-data wording"),
    ],
)
def test_a_malformed_dictionary_says_where(tmp_path, lines, message):
    with pytest.raises(DictionaryError, match=message):
        _read(tmp_path, *lines)
