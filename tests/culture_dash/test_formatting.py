import pytest

from culture_dash import formatting


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(12345, "人次", "1.2万人次"), (123456789, "人次", "1.23亿人次"), (9999, "场", "9,999场"), (None, "人次", "—")],
)
def test_big_numbers_the_chinese_way(value, unit, text):
    assert formatting.big_number(value, unit) == text


def test_percent_and_change():
    assert formatting.percent(0.0814) == "8.1%"
    assert formatting.percent(-0.0814, signed=True) == "-8.1%"
    assert formatting.change(108, 100) == pytest.approx(0.08)
    assert formatting.change(5, 0) is None


def test_plain_escapes_every_markdown_character():
    assert formatting.plain("**[点我](http://x)** <b>") == r"\*\*\[点我\](http://x)\*\* \<b\>"
    assert formatting.plain("![图](http://evil/x.png)") == r"!\[图\](http://evil/x.png)"
    assert formatting.plain("十月报表.csv") == "十月报表.csv"


def test_township_labels_add_the_code_only_to_a_name_several_townships_share():
    labels = formatting.township_labels(["510199001", "510199002", "510299002"], ["青溪街道", "白鹤镇", "白鹤镇"])
    assert labels == {
        "510199001": "青溪街道",
        "510199002": "白鹤镇（510199002）",
        "510299002": "白鹤镇（510299002）",
    }
