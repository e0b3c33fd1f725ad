"""The XLSX template a 団体 downloads from the staff page, fills in and uploads again.

Sheet 「運用経費」 is the cost CSV as a table (docs/formats.md §11), one row per 年度 × 区分 with the figures in
force filled in, and a 「コメント」 row per 年度; sheet 「記入方法」 explains it. The importer reads it as it reads
the CSV (the 地方公共団体名 column is only for the reader).
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from shinchoku.domain.cells import safe_text
from shinchoku.reference.models import Organization

from . import services
from .domain import BASELINE_YEAR, CATEGORIES
from .importer import latest_year
from .parser import AMOUNT, CATEGORY, CODE, COMMENT_CATEGORIES, NOTE, SYSTEM, YEAR

SHEET = "運用経費"
HEADER = [CODE, "地方公共団体名", YEAR, CATEGORY, AMOUNT, SYSTEM, NOTE]
HELP = [
    "運用経費の報告のひな形です。「運用経費」のシートに、年度ごと・区分ごとの金額を千円単位で記入してください。",
    f"年度は {BASELINE_YEAR} 年度（平成30年度）からです。2018 のほか、平成30年度、R6年度 とも書けます。",
    "区分：" + "、".join(c.label for c in CATEGORIES) + "。報告しない区分は金額を空欄にします。",
    "対象システム：業務ごとの内訳を書くときだけ、業務名（住民基本台帳 など）を入れて行を増やします。"
    "空欄は団体全体です。",
    "区分が「コメント」の行の備考は、その年度のコメントとして公開されます（空欄なら今のコメントのままです）。",
    "記入したファイルは、職員用画面の「運用経費」または「ファイルで取り込む」から取り込みます。",
    "取り込んだファイルにある年度は、ファイルの内容で置き換わります。ファイルにない年度は変わりません。",
    "公開ページに載るのは、取り込んだ月を運用者が公開したときです。",
]


def template_bytes(org: Organization, as_of: date) -> bytes:
    reports = services.reports_at([org.code], as_of)
    name = org.prefecture_name + org.name
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for fy in range(BASELINE_YEAR, latest_year() + 1):
        report = reports.get((org.code, fy))
        in_force = report is not None and report.total is not None
        lines = {(x.category, x.system): x for x in report.lines} if report and in_force else {}
        for c in CATEGORIES:
            whole = lines.get((c.key, ""))
            ws.append(
                [
                    org.code,
                    name,
                    fy,
                    c.label,
                    whole.amount if whole else None,
                    "",
                    safe_text(whole.note) if whole else "",
                ]
            )
            for (category, system), x in sorted(lines.items()):
                if category == c.key and system:
                    ws.append([org.code, name, fy, c.label, x.amount, system, safe_text(x.note)])
        comment = report.comment if report and in_force else ""
        ws.append([org.code, name, fy, COMMENT_CATEGORIES[0], None, "", safe_text(comment)])
    categories = DataValidation(
        type="list", formula1='"' + ",".join([*(c.label for c in CATEGORIES), COMMENT_CATEGORIES[0]]) + '"'
    )
    categories.error = "区分は一覧から選んでください。"
    ws.add_data_validation(categories)
    categories.add(f"D2:D{max(ws.max_row, 2) + 200}")
    amounts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    amounts.error = "金額は0以上の整数（千円）で入力してください。"
    ws.add_data_validation(amounts)
    amounts.add(f"E2:E{max(ws.max_row, 2) + 200}")
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].number_format = "#,##0"
    for column, width in zip("ABCDEFG", (14, 22, 8, 26, 16, 18, 50), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    help_sheet = wb.create_sheet("記入方法")
    help_sheet.append([f"{name}（{org.code}）運用経費の報告 — {as_of.year}年{as_of.month}月の報告"])
    help_sheet["A1"].font = Font(bold=True)
    for line in HELP:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
