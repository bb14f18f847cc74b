"""Reading an uploaded file into a table of strings: encodings, XLSX cells, blank rows. No validation here."""

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd

XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and also Office's encrypted (password) container


GB_LABEL = "GBK/GB18030"


class FileRejected(Exception):
    """The file cannot be read at all; the message is for the user, in Chinese."""


@dataclass
class RawTable:
    headers: list[str]  # as written in the file
    cells: pd.DataFrame  # all strings, '' for empty; columns are positions 0..n-1
    row_numbers: pd.Series  # the Excel row number of each row (header = row 1)
    encoding: str


def read_upload(data: bytes, file_name: str) -> RawTable:
    """Parse CSV or XLSX bytes into strings, keeping Excel row numbers."""
    if not data or not data.strip():
        raise FileRejected("文件是空的，没有任何内容。")
    name = file_name.lower()
    if data.startswith(OLE2_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise FileRejected("Excel 文件设置了打开密码，无法读取。请在 Excel 中取消密码后另存为 .xlsx 再上传。")
        raise FileRejected("不支持旧版 .xls 格式。请在 Excel 中「另存为」.xlsx 或 CSV（UTF-8）后再上传。")
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        return _to_table(_read_xlsx(data), "XLSX")
    text, encoding = decode_csv(data)
    delimiter = _delimiter(text)
    codec = "gb18030" if encoding == GB_LABEL else "utf-8-sig"
    del text  # the parser reads the bytes itself: a second copy of a 50 MB file as str is not needed
    frame = _read_csv_frame(data, codec, delimiter)
    if frame is None:  # ragged or oddly quoted: the slow reader says exactly where
        return _to_table(_read_csv_rows(data.decode(codec)), encoding)
    return _frame_to_table(frame, encoding)


def decode_csv(data: bytes) -> tuple[str, str]:
    """Decode strictly: UTF-8 BOM, then UTF-8, then GB18030 (what Excel on a Chinese Windows writes)."""
    if b"\x00" in data:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise FileRejected("文件是 UTF-16 编码，无法识别。请在 Excel 中另存为「CSV UTF-8（逗号分隔）」后再上传。")
        raise FileRejected("文件中含有空字节（NUL），不是有效的 CSV 文本文件。请用 Excel 重新另存为 CSV 或 .xlsx。")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8（带 BOM）"), "UTF-8（带 BOM）"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if _has_utf8_lines(data):
        raise FileRejected(
            "文件中混有不同的编码（部分行是 UTF-8，部分行是 GBK），无法可靠读取。"
            "请在 Excel 中打开后统一另存为「CSV UTF-8」再上传。"
        )
    # GB18030 is a superset of GBK: plain 'gbk' fails on characters such as 䶮 that Excel writes fine.
    return _strict(data, "gb18030", GB_LABEL), GB_LABEL


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"无法识别文件编码：它既不是 UTF-8，也不是 GBK/GB18030（按 {label} 读取时在第 {exc.start} 字节出错）。"
            "请在 Excel 中另存为「CSV UTF-8」或 .xlsx 后再上传。"
        ) from None


def _has_utf8_lines(data: bytes) -> bool:
    """True when some non-ASCII lines are valid UTF-8: the file mixes encodings."""
    for line in data.splitlines():
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _delimiter(text: str) -> str:
    first_line = text[: text.find("\n")] if "\n" in text else text
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _read_csv_frame(data: bytes, codec: str, delimiter: str) -> pd.DataFrame | None:
    """The fast path: pandas' C parser into Arrow-backed strings (a 1M-row file in about a second)."""
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            encoding=codec,
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeDecodeError):
        return None
    return frame.fillna("")


def _frame_to_table(frame: pd.DataFrame, encoding: str) -> RawTable:
    blank = pd.Series(True, index=frame.index)
    for column in frame.columns:  # one column at a time: a stripped copy of a 1M-row frame costs ~100 MB
        blank &= frame[column].str.strip() == ""
    if blank.all():
        raise FileRejected("文件是空的，没有任何内容。")
    start = int(blank.idxmin())
    headers = [h.lstrip("\ufeff").strip() for h in frame.iloc[start].tolist()]
    body = frame.iloc[start + 1 :][~blank.iloc[start + 1 :]]
    while headers and not headers[-1] and (body[body.columns[len(headers) - 1]].str.strip() == "").all():
        headers.pop()
    if not headers:
        raise FileRejected("文件是空的，没有任何内容。")
    extra = body.columns[len(headers) :]
    if len(extra):
        overflow = (pd.DataFrame({c: body[c].str.strip() for c in extra}) != "").any(axis=1)
        if overflow.any():
            first = int(overflow.idxmax())
            raise FileRejected(
                f"第 {first + 1} 行的单元格比表头多（表头 {len(headers)} 列）。请检查是否有多余的逗号或缺少表头。"
            )
    if body.empty:
        raise FileRejected("文件只有表头，没有数据行。")
    cells = body.iloc[:, : len(headers)]
    cells.columns = range(len(headers))
    # Excel numbers rows from 1 with the header as row 1; the frame's index counts CSV records from 0.
    row_numbers = pd.Series(cells.index.to_numpy() + 1)
    return RawTable(headers=headers, cells=cells.reset_index(drop=True), row_numbers=row_numbers, encoding=encoding)


def _read_csv_rows(text: str) -> list[list[str]]:
    delimiter = _delimiter(text)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise FileRejected(f"CSV 格式错误：{exc}。请检查引号是否成对。") from None


def _read_xlsx(data: bytes) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except Exception:
        raise FileRejected("无法读取 Excel 文件：文件已损坏，或不是有效的 .xlsx 文件。") from None
    return [[_cell_text(value) for value in row] for row in values]


def _cell_text(value: object) -> str:
    """An Excel cell as the text a user would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _to_table(rows: list[list[str]], encoding: str) -> RawTable:
    # Skip leading blank lines, then the first row is the header.
    start = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if start is None:
        raise FileRejected("文件是空的，没有任何内容。")
    headers = [h.strip().lstrip("\ufeff") for h in rows[start]]
    width = len(headers)
    body = rows[start + 1 :]
    numbers, kept = [], []
    for offset, row in enumerate(body):
        if not any(c.strip() for c in row):
            continue  # blank rows (Excel leaves them) are not data
        if len(row) < width:
            row = row + [""] * (width - len(row))
        elif len(row) > width:
            extra = row[width:]
            if any(c.strip() for c in extra):
                raise FileRejected(
                    f"第 {start + offset + 2} 行的单元格比表头多（表头 {width} 列，这一行 {len(row)} 列）。"
                    "请检查是否有多余的逗号或缺少表头。"
                )
            row = row[:width]
        kept.append(row)
        numbers.append(start + offset + 2)
    # Trailing columns with no header and no values are Excel's leftovers.
    while headers and not headers[-1] and all(not r[len(headers) - 1].strip() for r in kept):
        headers.pop()
        kept = [r[: len(headers)] for r in kept]
    if not kept:
        raise FileRejected("文件只有表头，没有数据行。")
    cells = pd.DataFrame(kept, columns=range(len(headers)), dtype=str)
    return RawTable(headers=headers, cells=cells, row_numbers=pd.Series(numbers), encoding=encoding)
