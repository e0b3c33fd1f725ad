"""`shinchoku backup FILE` and `shinchoku restore FILE` (thin wrappers over shinchoku.ops.backup), and
`shinchoku rollups rebuild` (the repair recompute of every rollup)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_backup(args: argparse.Namespace) -> int:
    from shinchoku.ops.backup import BackupError, backup

    try:
        backup(Path(args.file))
    except BackupError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(f"バックアップしました: {args.file}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from shinchoku.cli_actor import shell_actor
    from shinchoku.ops.backup import BackupError, restore

    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "データベースの内容をすべて置き換えます。確認のため --yes を付けて実行してください。", file=sys.stderr
            )
            return 2
        answer = input(f"データベースの内容をすべて {args.file} の内容で置き換えます。よろしいですか [y/N]: ")
        if answer.strip().lower() not in ("y", "yes"):
            print("中止しました。", file=sys.stderr)
            return 1
    try:
        restore(Path(args.file))
    except BackupError as e:
        print(str(e), file=sys.stderr)
        return 1
    # recorded in the restored database, so the trail shows where its history was replaced
    shell_actor().record(action="restore", target=Path(args.file).name)
    print(f"復元しました: {args.file}")
    return 0


def cmd_rollups(args: argparse.Namespace) -> int:
    """`shinchoku rollups rebuild [--from YYYY-MM]`: recompute every rollup from scratch (a repair)."""
    import time

    from shinchoku.cli_actor import shell_actor
    from shinchoku.domain.calendar import DateError, parse_month
    from shinchoku.progress.services import rollups_rebuild

    try:
        since = parse_month(args.since) if args.since else None
    except DateError as e:
        print(str(e), file=sys.stderr)
        return 2
    started = time.perf_counter()
    months = rollups_rebuild(actor=shell_actor(args), since=since)
    print(f"集計を {months} か月分作り直しました（{time.perf_counter() - started:.1f} 秒）")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("backup", help="データベース全体を動かしたままバックアップする（SQLite / PostgreSQL）")
    s.add_argument("file", help="保存先のファイル（既にあれば置き換える）")
    s.set_defaults(func=cmd_backup)
    s = sub.add_parser("restore", help="shinchoku backup のファイルからデータベース全体を戻す")
    s.add_argument("file")
    s.add_argument("--yes", action="store_true", help="確認せずに置き換える（スクリプト・cron 用）")
    s.set_defaults(func=cmd_restore)
    s = sub.add_parser("rollups", help="集計（ロールアップ）を保守する")
    actions = s.add_subparsers(dest="rollups_action", required=True)
    r = actions.add_parser("rebuild", help="すべての月の集計を最初から計算し直す（修復用。普段の書き込みは差分で更新）")
    r.add_argument("--from", dest="since", help="この月（YYYY-MM）以降だけを作り直す")
    r.add_argument("--actor", help="監査記録に残す名前（既定: cli:ユーザー名）")
    r.set_defaults(func=cmd_rollups)
