"""Junk files through the whole import service: never a traceback, never a partial write, always a report."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shinchoku.imports.models import ImportRecord
from shinchoku.imports.services import ImportOptions, import_file
from tests.integration.dbstate import content_digest

pytestmark = pytest.mark.django_db

HEADER = "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n"
VALID_LINE = "042021,住民基本台帳,1,完了済み,2026-10-31\n"


def options(**kw: object) -> ImportOptions:
    return ImportOptions(actor="fuzz", file_name="fuzz.bin", **kw)  # type: ignore[arg-type]


@pytest.fixture
def digest_before(db) -> str:
    return content_digest()


def assert_rejected_and_unchanged(data: bytes, before: str, **kw: object) -> None:
    outcome = import_file(data, options(**kw))
    assert outcome.status == "rejected"
    assert outcome.errors, "a rejected import always says why"
    assert all(p.message for p in outcome.errors)
    assert content_digest() == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=1, max_size=2000))
def test_random_bytes_are_rejected_without_writing(digest_before, data):
    assert_rejected_and_unchanged(data, digest_before)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=1, max_value=len((HEADER + VALID_LINE + "042021,住民基本台帳,2,未着").encode())))
def test_a_truncated_csv_with_a_bad_tail_is_rejected_whole(db, cut):
    before = content_digest()  # per example: an earlier cut that left only valid rows was applied whole
    data = (HEADER + VALID_LINE + "042021,住民基本台帳,2,未着").encode()[:cut]
    outcome = import_file(data, options())
    if outcome.status != "rejected":
        assert outcome.counts["cells_reported"] >= 1
        return
    assert content_digest() == before


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["utf-16", "utf-32", "latin-1"]), st.sampled_from(["", "\ufeff"]))
def test_wrong_encodings_and_odd_boms_are_reported(db, encoding, bom):
    before = content_digest()
    text = HEADER + bom + "042021,住民基本台帳,1,完了済み,2026-10-31\n" + bom + "042021,住民基本台帳,2,X,2026-10-31\n"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "replace")[:-3] + b"\xff\xfe"
    outcome = import_file(data, options())
    if outcome.status == "rejected":
        assert content_digest() == before


def test_a_good_row_followed_by_a_bad_one_writes_nothing(digest_before):
    data = (HEADER + VALID_LINE + "042021,住民基本台帳,3,よくわからない,2026-10-31\n").encode()
    assert_rejected_and_unchanged(data, digest_before)


def test_100000_junk_rows_are_reported_without_writing(digest_before):
    junk = "".join(f"x{i},y,z,w,v\n" for i in range(100_000))
    outcome = import_file((HEADER + junk).encode(), options())
    assert outcome.status == "rejected"
    assert len(outcome.errors) <= 1001  # stored errors are capped, the rest summarised
    assert content_digest() == digest_before
    assert ImportRecord.objects.latest("id").status == "rejected"


def test_a_zip_bomb_disguised_as_xlsx_is_refused(digest_before):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    data = buf.getvalue()
    assert len(data) < 2_000_000
    assert_rejected_and_unchanged(data, digest_before)


def test_an_empty_file_is_rejected(digest_before):
    assert_rejected_and_unchanged(b"", digest_before)
