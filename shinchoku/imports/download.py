"""Fetching a published file by its URL for `shinchoku import URL` (size limit, timeout, type check).

HTTPS only, except for this machine (http://127.0.0.1, http://localhost), which tests and local mirrors use.
Nothing is written here: the bytes go to the same import pipeline as a file on disk.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

__all__ = ["DownloadError", "Downloaded", "fetch", "is_url"]

CHUNK = 1 << 16
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ACCEPTED_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/octet-stream",
        "application/zip",
        "application/x-zip-compressed",
        "text/csv",
        "text/plain",
        "application/csv",
    }
)
_HTML = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)


class DownloadError(Exception):
    """The file could not be fetched or is not a file we import (message in Japanese)."""


@dataclass(frozen=True)
class Downloaded:
    url: str
    file_name: str
    data: bytes
    content_type: str


def is_url(text: str) -> bool:
    return text.startswith(("https://", "http://"))


def _check_url(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return parts
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return parts
    raise DownloadError(f"「{url}」は取り込めません。https:// で始まるURLを指定してください。")


def _file_name(parts: urllib.parse.SplitResult, headers: Message) -> str:
    name = headers.get_filename() if hasattr(headers, "get_filename") else None
    if not name:
        name = urllib.parse.unquote(parts.path.rsplit("/", 1)[-1])
    return name or "download"


def fetch(url: str, *, max_bytes: int, timeout: float = 60.0) -> Downloaded:
    """The file at `url`, refused (DownloadError) on an HTTP error, a body over max_bytes, an HTML page or
    another content type, or when the whole download takes longer than `timeout` seconds."""
    parts = _check_url(url)
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": "shinchoku-import"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = (response.headers.get_content_type() or "").lower()
            if content_type == "text/html":
                raise DownloadError(
                    f"「{url}」はウェブページ（HTML）でした。Excel または CSV ファイルそのもののURLを指定してください。"
                )
            if content_type not in ACCEPTED_TYPES:
                raise DownloadError(
                    f"「{url}」の種類（{content_type}）は取り込めません。Excel・ODS・CSV のファイルを指定してください。"
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise DownloadError(_too_large(int(declared), max_bytes))
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise DownloadError(_too_large(size, max_bytes, at_least=True))
                if time.monotonic() > deadline:
                    raise DownloadError(f"ダウンロードが {timeout:.0f} 秒以内に終わりませんでした（{url}）。")
                chunks.append(chunk)
            data = b"".join(chunks)
            name = _file_name(parts, response.headers)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"ダウンロードできませんでした（HTTP {exc.code} {exc.reason}、{url}）。") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise DownloadError(f"ダウンロードが {timeout:.0f} 秒以内に終わりませんでした（{url}）。") from None
        raise DownloadError(f"ダウンロードできませんでした（{reason}、{url}）。") from None
    except TimeoutError:
        raise DownloadError(f"ダウンロードが {timeout:.0f} 秒以内に終わりませんでした（{url}）。") from None
    if _HTML.match(data[:512]):
        raise DownloadError(
            f"「{url}」はウェブページ（HTML）でした。Excel または CSV ファイルそのもののURLを指定してください。"
        )
    if not data:
        raise DownloadError(f"「{url}」のファイルは空でした。")
    return Downloaded(url=url, file_name=name, data=data, content_type=content_type)


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "以上" if at_least else ""
    return f"ファイルが大きすぎます（{size / 1_000_000:.1f} MB{more}）。上限は {limit / 1_000_000:.0f} MB です。"
