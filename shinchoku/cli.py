"""Command line: thin — parses arguments and calls the same services and selectors as the web."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shinchoku.settings")
    import django

    django.setup()


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def cmd_init(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it
    call_command("migrate", interactive=False, verbosity=0)
    from shinchoku.reference.loader import load_reference

    result = load_reference(overwrite=args.overwrite_reference)
    if any(result.created.values()) or any(result.updated.values()):
        from shinchoku.cli_actor import shell_actor

        shell_actor().record("load_reference", after={"created": result.created, "updated": result.updated})
    created = ", ".join(f"{k} {v}" for k, v in result.created.items())
    print(f"データベースを準備しました（参照データ追加: {created}）")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from shinchoku.ops.serving import prepare, worker_timeout

    refused = prepare(host=args.host, migrate=args.migrate)  # pending migrations, unsafe settings
    if refused is not None:
        return refused
    argv = [
        "gunicorn",
        "shinchoku.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--access-logfile",
        "-" if args.access_log else "/dev/null",
        "--timeout",
        str(worker_timeout()),
        "--graceful-timeout",
        "30",
        "--config",
        "python:shinchoku.opendata.gunicorn_hooks",  # starts the open data builder and the page warmer
    ]
    print(f"http://{args.host}:{args.port}/ で公開しています（Ctrl+C で停止）", flush=True)
    os.execvp(sys.executable, [sys.executable, "-m", *argv])
    return 0  # pragma: no cover


def cmd_code(args: argparse.Namespace) -> int:
    from shinchoku.reference import lookup

    try:
        matches = lookup.find(args.value)
    except lookup.LookupFailed as e:
        print(str(e), file=sys.stderr)
        return 1
    if len(matches) > 1:
        print(f"「{args.value}」に該当する団体が {len(matches)} 件あります（都道府県名を付けてください）:")
    for o in matches:
        print(f"{o.code} {o.prefecture_name} {o.name}".rstrip())
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from shinchoku.domain.codes import CodeError, normalize_code
    from shinchoku.progress import selectors
    from shinchoku.reference.lookup import known_codes

    try:
        code = normalize_code(args.code, known_codes())
        as_of = selectors.resolve_as_of(args.as_of, published_only=False)
        data = selectors.organization_progress(code=code, as_of=as_of)
    except (CodeError, selectors.NotFound, ValueError) as e:
        print(str(e), file=sys.stderr)
        return 1
    if args.json:
        from shinchoku.api.schemas import OrganizationProgress

        # serialised by the API's own schema, so both print exactly the same document
        print(OrganizationProgress.model_validate(data).model_dump_json(indent=2))
        return 0
    from shinchoku.cli_render import print_progress

    print_progress(data)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.kind == "site":
        from shinchoku.cli_site import run

        return run(args)
    if args.directory:
        print("フォルダーを指定できるのは export site だけです（-o でファイルを指定してください）", file=sys.stderr)
        return 2
    from shinchoku.opendata import exporter

    try:
        path = exporter.export(kind=args.kind, fmt=args.format, as_of=args.as_of, output=args.output)
    except exporter.ExportError as e:
        print(str(e), file=sys.stderr)
        return 1
    if path is not None:
        print(f"書き出しました: {path}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shinchoku", description="自治体DX 進捗ダッシュボード")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("init", help="データベースを作成・移行し、参照データを読み込む（何度実行しても同じ）")
    s.add_argument("--overwrite-reference", action="store_true", help="管理画面での参照データの編集を同梱値に戻す")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("serve", help="本番用サーバー（gunicorn）で公開する")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--threads", type=int, default=4)
    s.add_argument("--access-log", action="store_true", help="gunicorn の access log も出す（JSON のログは常に出ます）")
    s.add_argument("--migrate", action="store_true", help="未適用の移行があれば適用してから起動する")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("code", help="団体コードまたは団体名を調べる")
    s.add_argument("value")
    s.set_defaults(func=cmd_code)

    s = sub.add_parser("progress", help="団体の進捗（API と同じ数値）")
    s.add_argument("code")
    s.add_argument("--as-of", dest="as_of")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_progress)

    s = sub.add_parser("export", help="オープンデータを書き出す（site: 公開ページを静的サイトとして書き出す）")
    s.add_argument(
        "kind",
        choices=[
            "organizations",
            "progress",
            "organization-summary",
            "system-summary",
            "prefecture-summary",
            "special-support",
            "procedures",
            "procedures-summary",
            "procedure-availability",
            "costs",
            "cost-summary",
            "cloud-summary",
            "vendor-changes",
            "warnings",
            "forecasts",
            "all",
            "site",
        ],
    )
    s.add_argument("--format", default="csv", choices=["csv", "json", "xlsx", "parquet", "sqlite"])
    s.add_argument("--as-of", dest="as_of")
    s.add_argument("-o", "--output")
    from shinchoku.cli_site import add_arguments as add_site_arguments
    from shinchoku.cli_site import add_pages_command

    add_site_arguments(s)
    s.set_defaults(func=cmd_export)
    add_pages_command(sub)

    from shinchoku.cli_data import add_commands as add_data_commands
    from shinchoku.cli_import import add_commands

    add_data_commands(sub)
    add_commands(sub)
    from shinchoku.cli_users import add_commands as add_user_commands

    add_user_commands(sub)
    from shinchoku.cli_opendata import add_commands as add_opendata_commands

    add_opendata_commands(sub)
    from shinchoku.cli_ops import add_commands as add_ops_commands

    add_ops_commands(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_django()
    code: int = args.func(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
