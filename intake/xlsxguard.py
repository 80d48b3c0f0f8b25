"""Look inside an .xlsx (a zip of XML) before the reader parses it: bounds, and cells that hold no value.

The reader (calamine) allocates the whole rectangle from A1 to the farthest cell, so one stray value in
XFD1048576 makes it ask for 500 GB and abort the process (a Rust allocation failure, not an exception);
a small zip can unpack to gigabytes (a 0.5 MB file holding a 500 MB string). Both are refused here, from
the zip's directory and a scan of each sheet's XML, before anything is parsed.

The scan also finds what the reader would show as a blank: a cached error (#DIV/0!) and a formula saved
without its result (written by a program, never opened in Excel), and merged cells, whose other cells'
values are lost. The XML is searched with byte patterns (in C), not parsed: it costs a fraction of reading.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from intake.convert import BadCell

MAX_UNZIPPED = 1 << 30          # all entries together, unpacked
MAX_ENTRIES = 10_000
MAX_RATIO = 100                 # unpacked / packed, for an entry over RATIO_FLOOR (XML packs 5-20 times)
RATIO_FLOOR = 1 << 20
MAX_CELLS = 20_000_000          # rows × columns of a sheet's used rectangle (the reader allocates it all)

_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"', re.S)
_REL = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL_TARGET_FIRST = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s([^>]*?\bt="e"[^>]*)>\s*(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*)?'
                         rb'(?:<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>)?')
_FORMULA = re.compile(rb'<(?:\w+:)?f[\s>/]')
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\s([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*'
                           rb'(<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_TYPE_ATTR = re.compile(rb'\bt="([a-zA-Z]+)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"')


@dataclass
class SheetScan:
    bad: dict[tuple[int, int], BadCell] = field(default_factory=dict)   # (row, column), 1-based
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # first row, col, last row, col


@dataclass
class Scan:
    refusal: str | None = None                       # why the workbook is not read at all (Chinese)
    sheets: dict[str, SheetScan] = field(default_factory=dict)   # by sheet name


def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB"


def inspect(path: Path) -> Scan:
    """The zip's bounds and every sheet's bad cells and merges; a refusal when it must not be parsed."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return Scan()   # not a zip (an old .xls, or damaged): the reader reports what it makes of it
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            return Scan(f"工作簿内部文件过多（{len(infos)} 个），不是正常的 Excel 文件，未读取")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED:
            return Scan(f"工作簿解压后过大（{_mb(total)}，上限 {_mb(MAX_UNZIPPED)}），未读取：请删除多余的工作表或内容，"
                        "或分成几个工作簿报送")
        for i in infos:
            if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                return Scan(f"工作簿中的“{i.filename}”压缩比异常（{_mb(i.compress_size)} 解压为 {_mb(i.file_size)}），"
                            "可能含有超长的单元格内容或是恶意文件，未读取：请检查后另存为新的 .xlsx")
        try:
            targets = _sheet_parts(zf)
        except (KeyError, zipfile.BadZipFile, OSError):
            return Scan()
        scan = Scan()
        for name, part in targets.items():
            try:
                xml = zf.read(part)
            except (KeyError, zipfile.BadZipFile, OSError, RuntimeError):
                continue   # the reader reports a damaged part
            xml = _canonical_refs(xml)
            rows, cols = _extent(xml)
            dim_rows, dim_cols = _dimension(xml)
            rows, cols = max(rows, dim_rows, _positional_rows(xml)), max(cols, dim_cols, _positional_cols(xml))
            if rows * cols > MAX_CELLS:
                return Scan(f"工作表“{name}”的数据区域过大（{rows} 行 × {cols} 列，到 {column_letters(cols)}{rows}），"
                            "未读取：多半是远处的单元格误填了内容，请删除多余的行列（选中后“删除”，不是清除内容）再保存")
            scan.sheets[name] = _sheet_scan(xml)
        return scan


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip entry of its XML, from xl/workbook.xml and its relationships."""
    book = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    by_id = {i: t for i, t in _REL.findall(rels)} | {i: t for t, i in _REL_TARGET_FIRST.findall(rels)}
    pairs = _SHEET.findall(book) + [(n, i) for i, n in _SHEET_ID_FIRST.findall(book)]
    names = set(zf.namelist())
    out: dict[str, str] = {}
    for raw_name, rid in pairs:
        target = by_id.get(rid)
        if target is None:
            continue
        t = html.unescape(target.decode("utf-8", "replace"))
        part = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
        if part in names:
            out.setdefault(html.unescape(raw_name.decode("utf-8", "replace")), part)
    return out


_ODD_REF = re.compile(rb"""\sr\s*=\s*'|\sr\s+=|\sr=\s""")
_ODD_FORMS = (b"r='", b"r =", b"r\t", b"r\n", b"r\r", b"r= ", b"r=\t", b"r=\n", b"r=\r")   # literal: memchr speed
_ANY_REF = re.compile(rb"""(\sr)\s*=\s*(['"])([^'"]*)\2""")
_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\s[^>]*?\bref\s*=\s*['"]([A-Z]{1,3})?([0-9]+)?(?::([A-Z]{1,3})([0-9]+))?""")


def _canonical_refs(xml: bytes) -> bytes:
    """References as the patterns below expect them, r="A1". XML also allows r='A1' and spaces around '=',
    which the reader takes too: a reference written so would otherwise slip past the bounds."""
    if not any(form in xml for form in _ODD_FORMS) or not _ODD_REF.search(xml):
        return xml
    return _ANY_REF.sub(rb'\1="\3"', xml)


def _dimension(xml: bytes) -> tuple[int, int]:
    """The rectangle the sheet declares it uses (<dimension ref="A1:XFD1048576"/>), which a reader may size
    itself by."""
    m = _DIMENSION.search(xml[:4096])
    if m is None:
        return 0, 0
    col = m.group(3) or m.group(1)
    row = m.group(4) or m.group(2)
    return (int(row) if row else 0), (column_number(col) if col else 0)


def _all_numbered(xml: bytes, tag: bytes) -> bool:
    """Every <tag> carries r="…" first, as Excel and openpyxl write it: told by counting (memchr speed), so
    the common case skips the slower search for unnumbered ones."""
    if b":" + tag + b" " in xml or b":" + tag + b">" in xml:
        return False   # a namespace prefix: look closely
    opened = xml.count(b"<" + tag + b" ") + xml.count(b"<" + tag + b">") + xml.count(b"<" + tag + b"/>")
    return opened == xml.count(b"<" + tag + b' r="')


def _positional_rows(xml: bytes) -> int:
    """Rows written without their number (r is optional): each counts as the next row."""
    if _all_numbered(xml, b"row"):
        return 0
    if not re.search(rb"<(?:\w+:)?row(?:\s(?![^>]*\br=)[^>]*)?/?>", xml):
        return 0
    return len(re.findall(rb"<(?:\w+:)?row[\s>/]", xml))


def _positional_cols(xml: bytes) -> int:
    """Cells written without their reference count as the next column of their row: the longest such row."""
    if _all_numbered(xml, b"c") or not re.search(rb"<(?:\w+:)?c(?:\s(?![^>]*\br=)[^>]*)?/?>", xml):
        return 0
    return max((len(re.findall(rb"<(?:\w+:)?c[\s>/]", row)) for row in re.split(rb"<(?:\w+:)?row[\s>/]", xml)),
               default=0)


def _extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column) of the cells and rows a sheet's XML names, or bounds of them small enough to
    be safe, found without listing them all: only the references with the most letters (columns) or digits
    (rows) present are compared, and rows only when the columns leave the product in doubt."""
    cols = 26
    for letters in (3, 2):
        pattern = rb'r="([A-Z]{%d})[0-9]' % letters   # a literal start: searched at memchr speed
        if re.search(pattern, xml):
            cols = max(column_number(m) for m in re.findall(pattern, xml))
            break
    top = 7
    if re.search(rb'r="[A-Z]{0,3}[0-9]{6,}"', xml):   # rows from 100,000: rare, then looked at closely
        if re.search(rb'r="[A-Z]{0,3}[0-9]{8,}"', xml):
            return 10**8, cols   # beyond any sheet: refused
    else:
        top = 5
    for digits in range(top, 0, -1):
        if cols * (10**digits - 1) <= MAX_CELLS:
            return 10**digits - 1, cols   # no row has more digits: within bounds whatever the rows are
        pattern = rb'r="[A-Z]{0,3}([0-9]{%d})"' % digits
        if re.search(pattern, xml):
            return max(int(m) for m in re.findall(pattern, xml)), cols
    return 1, cols


def _sheet_scan(xml: bytes) -> SheetScan:
    out = SheetScan()
    if b't="e"' in xml:
        for attrs, value in _ERROR_CELL.findall(xml):
            at = _REF_ATTR.search(attrs)
            if at is None:
                continue
            shown = html.unescape(value.decode("utf-8", "replace")).strip() or "#错误"
            out.bad[(int(at.group(2)), column_number(at.group(1)))] = BadCell(
                shown, f"单元格的值是错误“{shown[:20]}”（公式无法计算）：请改正公式或直接填写数值")
    if (b"<f" in xml or b":f" in xml) and _FORMULA.search(xml):
        for attrs, empty_v in _FORMULA_CELL.findall(xml):
            at = _REF_ATTR.search(attrs)
            kind = _TYPE_ATTR.search(attrs)
            typ = kind.group(1) if kind else b"n"
            if at is None or typ == b"e" or (empty_v and typ == b"str"):
                continue   # an error is reported above; an empty text result is a value ("")
            out.bad[(int(at.group(2)), column_number(at.group(1)))] = BadCell(
                "（公式，无计算结果）", "单元格是公式，但文件中没有保存计算结果（多为程序生成、未在 Excel 中打开过）："
                "请用 Excel 或 WPS 打开后保存，或直接填写数值")
    for c0, r0, c1, r1 in _MERGE.findall(xml) if b"mergeCell" in xml else []:
        first_row, first_col = int(r0), column_number(c0)
        last_row, last_col = (int(r1), column_number(c1)) if c1 else (first_row, first_col)
        if (last_row, last_col) != (first_row, first_col):
            out.merges.append((first_row, first_col, last_row, last_col))
    return out
