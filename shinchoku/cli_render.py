"""Human-readable terminal output for the CLI (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from shinchoku import SAMPLE_LABEL


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def print_progress(data: dict) -> None:
    console = Console()
    s = data["summary"]
    if data["sample_data"]:
        console.print(f"[bold]※ {SAMPLE_LABEL}[/bold]")
    console.print(f"{data['code']} {data['name']}（データ基準日 {data['as_of'].isoformat()}）")
    console.print(
        f"完了率（総務省方式） {_pct(s['completion_rate'])}　"
        f"進捗率（石巻市方式） {_pct(s['progress_rate'])}　"
        f"独自ステップを含む進捗率 {_pct(s['progress_rate_incl_own_steps'])}"
    )
    console.print(
        f"対象システム {s['systems']}　完了済み {s['completed']}　作業中 {s['in_progress']}　"
        f"未着手 {s['not_started']}　対象外 {s['not_applicable']}　スケジュール通り {s['on_schedule_systems']}"
    )
    t = Table("対象システム", "完了率", "進捗率", "スケジュール", "特定移行支援", "事業者")
    for sys in data["systems"]:
        t.add_row(
            sys["name"],
            _pct(sys["completion_rate"]),
            _pct(sys["progress_rate"]),
            "通り" if sys["on_schedule"] else "遅れ",
            f"該当（{sys['planned_completion']}）" if sys["special_support"] else "—",
            sys["vendor"] or "—",
        )
    console.print(t)
