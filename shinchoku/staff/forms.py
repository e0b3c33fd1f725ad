"""Forms of the staff pages (Japanese labels; validation messages in Japanese)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from shinchoku.domain.calendar import DateError, parse_month
from shinchoku.progress.models import CLOUD_PROVIDERS

NAME_HINTS = re.compile(r"(さん|様|氏|君)$")


class SystemForm(forms.Form):
    """A system's attributes for the month being reported (they apply from that month on)."""

    vendor = forms.CharField(label="事業者名", max_length=64, required=False)
    package = forms.CharField(label="パッケージ名", max_length=64, required=False)
    planned_go_live = forms.DateField(
        label="運用開始予定", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    special_support = forms.BooleanField(label="特定移行支援システム", required=False)
    planned_completion = forms.DateField(
        label="移行完了予定（特定移行支援）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="特定移行支援システムのときだけ入力します。",
    )
    uses_gov_cloud = forms.TypedChoiceField(
        label="ガバメントクラウド利用",
        choices=[("", "未定・不明"), ("yes", "利用する"), ("no", "利用しない")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    cloud_provider = forms.TypedChoiceField(
        label="ガバメントクラウドの事業者",
        choices=[("", "未定・不明"), *CLOUD_PROVIDERS],
        empty_value=None,
        required=False,
        help_text="ガバメントクラウドを利用するときだけ選びます。",
    )

    @classmethod
    def for_attributes(cls, values: dict[str, Any]) -> SystemForm:
        initial = dict(values)
        initial["uses_gov_cloud"] = {True: "yes", False: "no"}.get(values.get("uses_gov_cloud"), "")  # type: ignore[arg-type]
        return cls(initial=initial)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("special_support") and not data.get("planned_completion"):
            self.add_error("planned_completion", "特定移行支援システムは移行完了予定を入力してください。")
        if not data.get("special_support"):
            data["planned_completion"] = None
        if data.get("cloud_provider") and data.get("uses_gov_cloud") is not True:
            self.add_error("cloud_provider", "ガバメントクラウドを利用するときだけ事業者を選べます。")
        return data


class NewSystemForm(forms.Form):
    name = forms.CharField(label="追加するシステム名", max_length=64)


class OwnStepForm(forms.Form):
    name = forms.CharField(label="独自ステップ名", max_length=128)


UNDECIDED = "未定"


def month_text(value: str, *, allow_undecided: bool = False) -> str:
    """A month as 「2027年3月」 from 2027-03, 2027年3月, 令和9年3月 or R9.3; free text is refused."""
    value = value.strip()
    if not value:
        return ""
    if allow_undecided and value == UNDECIDED:
        return value
    try:
        m = parse_month(value)
    except DateError as e:
        hint = "、まだ決まっていなければ「未定」" if allow_undecided else ""
        raise forms.ValidationError(f"年月で入力してください（例：2027-03、2027年3月、令和9年3月{hint}）。") from e
    return f"{m.year}年{m.month}月"


class MonthField(forms.CharField):
    """A month (年月), normalised to 「2027年3月」."""

    def __init__(self, *args: Any, allow_undecided: bool = False, **kwargs: Any) -> None:
        self.allow_undecided = allow_undecided
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self, value: Any) -> str:
        return month_text(super().clean(value), allow_undecided=self.allow_undecided)


class DelayForm(forms.Form):
    department = forms.CharField(label="担当課名", max_length=64)
    expected_completion = MonthField(
        label="移行完了時期（見込）",
        allow_undecided=True,
        help_text="年月で入力（例：2027-03、2027年3月）。未定なら「未定」。",
    )
    reason = forms.CharField(label="遅れている理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    impact = forms.TypedChoiceField(
        label="移行完了時期への影響",
        choices=[("yes", "有"), ("no", "無")],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    impact_reason = forms.CharField(
        label="影響の有無の理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class ScheduleForm(forms.Form):
    date = MonthField(label="時期（年月）", required=False)
    task = forms.CharField(label="実施内容", max_length=200, required=False)
    role = forms.CharField(label="担当（役割）", max_length=64, required=False)

    def clean_role(self) -> str:
        return _role(self.cleaned_data["role"])


class RoleRowForm(forms.Form):
    task = forms.CharField(label="作業", max_length=200, required=False)
    role = forms.CharField(label="役割（役職名のみ）", max_length=32, required=False)
    mark = forms.ChoiceField(
        label="関わり方", choices=[("◎", "◎ 主担当"), ("○", "○ 担当"), ("△", "△ 支援")], required=False
    )

    def clean_role(self) -> str:
        return _role(self.cleaned_data["role"])


def _role(value: str) -> str:
    value = value.strip()
    if NAME_HINTS.search(value):
        raise forms.ValidationError("個人名ではなく、役職名（例：課長、担当係長）を書いてください。")
    return value


# any number of rows: one empty row more than filled ones, and 「行を追加」 adds another (up to 100)
ScheduleFormSet = forms.formset_factory(ScheduleForm, extra=1, max_num=100)
RoleFormSet = forms.formset_factory(RoleRowForm, extra=3, max_num=30)


def schedule_value(formset: Any) -> list[dict[str, str]]:
    return [
        {"date": f.cleaned_data["date"], "task": f.cleaned_data["task"], "role": f.cleaned_data["role"]}
        for f in formset.forms
        if f.cleaned_data and (f.cleaned_data.get("date") or f.cleaned_data.get("task"))
    ]


def role_matrix_value(formset: Any) -> dict[str, Any]:
    """Rows of (task, role, mark) as the public page reads them: {"roles": [...], "rows": [{task, marks}]}."""
    roles: list[str] = []
    rows: dict[str, dict[str, str]] = {}
    for f in formset.forms:
        d = f.cleaned_data or {}
        if not d.get("task") or not d.get("role"):
            continue
        if d["role"] not in roles:
            roles.append(d["role"])
        rows.setdefault(d["task"], {})[d["role"]] = d.get("mark") or "○"
    if not rows:
        return {}
    return {"roles": roles, "rows": [{"task": t, "marks": m} for t, m in rows.items()]}


def role_matrix_initial(matrix: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"task": row.get("task", ""), "role": role, "mark": mark}
        for row in matrix.get("rows", [])
        for role, mark in row.get("marks", {}).items()
    ]
