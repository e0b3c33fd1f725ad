"""`shinchoku user add|token|revoke|list|disable|enable|reset-password|unlock` — staff accounts from the
server's shell.

The shell is the operator's: these commands are not checked against the rule table, but every write leaves
an audit entry with source "cli" and the operator as actor (cli:<OS user>).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from shinchoku.cli_actor import shell_actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _org(value: str | None, role: str):  # -> Organization | None
    from shinchoku.domain.codes import CodeError, normalize_code
    from shinchoku.reference.lookup import known_codes
    from shinchoku.reference.models import Organization

    if value is None:
        return None
    text = value.strip()
    if role == "prefecture" and text.isdigit() and len(text) <= 2:  # a prefecture number: 4 or 04
        org = Organization.objects.filter(prefecture_code=text.zfill(2), kind="都道府県").first()
        if org is None:
            raise CodeError(f"都道府県 {text} はありません")
        return org
    return Organization.objects.get(code=normalize_code(text, known_codes()))


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        first = getpass.getpass("パスワード: ")
        if first != getpass.getpass("パスワード（確認）: "):
            print("パスワードが一致しません", file=sys.stderr)
            return None
        return first
    print("パスワードを --password-stdin で標準入力から渡してください", file=sys.stderr)
    return None


def _password(args: argparse.Namespace, user: User) -> str | None:
    """The new password (read as _read_password does) once Django's validators accept it for the user; None
    after a message."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    password = _read_password(args)
    if password is None:
        return None
    try:
        validate_password(password, user)
    except ValidationError as e:
        print("パスワードが弱すぎます: " + " ".join(e.messages), file=sys.stderr)
        return None
    return password


