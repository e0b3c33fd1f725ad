"""Hostile .xlsx and .ods files built by hand with zipfile (no tests here).

Each reaches a far cell (XFD1048576: 17 billion cells for calamine's dense sheet) in a way the old regex
guard (` r="…"` only) did not see: single quotes, a tab or spaces around `=`, a character reference, rows
or cells without r, a namespace prefix, a <dimension>, a sheet stored at an unusual path.
"""

from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0"?><workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def xlsx(sheet_xml: str, sheet_path: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A minimal workbook with one sheet whose XML is `sheet_xml`, stored at `sheet_path`."""
    target = sheet_path.removeprefix("xl/")
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="{target}"/></Relationships>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr(sheet_path, sheet_xml)
    return buf.getvalue()


def sheet(rows: str, head: str = "") -> str:
    """Sheet XML: a text cell in A1, then `rows` (more <row> elements); `head` goes before <sheetData>."""
    first = '<row r="1"><c r="A1" t="inlineStr"><is><t>作業ステップ</t></is></c></row>'
    return f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">{head}<sheetData>{first}{rows}</sheetData></worksheet>'


FAR = "<is><t>x</t></is></c></row>"
# name -> sheet XML reaching XFD1048576; every one of them made calamine abort the process
FAR_SHEETS = {
    "single quotes": sheet(f"<row r='1048576'><c r='XFD1048576' t='inlineStr'>{FAR}"),
    "tab before r": sheet(f'<row r="1048576"><c\tr="XFD1048576" t="inlineStr">{FAR}'),
    "spaces around =": sheet(f'<row r="1048576"><c r = "XFD1048576" t="inlineStr">{FAR}'),
    "character reference": sheet(f'<row r="1048576"><c r="&#88;FD1048576" t="inlineStr">{FAR}'),
    "row without r": sheet(f'<row><c r="XFD1048576" t="inlineStr">{FAR}'),
    "namespace prefix": (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1">'
        '<x:c r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>'
    ),
    "dimension": sheet("", '<dimension ref="A1:XFD1048576"/>'),
    "dimension in single quotes": sheet("", "<dimension ref='A1:XFD1048576'/>"),
}


def unnumbered_cells(row: int, cells: int) -> str:
    """A sheet whose row `row` has `cells` cells without r: calamine numbers them one after another."""
    return sheet(f'<row r="{row}">' + '<c t="inlineStr"><is><t>x</t></is></c>' * cells + "</row>")


def ods(content_xml: str) -> bytes:
    """A minimal ODS spreadsheet with the given content.xml."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        z.writestr("content.xml", content_xml)
    return buf.getvalue()


ODS_FAR = ods(
    '<?xml version="1.0"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
    "<table:table table:name='Sheet1'><table:table-row table:number-rows-repeated='1048576'>"
    "<table:table-cell table:number-columns-repeated='16384' office:value-type='float' office:value='1'/>"
    "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
)
