"""Audit entries in people's words: 「石巻市 住民基本台帳 2026年10月 ⑰-1「…」：完了済み → 作業中」, not raw action names
and Python dicts. The stored entry stays as it is (machine-readable); this is the staff page's reading of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from shinchoku.accounts.models import AuditEntry
from shinchoku.domain.status import Status
from shinchoku.progress.models import SystemAttributes
from shinchoku.reference.models import NationalStep, Organization

ACTIONS = {
    "set_status": "状態の変更",
    "bulk_set_status": "状態の一括変更",
    "update_system": "システム情報の変更",
    "add_system": "システムの追加",
    "add_own_step": "独自の作業ステップの追加",
    "save_delay": "遅延の説明の保存",
    "publish": "月の公開",
    "import": "ファイルの取り込み",
    "reset_practice": "体験モードのリセット",
    "set_procedures": "手続のオンライン化の入力",
    "set_costs": "運用経費の入力",
    "withdraw_costs": "運用経費の取り下げ",
    "add_user": "アカウントの追加",
    "disable_user": "アカウントの停止",
    "enable_user": "アカウントの再開",
    "issue_token": "API トークンの発行",
    "revoke_token": "API トークンの取り消し",
    "reset_password": "パスワードの再設定",
    "unlock_user": "ログイン制限の解除",
    "load_reference": "参照データの読み込み",
    "load_sample": "架空のサンプルデータの生成",
    "restore": "バックアップからの復元",
    "admin_add": "管理画面での追加",
    "admin_change": "管理画面での変更",
    "admin_delete": "管理画面での削除",
}
SOURCES = {"ui": "職員用画面", "api": "API", "cli": "コマンド", "admin": "管理画面", "import": "取り込み"}
_STEP_IN_TARGET = re.compile(r"ステップ (\d{1,2}|独自\d+)")
_MONTH_IN_TARGET = re.compile(r"(\d{4})-(\d{2})(?:-\d{2})?$")


@dataclass(frozen=True)
class EntryText:
    entry: AuditEntry
    action: str
    source: str
    organization: str
    sentence: str


def _status(value: object) -> str:
    try:
        return Status(str(value)).label
    except ValueError:
        return "—"


def _month(text: str) -> str:
    m = _MONTH_IN_TARGET.search(text.strip())
    return f"{int(m.group(1))}年{int(m.group(2))}月" if m else ""


def _field_label(name: str) -> str:
    try:
        return str(SystemAttributes._meta.get_field(name).verbose_name)
    except Exception:  # a field no longer on the model: show its name
        return name


def _value(v: Any) -> str:
    if v is None or v == "":
        return "（なし）"
    if v is True:
        return "はい"
    if v is False:
        return "いいえ"
    return str(v)


class Describer:
    """Reads a page of entries with two lookups (step names, 団体 names), not one per entry."""

    def __init__(self, entries: list[AuditEntry]) -> None:
        self.steps = {
            str(n): (label, name)
            for n, label, name in NationalStep.objects.values_list("number", "item_number", "name")
        }
        codes = {e.organization_code for e in entries if e.organization_code}
        self.orgs = dict(Organization.objects.filter(code__in=codes).values_list("code", "name"))

    def step(self, key: str) -> str:
        if key in self.steps:
            label, name = self.steps[key]
            return f"{label}「{name}」"
        return key  # 独自N

    def describe(self, e: AuditEntry) -> EntryText:
        org = self.orgs.get(e.organization_code, "")
        return EntryText(
            entry=e,
            action=ACTIONS.get(e.action, e.action),
            source=SOURCES.get(e.source, e.source),
            organization=f"{org}（{e.organization_code}）" if org else e.organization_code,
            sentence=self.sentence(e),
        )

    def sentence(self, e: AuditEntry) -> str:
        before = e.before if isinstance(e.before, dict) else {}
        after = e.after if isinstance(e.after, dict) else {}
        target = e.target or ""
        system = target.split(" / ")[0]
        month = _month(target)
        step_key = str(after.get("step") or "")
        if not step_key:
            m = _STEP_IN_TARGET.search(target)
            step_key = m.group(1) if m else ""
        if e.action == "set_status":
            old = f"{_status(before['status'])} → " if before.get("status") else "（変更前の状態の記録なし）→ "
            return f"{system} {month} {self.step(step_key)}：{old}{_status(after.get('status'))}"
        if e.action == "bulk_set_status":
            n = after.get("systems", "")
            return f"{n} システムの {month} {self.step(step_key)} を「{_status(after.get('status'))}」に一括変更"
        if e.action == "update_system":
            changes = "、".join(f"{_field_label(k)}：{_value(before.get(k))} → {_value(v)}" for k, v in after.items())
            return f"{system}（{month}から）の情報を変更：{changes or '変更なし'}"
        if e.action == "add_system":
            return f"システム「{after.get('name', target)}」を追加"
        if e.action == "add_own_step":
            return f"独自の作業ステップ {target}「{after.get('name', '')}」を追加"
        if e.action == "save_delay":
            verb = "書き直し" if before else "新しく保存"
            return f"{system} の遅延の説明（{month}）を{verb}"
        if e.action == "publish":
            what = target.split(" / ")[0] if " / " in target else "進捗"
            return f"{_month(target)}の{what}のデータを公開"
        if e.action == "import":
            cells = after.get("cells_changed")
            changed = f"（変わったセル {cells} 件）" if cells is not None else ""
            return f"ファイル「{target}」を取り込み{changed}"
        if e.action == "reset_practice":
            return "体験モードの団体のデータを最初の状態に戻した"
        label = ACTIONS.get(e.action, e.action)
        return f"{label}：{target}" if target else label