def cmd_user_add(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import User
    from django.db import transaction

    from shinchoku.accounts.models import StaffProfile
    from shinchoku.domain.codes import CodeError
    from shinchoku.progress.practice import ensure_practice

    if User.objects.filter(username=args.name).exists():
        print(f"ユーザー {args.name} は既にあります", file=sys.stderr)
        return 1
    try:
        org = _org(args.org, args.role)
    except (CodeError, Exception) as e:
        print(str(e), file=sys.stderr)
        return 2
    problem = _role_problem(args.role, org)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    user = User(username=args.name)
    password = _password(args, user)
    if password is None:
        return 2
    with transaction.atomic():
        user.set_password(password)
        user.is_staff = args.role == "operator"
        user.is_superuser = args.role == "operator"
        user.save()
        profile = StaffProfile.objects.create(
            user=user, role=args.role, organization=org, edits_municipalities=bool(args.edits_municipalities)
        )
        shell_actor().record(
            action="add_user",
            organization_code=org.code if org else "",
            target=args.name,
            after={"role": args.role, "edits_municipalities": profile.edits_municipalities},
        )
    ensure_practice()
    where = f"（{org.display_name}）" if org else ""
    print(f"ユーザー {args.name} を作成しました: {profile.get_role_display()}{where}")
    return 0


def _role_problem(role: str, org) -> str | None:
    if role == "operator":
        return "運用者には --org を付けません" if org is not None else None
    if org is None:
        return "--org で担当の団体コードを指定してください"
    if role == "prefecture" and not org.is_prefecture:
        return "都道府県担当の --org には都道府県のコードを指定してください"
    if role == "municipality" and org.is_prefecture:
        return "市区町村担当の --org には市区町村のコードを指定してください"
    return None


def cmd_user_token(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import User

    from shinchoku.accounts import tokens

    user = User.objects.filter(username=args.name, is_active=True).first()
    if user is None:
        print(f"ユーザー {args.name} はありません", file=sys.stderr)
        return 1
    row, token = tokens.issue(user, args.label or "")
    shell_actor().record(action="issue_token", target=f"{args.name} {row.prefix}…")
    print(token)
    print("このトークンは二度と表示されません。安全な場所に保管してください。", file=sys.stderr)
    return 0


def cmd_user_revoke(args: argparse.Namespace) -> int:
    from shinchoku.accounts import tokens
    from shinchoku.accounts.models import ApiToken

    rows = list(ApiToken.objects.filter(user__username=args.name, revoked_at=None))
    for row in rows:
        tokens.revoke(row)
        shell_actor().record(action="revoke_token", target=f"{args.name} {row.prefix}…")
    print(f"{len(rows)} 件のトークンを無効にしました")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from shinchoku.accounts.models import StaffProfile

    for p in StaffProfile.objects.select_related("user", "organization").order_by("user__username"):
        org = p.organization.code if p.organization else "-"
        active = "" if p.user.is_active else "（無効）"
        print(f"{p.user.get_username()}\t{p.role}\t{org}{active}")
    return 0


def _user(name: str):  # -> User | None, with a message when there is none
    from django.contrib.auth.models import User

    user = User.objects.filter(username=name).first()
    if user is None:
        print(f"ユーザー {name} はありません", file=sys.stderr)
    return user


def _set_active(args: argparse.Namespace, active: bool) -> int:
    from django.db import transaction

    user = _user(args.name)
    if user is None:
        return 1
    if user.is_active == active:
        print(f"ユーザー {args.name} は既に{'有効' if active else '無効'}です")
        return 0
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        shell_actor().record(
            action="enable_user" if active else "disable_user",
            target=args.name,
            before={"is_active": not active},
            after={"is_active": active},
        )
    if active:
        print(f"ユーザー {args.name} を有効にしました")
    else:  # sessions and tokens of an inactive account are refused on their next request
        print(f"ユーザー {args.name} を無効にしました（ログイン中のセッションと API トークンも使えなくなります）")
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    return _set_active(args, False)


def cmd_user_enable(args: argparse.Namespace) -> int:
    return _set_active(args, True)


def cmd_user_reset_password(args: argparse.Namespace) -> int:
    from django.db import transaction

    user = _user(args.name)
    if user is None:
        return 1
    password = _password(args, user)
    if password is None:
        return 2
    with transaction.atomic():
        user.set_password(password)  # the session hash changes: the account's other sessions end
        user.save(update_fields=["password"])
        shell_actor().record(action="reset_password", target=args.name)
    print(f"ユーザー {args.name} のパスワードを設定し直しました（ログイン中の他のセッションは終了します）")
    return 0


def cmd_user_unlock(args: argparse.Namespace) -> int:
    from axes.utils import reset

    if _user(args.name) is None:
        return 1
    removed = reset(username=args.name)
    shell_actor().record(action="unlock_user", target=args.name, after={"attempts_removed": removed})
    print(f"ユーザー {args.name} のログインの一時停止を解除しました（失敗の記録 {removed} 件を削除）")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("user", help="職員アカウントと API トークン")
    us = s.add_subparsers(dest="user_command", required=True)

    def command(
        name: str, help: str, func: Callable[[argparse.Namespace], int], *, account: bool = True
    ) -> argparse.ArgumentParser:
        """`shinchoku user COMMAND [ACCOUNT] …`."""
        p = us.add_parser(name, help=help)
        if account:
            p.add_argument("name")
        p.set_defaults(func=func)
        return p

    password_stdin: dict[str, Any] = {"action": "store_true", "help": "パスワードを標準入力の1行目から読む"}
    a = command("add", "職員アカウントを作成する", cmd_user_add)
    a.add_argument("--role", required=True, choices=["operator", "prefecture", "municipality", "viewer"])
    a.add_argument("--org", help="担当の団体コード（都道府県担当は都道府県のコード）")
    a.add_argument("--password-stdin", **password_stdin)
    a.add_argument("--edits-municipalities", action="store_true", help="都道府県担当に管内市区町村の編集を許可する")
    command("token", "個人用 API トークンを発行して一度だけ表示する", cmd_user_token).add_argument(
        "--label", help="トークンの用途（任意）"
    )
    command("revoke", "ユーザーの API トークンをすべて無効にする", cmd_user_revoke)
    command("list", "職員アカウントの一覧", cmd_user_list, account=False)
    command("disable", "アカウントを無効にする（ログイン・API トークンとも使えなくなる）", cmd_user_disable)
    command("enable", "無効にしたアカウントを有効に戻す", cmd_user_enable)
    command("reset-password", "パスワードを設定し直す", cmd_user_reset_password).add_argument(
        "--password-stdin", **password_stdin
    )
    command("unlock", "ログインの一時停止（失敗が続いたとき）を解除する", cmd_user_unlock)
