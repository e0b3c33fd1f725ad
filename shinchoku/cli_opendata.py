"""`shinchoku opendata build|status`: build the open data files of published months, or show what is built."""

from __future__ import annotations

import argparse
import logging
import sys


def _months(value: str | None) -> tuple[list, dict] | None:
    """The months asked for (every published one without --month) and their inputs; None (after a message)
    when the month asked for is not published."""
    from shinchoku.domain.calendar import DateError
    from shinchoku.opendata import builder, files, revision
    from shinchoku.progress import selectors

    try:
        months = [files.published_month(value)] if value else builder.published_months()
    except (selectors.NotFound, DateError) as e:
        print(str(e), file=sys.stderr)
        return None
    return months, (revision.month_inputs(months) if months else {})


def cmd_build(args: argparse.Namespace) -> int:
    from shinchoku.opendata import build, builder

    if args.watch:
        logging.getLogger("shinchoku.opendata").setLevel(logging.INFO)  # the root's console handler prints them
        builder.Watcher(parent=args.parent).run()
        return 0
    asked = _months(args.month)
    if asked is None:
        return 1
    months, inputs = asked
    total = 0
    for as_of in months:
        missing, outdated = build.stale(as_of, inputs[as_of])
        names = [f.name for f in build.FILES] if args.all else missing + outdated
        if names:
            total += len(build.build_month(as_of, names, inputs=inputs[as_of], say=print))
    print(f"オープンデータのファイルを {total} 件作成しました（{len(months)} か月）")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from shinchoku.opendata import build, store

    asked = _months(args.month)
    if asked is None:
        return 1
    months, inputs = asked
    print(f"作成処理: {'動いています' if store.builder_alive() else '動いていません'}（{store.root()}）")
    for as_of in months:
        missing, outdated = build.stale(as_of, inputs[as_of])
        ready = len(build.FILES) - len(missing) - len(outdated)
        print(f"{as_of:%Y-%m}: 最新 {ready}、未作成 {len(missing)}、更新待ち {len(outdated)}")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("opendata", help="オープンデータのファイルを作成する・状況を表示する")
    ops = p.add_subparsers(dest="opendata_command", required=True)
    s = ops.add_parser("build", help="公開済みの月のファイルのうち、未作成・更新待ちのものを作成する")
    s.add_argument("--month", help="YYYY-MM または latest（省略時はすべての公開済みの月）")
    s.add_argument("--all", action="store_true", help="最新のファイルも作り直す")
    s.add_argument("--watch", action="store_true", help="常駐して、公開・更新された月のファイルを作り続ける")
    s.add_argument("--parent", type=int, help=argparse.SUPPRESS)  # the gunicorn master that started it
    s.set_defaults(func=cmd_build)
    s = ops.add_parser("status", help="月ごとのファイルの作成状況を表示する")
    s.add_argument("--month", help="YYYY-MM または latest")
    s.set_defaults(func=cmd_status)
