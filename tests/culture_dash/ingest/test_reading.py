import pytest

from culture_dash.ingest.reading import FileRejected, read_upload
from tests.factories import xlsx_bytes

HEADER = "月份,场馆编码,到馆人次,备注\r\n"
ROW = "2026-10,WHG,12,䶮字馆\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ((HEADER + ROW).encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + (HEADER + ROW).encode("utf-8"), "UTF-8（带 BOM）"),
        ((HEADER + "2026-10,WHG,12,文化站\r\n").encode("gbk"), "GBK/GB18030"),
        ((HEADER + ROW).encode("gb18030"), "GBK/GB18030"),
    ],
)
def test_csv_encodings_are_recognised_without_asking(data, encoding):
    table = read_upload(data, "m.csv")
    assert table.encoding == encoding
    assert table.headers == ["月份", "场馆编码", "到馆人次", "备注"]
    assert table.cells.iloc[0, :3].tolist() == ["2026-10", "WHG", "12"]
    assert table.row_numbers.tolist() == [2]


def test_gb18030_keeps_characters_gbk_lacks():
    table = read_upload((HEADER + ROW).encode("gb18030"), "m.csv")
    assert table.cells.iloc[0, 3] == "䶮字馆"


def test_blank_rows_are_skipped_but_excel_row_numbers_kept():
    data = (HEADER + ROW + ",,,\r\n\r\n" + ROW).encode("utf-8")
    assert read_upload(data, "m.csv").row_numbers.tolist() == [2, 5]


def test_xlsx_cells_become_the_text_a_user_typed():
    import datetime as dt

    data = xlsx_bytes(["月份", "场馆编码", "到馆人次"], [[dt.datetime(2026, 10, 1), "007", 12345]])
    table = read_upload(data, "m.xlsx")
    assert table.encoding == "XLSX"
    assert table.cells.iloc[0].tolist() == ["2026-10-01", "007", "12345"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "文件是空的"),
        (b"   \r\n", "a.csv", "文件是空的"),
        (HEADER.encode("utf-8"), "a.csv", "只有表头"),
        (b"a,b\r\n1,\x002\r\n", "a.csv", "空字节"),
        ("月份,备注\r\n".encode("utf-16"), "a.csv", "UTF-16"),
        (
            HEADER.encode("utf-8") + "2026-10,WHG,1,你好\r\n".encode() + "2026-10,WHG,1,你好\r\n".encode("gbk"),
            "a.csv",
            "混有不同的编码",
        ),
        (b"PK\x03\x04not really a zip", "a.xlsx", "已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"), "a.xlsx", "密码"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "a.xls", ".xls"),
        (b"\xff\xfe\xfd\x80\x81", "a.csv", "无法识别文件编码"),
        ((HEADER + "2026-10,WHG,12,x,extra\r\n").encode("utf-8"), "a.csv", "单元格比表头多"),
    ],
)
def test_unreadable_files_get_a_chinese_reason(data, name, message):
    with pytest.raises(FileRejected) as excinfo:
        read_upload(data, name)
    assert message in str(excinfo.value)
