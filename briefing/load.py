"""Load stage: read articles (.txt, .md, .html) from a directory into `Article`s.

A bad file never stops the run: it becomes a `Problem` naming the file and the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from briefing.models import Article, Problem

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_BYTES = 5 * 1024 * 1024  # a news article is < 100 kB; more is almost surely not one
_META_RE = re.compile(r"^(source|url|date|author|by)\s*:\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class LoadResult:
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]


def load_articles(directory: Path) -> LoadResult:
    """Read every supported file in `directory` (sorted by name; not recursive)."""
    articles: list[Article] = []
    problems: list[Problem] = []
    if not directory.is_dir():
        return LoadResult((), (Problem(str(directory), "is not a directory; pass --input DIR"),))
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in SUFFIXES or not path.is_file():
            continue
        if path.name.upper() in {"SOURCES.MD", "README.MD", "LICENSE.MD"}:
            continue  # documentation about the seeds, not an article
        try:
            articles.append(load_file(path))
        except ArticleError as exc:
            problems.append(Problem(str(path), str(exc)))
    return LoadResult(tuple(articles), tuple(problems))


class ArticleError(ValueError):
    """This file is not a usable article; the message says why and how to fix it."""


def load_file(path: Path) -> Article:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ArticleError(
                f"is {size / 1e6:.1f} MB, over the {MAX_BYTES // 2**20} MB limit for one "
                "article; split it or remove it"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot be read ({exc.strerror}); check its permissions") from exc
    text = decode(data)
    if path.suffix.lower() in (".html", ".htm"):
        article = parse_html(text)
    else:
        article = parse_text(text, markdown=path.suffix.lower() in (".md", ".markdown"))
    if not article.body.strip():
        if article.headline:
            raise ArticleError("has a headline but no article text; add the text below it")
        raise ArticleError("has no text; add an article or remove the file")
    return Article(
        headline=article.headline or _title_from_name(path),
        body=article.body,
        source=article.source,
        path=path,
        url=article.url,
    )


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else UTF-16 by BOM, else Windows-1252, else Latin-1."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError("looks like a binary file, not text; save the article as .txt")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _title_from_name(path: Path) -> str:
    return re.sub(r"[_-]+", " ", path.stem).strip().capitalize()


def parse_text(text: str, *, markdown: bool = False) -> Article:
    """First non-empty line is the headline; `Source:`/`URL:` lines right after it are metadata."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return Article(headline="", body="")
    headline = lines.pop(0).strip()
    if markdown:
        headline = headline.lstrip("#").strip()
    meta: dict[str, str] = {}
    while lines and (not lines[0].strip() or _META_RE.match(lines[0].strip())):
        m = _META_RE.match(lines.pop(0).strip())
        if m:
            meta[m.group(1).lower()] = m.group(2).strip()
    body = "\n".join(lines)
    if markdown:
        body = _strip_markdown(body)
    return Article(
        headline=_clean_inline(headline),
        body=body.strip(),
        source=meta.get("source", ""),
        url=meta.get("url", ""),
    )


def _strip_markdown(body: str) -> str:
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)  # images
    body = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", body)  # links keep their text
    body = re.sub(r"^\s{0,3}#{1,6}\s*", "", body, flags=re.MULTILINE)
    body = re.sub(r"^\s{0,3}>\s?", "", body, flags=re.MULTILINE)
    body = re.sub(r"(\*\*|__|`)", "", body)
    return body


def _clean_inline(text: str) -> str:
    return " ".join(re.sub(r"(\*\*|__|`)", "", text).split())


class _HTMLText(HTMLParser):
    """Collects <title>, first <h1> and block text, ignoring script/style/nav chrome."""

    SKIP: ClassVar[frozenset[str]] = frozenset(
        {
            "script",
            "style",
            "noscript",
            "nav",
            "header",
            "footer",
            "aside",
            "form",
            "template",
            "svg",
            "figure",
            "figcaption",
        }
    )
    BLOCKS: ClassVar[frozenset[str]] = frozenset(
        {
            "p",
            "div",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "br",
            "tr",
            "section",
            "article",
            "blockquote",
            "pre",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self._skip = 0
        self._in: list[str] = []
        self._chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCKS:
            self._chunks.append("\n\n")
        if tag in ("title", "h1"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag in self.BLOCKS:
            self._chunks.append("\n\n")
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
            return
        if self._skip:
            return
        if "h1" in self._in:
            if not self.h1 or self.h1.endswith(data):
                self.h1 += data
            return
        self._chunks.append(data)

    @property
    def body(self) -> str:
        text = "".join(self._chunks)
        paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
        return "\n\n".join(p for p in paragraphs if p)


def parse_html(text: str) -> Article:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    headline = " ".join((parser.h1 or parser.title).split())
    return Article(headline=headline, body=parser.body)
