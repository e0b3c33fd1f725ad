"""Human-readable terminal output for the CLI (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from shinchoku import SAMPLE_LABEL


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _n(v: int | None) -> str:
    return "—" if v is None else f"{v:,}"


def print_progress(data: dict) -> None:
    console = Console()
    s = data["summary"]
    if data["sample_data"]:
        console.print(f"[bold]※ {SAMPLE_LABEL}[/bold]")
    if data.get("source"):
        console.print(data["source"], highlight=False)
    console.print(f"{data['code']} {data['name']}（データ基準日 {data['as_of'].isoformat()}）")
    console.print(
        f"完了率（総務省方式） {_pct(s['completion_rate'])}　"
        f"進捗率（石巻市方式） {_pct(s['progress_rate'])}　"
        f"独自ステップを含む進捗率 {_pct(s['progress_rate_incl_own_steps'])}"
    )
    console.print(
        f"対象システム {s['systems']}（作業ステップの状態あり {s['systems_with_steps']}）　"
        f"完了済み {_n(s['completed'])}　作業中 {_n(s['in_progress'])}　未着手 {_n(s['not_started'])}　"
        f"対象外 {_n(s['not_applicable'])}　スケジュール通り {_n(s['on_schedule_systems'])}"
    )
    if s["systems_with_steps"] < s["systems"]:
        console.print("— は作業ステップの状態がない項目です（総務省の公表は業務ごとの完了率のみ）。")
    t = Table("対象システム", "完了率", "進捗率", "スケジュール", "特定移行支援", "事業者", "根拠")
    for sys in data["systems"]:
        schedule = "—" if sys["on_schedule"] is None else ("通り" if sys["on_schedule"] else "遅れ")
        t.add_row(
            sys["name"],
            _pct(sys["completion_rate"]),
            _pct(sys["progress_rate"]),
            schedule,
            f"該当（{sys['planned_completion']}）" if sys["special_support"] else "—",
            sys["vendor"] or "—",
            "状態" if sys["basis"] == "steps" else "公表値",
        )
    console.print(t)
