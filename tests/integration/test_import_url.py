"""`shinchoku import URL`: a file fetched from a local HTTP server on 127.0.0.1 imports like a file on disk;
a 404, a too-large body, an HTML page and a timeout each give a clear error and write nothing."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shinchoku.cli import main
from shinchoku.imports.models import ImportRecord
from shinchoku.progress.models import StatusSnapshot

pytestmark = pytest.mark.django_db

LONG = (
    "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n"
    "042021,住民基本台帳,1,完了済み,2026-10-31\n"
    "042021,住民基本台帳,2,作業中,2026-10-31\n"
).encode()


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes, float]] = {
        "/data/progress.csv": (200, "text/csv; charset=utf-8", LONG, 0.0),
        "/data/missing.xlsx": (404, "text/html", b"<html>not found</html>", 0.0),
        "/data/page": (200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><body>portal</body></html>", 0.0),
        "/data/disguised.xlsx": (200, "application/octet-stream", b"<html><body>a page</body></html>", 0.0),
        "/data/big.csv": (200, "text/csv", LONG + b"x" * 5000, 0.0),
        "/data/slow.csv": (200, "text/csv", LONG, 3.0),
    }

    def do_GET(self) -> None:
        status, content_type, body, delay = self.routes.get(self.path, (404, "text/plain", b"", 0.0))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if self.path != "/data/big.csv":  # the large one comes without a length: the reader must stop itself
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if delay:
            time.sleep(delay)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_file_at_a_url_imports_like_a_file(server, capsys) -> None:
    before = ImportRecord.objects.count()
    code, _out, err = run(capsys, "import", f"{server}/data/progress.csv", "--actor", "cron")
    assert code == 0, err
    record = ImportRecord.objects.order_by("-id").first()
    assert ImportRecord.objects.count() == before + 1 and record is not None
    assert record.file_name == "progress.csv" and record.status == "applied" and record.actor == "cron"
    snap = StatusSnapshot.objects.get(system__organization_id="042021", system__business_id=1, as_of="2026-10-31")
    assert snap.codes[:2] == "CP"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/data/missing.xlsx", "HTTP 404"),
        ("/data/page", "ウェブページ（HTML）"),
        ("/data/disguised.xlsx", "ウェブページ（HTML）"),
        ("/data/big.csv", "ファイルが大きすぎます"),
        ("/data/slow.csv", "秒以内に終わりませんでした"),
    ],
)
def test_a_bad_download_is_refused_and_writes_nothing(server, capsys, settings, path: str, message: str) -> None:
    settings.SHINCHOKU_MAX_UPLOAD_BYTES = 1000
    records, snapshots = ImportRecord.objects.count(), StatusSnapshot.objects.count()
    code, _out, err = run(capsys, "import", f"{server}{path}", "--timeout", "1")
    assert code == 1
    assert message in " ".join(err.split()), err
    assert (ImportRecord.objects.count(), StatusSnapshot.objects.count()) == (records, snapshots)


def test_plain_http_to_another_host_is_refused(capsys) -> None:
    code, _out, err = run(capsys, "import", "http://example.invalid/file.xlsx")
    assert code == 1 and "https://" in err
