"""Reading the rendered pages in tests: table rows and the text a person sees."""

import re
from dataclasses import dataclass
from html import unescape

_ROW = re.compile(r"<tr\b([^>]*)>(.*?)</tr>", re.S)
_CELL = re.compile(r"<td\b[^>]*>(.*?)</td>", re.S)
_TAG = re.compile(r"<[^>]+>")
_CSRF = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>')
_HIDDEN = re.compile(r'<input type="hidden"[^>]*>')

# The notice's 小计 per prefecture, in table order, as the page writes them.
NOTICE_SUBTOTALS = [
    ("乌鲁木齐市", "8,294.00"),
    ("伊犁州", "8,846.00"),
    ("塔城地区", "3,377.00"),
    ("阿勒泰地区", "3,010.00"),
    ("克拉玛依市", "1,561.00"),
    ("博州", "2,117.00"),
    ("昌吉州", "4,347.00"),
    ("哈密市", "2,370.00"),
    ("吐鲁番市", "2,107.00"),
    ("巴州", "4,563.00"),
    ("阿克苏地区", "7,529.00"),
    ("克州", "3,617.00"),
    ("喀什地区", "13,342.00"),
    ("和田地区", "7,908.00"),
]
KASHGAR_COUNTIES = ["莎车县", "喀什市", "叶城县", "伽师县", "疏勒县", "巴楚县", "英吉沙县", "疏附县", "麦盖提县", "泽普县", "岳普湖县", "塔县"]


@dataclass
class Row:
    classes: set
    prefecture: str | None
    cells: list


def table_rows(html):
    """Every body row of every table on the page."""
    rows = []
    for attrs, body in _ROW.findall(html):
        cells = [unescape(_TAG.sub("", cell)).strip() for cell in _CELL.findall(body)]
        if not cells:
            continue
        classes = re.search(r'class="([^"]*)"', attrs)
        prefecture = re.search(r'data-prefecture="([^"]*)"', attrs)
        rows.append(
            Row(
                set(classes.group(1).split()) if classes else set(),
                unescape(prefecture.group(1)) if prefecture else None,
                cells,
            )
        )
    return rows


def sheet(html, kind):
    """The rows of one kind (line, subtotal, total) of a document's grouped table."""
    return [row for row in table_rows(html) if f"row-{kind}" in row.classes]


def visible_text(html):
    # The CSRF token is random letters and digits: leave it out of "is this number on the page".
    return unescape(_TAG.sub(" ", _CSRF.sub("", html)))


def hidden_fields(html, form_action):
    """The hidden inputs of the form posting to form_action, as a browser would send them."""
    start = html.index(f'action="{form_action}"')
    end = html.index("</form>", start)
    fields = {}
    for tag in _HIDDEN.findall(html[start:end]):
        name = re.search(r'name="([^"]+)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        fields[name] = unescape(value.group(1)) if value else ""
    return fields


def page(response):
    return response.content.decode()
