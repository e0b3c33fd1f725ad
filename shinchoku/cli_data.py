"""`shinchoku load official` (the government's published figures) and `shinchoku demo` (fictional data).

The two kinds never share a database: each command refuses a database that holds the other kind.
"""

from __future__ import annotations

import argparse
import sys

from shinchoku.cli_actor import shell_actor


def cmd_load(args: argparse.Namespace) -> int:
    from shinchoku.imports.services import ImportOptions, file_import
    from shinchoku.publication.provenance import SAMPLE, dataset_kind
    from shinchoku.reference.official import OFFICIAL_FILES

    if dataset_kind() == SAMPLE:
        print(
            "このデータベースには架空のサンプルデータがあるため、公表値は読み込みません。"
            "架空のデータと実際のデータは同じデータベースに入れません。公表値は新しいデータベースに読み込んでください"
            "（例: 古い var/shinchoku.sqlite3 を移動してから make run。試用には make demo）。",
            file=sys.stderr,
        )
        return 1
    actor = shell_actor(args)
    failed = False
    for f in OFFICIAL_FILES:
        options = ImportOptions(
            actor=actor.name,
            file_name=f.name,
            format=f.format,
            publish=True,
            source="cli",
            official_source=f.source,
        )
        outcome = file_import(actor=actor, data=f.path.read_bytes(), options=options)
        if not outcome.ok:
            failed = True
            print(f"{f.description}: 読み込めませんでした", file=sys.stderr)
            for p in outcome.errors[:20]:
                print(f"  エラー: {p.format()}", file=sys.stderr)
            continue
        c = outcome.counts
        changed = c.get("cells_changed", 0) + c.get("rates_changed", 0) + c.get("systems_added", 0)
        changed += c.get("systems_removed", 0)
        print(f"{f.description}: {'変更なし（読み込み済み）' if not changed else f'{changed:,} 件を反映しました'}")
    return 1 if failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from shinchoku.progress.models import Month
    from shinchoku.publication.provenance import REAL, DatasetMismatch, dataset_kind
    from shinchoku.sample.loader import load_sample

    if dataset_kind() == REAL:
        print(
            "このデータベースには実際のデータ（公表値や団体の報告）があるため、架空のサンプルデータは入れません。"
            "別のデータベースで試してください（例: make demo は var/demo.sqlite3 を使います）。",
            file=sys.stderr,
        )
        return 1
    if args.if_empty and Month.objects.exists():
        print("データがあるため、架空のサンプルデータは生成しませんでした")
        return 0
    try:
        result = load_sample(seed=args.seed, prefectures=args.prefectures, progress=print)
    except DatasetMismatch as e:
        print(str(e), file=sys.stderr)
        return 1
    print(
        f"架空のサンプルデータを生成しました: 対象システム {result.systems:,} 件、"
        f"状態の記録 {result.snapshots:,} 行、{result.months} か月（{result.seconds:.1f} 秒）"
    )
    return 0


def _prefecture_list(value: str) -> list[str]:
    codes = [c.strip().zfill(2) for c in value.replace("、", ",").split(",") if c.strip()]
    if not codes or not all(c.isdigit() and 1 <= int(c) <= 47 for c in codes):
        raise argparse.ArgumentTypeError(f"都道府県コード（01〜47）をカンマ区切りで指定してください: {value}")
    return codes


def add_commands(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("load", help="同梱の公表値（総務省・デジタル庁）を読み込む（何度実行しても同じ）")
    s.add_argument("dataset", choices=["official"], help="official: 国が公表した数値")
    s.add_argument("--actor", help="記録する実行者名（既定: OS のユーザー名）")
    s.set_defaults(func=cmd_load)

    s = sub.add_parser("demo", help="架空のサンプルデータを生成する（実際のデータがあるデータベースには入れません）")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--if-empty", action="store_true", help="データが既にあれば何もしない")
    s.add_argument(
        "--prefectures",
        type=_prefecture_list,
        help="この都道府県とその市区町村だけの小さなサンプル（2桁のコードをカンマ区切り、例: 04,13）",
    )
    s.set_defaults(func=cmd_demo)
