"""An HTML page as a reader sees it: its text (tags stripped, entities read), its table rows,
and the shape of its markup, for asserting that typed text was escaped and changed no tag."""

from __future__ import annotations

from html.parser import HTMLParser


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None
        self._skip = 0  # inside <head>: the title and the style are not the page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("head", "style", "title"):
            self._skip += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("br", "p", "tr", "table", "div"):
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(f"/{tag}")
        if tag in ("head", "style", "title"):
            self._skip -= 1
        elif tag in ("p", "table", "div"):
            self.text.append(" ")
        elif tag in ("td", "th") and self._cell is not None:
            if self.rows:
                self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def read_page(page: str) -> _Reader:
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return reader


def html_text(page: str) -> str:
    """The page's visible text, white space collapsed (non-breaking spaces included)."""
    return " ".join("".join(read_page(page).text).split())


def html_rows(page: str) -> list[list[str]]:
    """Every table row's cells, as text (nested tables give rows of their own)."""
    return [row for row in read_page(page).rows if any(row)]


def html_tags(page: str) -> list[str]:
    """The page's start and end tags in order: its markup's shape."""
    return read_page(page).tags
