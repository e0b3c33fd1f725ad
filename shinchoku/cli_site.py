"""`shinchoku export site DIR [--as-of YYYY-MM] [--base-url URL]`: the public pages as a static site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from shinchoku.staticsite.export import ExportError, export_site

    if not args.directory:
        print("書き出し先のフォルダーを指定してください（例: shinchoku export site public/）", file=sys.stderr)
        return 2
    prefectures = frozenset(p.strip().zfill(2) for p in args.prefectures.split(",")) if args.prefectures else None
    try:
        report = export_site(
            Path(args.directory),
            as_of=args.as_of,
            base_url=args.base_url,
            prefectures=prefectures,
            say=lambda line: print(line, file=sys.stderr, flush=True),
        )
    except ExportError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(report.summary())
    if report.external_links:
        where = (
            f"{args.base_url} へのリンクに" if args.base_url else "リンクを外しました（--base-url で公開サーバーへ）"
        )
        print(f"書き出していないページ {report.external_links} 件は、{where}")
    return 0


def add_arguments(s: argparse.ArgumentParser) -> None:
    """The options only `export site` reads (the other kinds ignore them)."""
    s.add_argument("directory", nargs="?", help="site の書き出し先フォルダー")
    s.add_argument(
        "--base-url", help="site: 書き出さないページ（検索・API・職員用）へのリンク先（例: https://example.jp）"
    )
    s.add_argument("--prefectures", help="site: 書き出す都道府県を絞る（例: 04,13）")
