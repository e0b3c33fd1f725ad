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


def cmd_pages(args: argparse.Namespace) -> int:
    """`shinchoku pages warm [--watch]`: the pages rendered ahead of readers (each 団体's, and the wider areas' of
    every published month); `pages status`: how many of them are current; `pages clear`: none kept."""
    from shinchoku.publication.models import StoredPage
    from shinchoku.staticsite.pages_status import pages_status
    from shinchoku.staticsite.warm import warm, watch

    if args.action == "status":
        print(pages_status().summary())
        return 0
    if args.action == "clear":
        removed = StoredPage.objects.all().delete()[0]
        print(f"事前に描画したページを {removed} 件削除しました（以後は要求のたびに描画します）")
        return 0
    if args.watch:
        watch(parent=args.parent)
        return 0
    report = warm(say=lambda line: print(line, file=sys.stderr, flush=True))
    print(report.summary())
    return 0


def add_pages_command(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "pages",
        help="団体のページ（HTML と API）と、全国・都道府県などの月ごとのページを事前に描画して保存する"
        "（公開後・書き込み後。serve が自動で行います）。status で最新の件数と容量を表示する",
    )
    s.add_argument("action", choices=["warm", "status", "clear"])
    s.add_argument("--watch", action="store_true", help="warm: 変更のたびに描画し直し続ける")
    s.add_argument("--parent", type=int, help=argparse.SUPPRESS)  # the gunicorn master that started it
    s.set_defaults(func=cmd_pages)
