"""`shinchoku import`, `shinchoku imports`, `shinchoku publish` — thin wrappers over the import service."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from shinchoku.cli_actor import shell_actor, shell_name


def cmd_import(args: argparse.Namespace) -> int:
    from shinchoku.domain.calendar import DateError, parse_date, to_month_end
    from shinchoku.domain.codes import CodeError, normalize_code
    from shinchoku.imports.download import DownloadError, fetch, is_url
    from shinchoku.imports.services import ImportOptions, max_bytes, reject, too_large_problem
    from shinchoku.reference.lookup import known_codes

    err = Console(stderr=True)
    downloaded = None
    if is_url(args.file):
        try:
            downloaded = fetch(args.file, max_bytes=max_bytes(), timeout=args.timeout)
        except DownloadError as e:
            err.print(f"エラー: {e}（何も書き込んでいません）", highlight=False, soft_wrap=True)
            return 1
        path = Path(downloaded.file_name)
    else:
        path = Path(args.file)
        if not path.is_file():
            err.print(f"ファイルが見つかりません: {path}")
            return 2
    try:
        as_of = to_month_end(parse_date(args.as_of)) if args.as_of else None
        org = normalize_code(args.org, known_codes()) if args.org else None
    except (DateError, CodeError) as e:
        err.print(str(e))
        return 2
    options = ImportOptions(
        actor=shell_name(args),
        file_name=path.name,
        format=args.format,
        as_of=as_of,
        org=org,
        allow_new_systems=args.allow_new_systems,
        dry_run=args.dry_run,
        publish=args.publish,
        source="cli",
    )
    size = len(downloaded.data) if downloaded else path.stat().st_size
    if size > max_bytes():  # refused before reading the file into memory
        outcome = reject(options, b"", [too_large_problem(size, path.name)])
    else:
        from shinchoku.accounts.actor import Actor
        from shinchoku.imports.services import file_import

        with _progress(path.name) as status:
            options.on_stage = status
            data = downloaded.data if downloaded else path.read_bytes()
            outcome = file_import(actor=Actor.shell(options.actor), data=data, options=options)
    _report(outcome)
    return 0 if outcome.ok else 1


class _progress:
    """A spinner with a status line on a terminal; silent when not a TTY (scripts, CI)."""

    def __init__(self, name: str) -> None:
        self.console = Console(stderr=True)
        self.name = name
        self.live: Any = None

    def __enter__(self):
        if self.console.is_terminal:
            self.live = self.console.status(f"{self.name}: 取り込み中…")
            self.live.__enter__()
        return self.update

    def update(self, message: str) -> None:
        if self.live is not None:
            self.live.update(f"{self.name}: {message}")

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.__exit__(None, None, None)


def _report(outcome) -> None:
    out = Console()
    err = Console(stderr=True)
    for p in outcome.warnings:
        err.print(f"[yellow]警告[/yellow] {p.format()}", highlight=False)
    if not outcome.ok:
        t = Table("シート", "行", "列", "値", "内容", title="エラー（何も書き込んでいません）", show_lines=False)
        for p in outcome.errors:
            msg = p.message + (f"（入力できる値: {p.expected}）" if p.expected else "")
            msg += f" 候補: {p.suggestion}" if p.suggestion else ""
            t.add_row(p.sheet or "-", str(p.row or "-"), p.column or "-", p.value or "", msg)
        err.print(t)
        for p in outcome.errors:  # one plain line each as well, for logs and grep
            err.print(f"エラー: {p.format()}", highlight=False, soft_wrap=True)
        err.print(f"{len(outcome.errors)} 件のエラーがあるため取り込みませんでした。")
        return
    c = outcome.counts
    head = "確認のみ（書き込みなし）" if outcome.status == "dry_run" else "取り込みました"
    out.print(f"{head}: 形式 {outcome.format}、基準日 {', '.join(c.get('months', []))}")
    out.print(
        f"変更されたセル {c['cells_changed']:,} 件（報告されたセル {c['cells_reported']:,} 件）、"
        f"団体 {c['organizations']:,}、記録した月別行 {c['snapshots_written']:,}"
    )
    if c["transitions"]:
        t = Table("状態の変化", "セル数")
        for k, v in c["transitions"].items():
            t.add_row(k, f"{v:,}")
        out.print(t)
    if c["new_systems"]:
        total = c.get("new_systems_count", len(c["new_systems"]))
        shown = c["new_systems"][:10]
        more = f" ほか {total - len(shown):,} 件" if total > len(shown) else ""
        out.print(f"新しい対象システム {total:,} 件: " + "、".join(shown) + more)
    if c["new_own_steps"]:
        out.print(
            "新しい独自ステップ: " + "、".join(f"{o} 独自{n}" for o, ns in c["new_own_steps"].items() for n in ns)
        )
    if outcome.record_id:
        out.print(f"取り込み記録 #{outcome.record_id}")


def cmd_imports(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from shinchoku.imports.models import ImportRecord

    t = Table("#", "日時", "ファイル", "形式", "基準日", "実行者", "結果", "変更セル", "エラー")
    for r in ImportRecord.objects.all()[: args.limit]:
        t.add_row(
            str(r.pk),
            f"{timezone.localtime(r.created_at):%Y-%m-%d %H:%M}",
            r.file_name,
            r.format or "-",
            r.as_of.isoformat() if r.as_of else "-",
            r.actor,
            r.get_status_display(),
            f"{r.counts.get('cells_changed', 0):,}" if r.counts else "-",
            str(len(r.errors)),
        )
    Console(width=max(120, Console().width)).print(t)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish the month's progress and, where there is any, its procedures data."""
    from shinchoku.domain.calendar import DateError, parse_month, to_month_end
    from shinchoku.procedures.models import ProcedureMonth
    from shinchoku.procedures.services import procedures_month_publish
    from shinchoku.progress.services import month_publish

    try:
        month = to_month_end(parse_month(args.month))
    except DateError as e:
        print(str(e), file=sys.stderr)
        return 2
    actor = shell_actor(args)
    had_procedures = ProcedureMonth.objects.filter(as_of=month).exists()
    try:
        month_publish(actor=actor, as_of=month)  # the month's procedures data goes public with it
        published = ["進捗", *(["手続のオンライン化"] if had_procedures else [])]
    except LookupError:
        if not had_procedures:
            print(f"{month:%Y年%m月} のデータはありません", file=sys.stderr)
            return 1
        procedures_month_publish(actor=actor, as_of=month)
        published = ["手続のオンライン化"]
    print(f"{month:%Y年%m月} を公開しました（{'・'.join(published)}）")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("import", help="進捗ファイルを検証して取り込む（すべて反映するか、何もしないか）")
    s.add_argument("file", help="ファイル、または公表先の https:// URL")
    s.add_argument("--timeout", type=float, default=60.0, help="URL から取得するときの上限（秒）")
    s.add_argument(
        "--format",
        default="auto",
        choices=["auto", "soumu", "rates", "long", "matrix", "special-support", "procedures", "costs"],
    )
    s.add_argument("--as-of", dest="as_of")
    s.add_argument("--org")
    s.add_argument("--allow-new-systems", action="store_true")
    s.add_argument("--dry-run", action="store_true")
    s.add_argument("--publish", action="store_true")
    s.add_argument("--actor", help="記録する実行者名（既定: OS のユーザー名）")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("imports", help="取り込みの記録を一覧する")
    s.add_argument("--limit", type=int, default=50)
    s.set_defaults(func=cmd_imports)

    s = sub.add_parser("publish", help="月を公開する（運用者）")
    s.add_argument("month", help="YYYY-MM")
    s.add_argument("--actor")
    s.set_defaults(func=cmd_publish)
