"""The pre-filled progress template of one 団体 (`/staff/orgs/{code}/template.xlsx`): the grid's own layout —
対象システム as rows, 作業ステップ (number and name) as columns — with the statuses of the month and a dropdown
of the four statuses in every cell. Uploaded again unchanged from the 団体's page, it changes nothing."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from shinchoku.domain.status import Status
from shinchoku.reference.models import Organization

from .views.common import STATUS_ORDER, grid_rows

SHEET = "進捗"


def progress_template(org: Organization, as_of: date) -> bytes:
    columns, rows = grid_rows(org, as_of)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["対象システム", *(f"{c.label} {c.name}" for c in columns)])
    for system, cells in rows:
        ws.append([system.name, *(cell.status.label for cell in cells)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 28
    ws.freeze_panes = "B2"
    if rows:
        choices = ",".join(s.label for s in STATUS_ORDER)
        dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        dv.error = f"状態は {choices} のどれかを選んでください。"
        dv.errorTitle = "状態"
        ws.add_data_validation(dv)
        last = ws.cell(row=len(rows) + 1, column=len(columns) + 1).coordinate
        dv.add(f"B2:{last}")
    about = wb.create_sheet("説明")
    for line in (
        [f"{org.display_name}（{org.code}）の進捗報告テンプレート（{as_of.year}年{as_of.month}月時点の状態）"],
        [
            "行が対象システム、列が作業ステップです。セルの状態を選び直して、団体のページの「ファイルで取り込む」から"
            "アップロードしてください。"
        ],
        ["団体と基準月はアップロードする画面で決まるため、ファイルに団体コードや基準日は要りません。"],
        ["状態：" + "、".join(s.label for s in Status)],
    ):
        about.append(line)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
