"""HTML to text with one extractor for every source (trafilatura): article pages, local
.html files and the HTML of feed entries.

trafilatura finds the main text of a page (no menus, ads or comments). Below about 250
characters of text it cannot tell the main text from the rest, and falls back to one
line per element, which splits sentences at every link or bold word; a document or
fragment that small (a feed teaser, a short file) is taken whole instead, after
trafilatura has pruned what is never text (scripts, navigation, forms, figures).
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# trafilatura's MIN_EXTRACTED_SIZE: less text than this is not worth a main-text search.
MIN_MAIN_TEXT = 250
# Elements that end a paragraph when a small document is taken whole.
_BLOCKS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section", "article",
    "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "table", "main", "header", "hr",
)  # fmt: skip
# Any of these near the start: a document, which lxml parses as one; else a fragment.
_DOCUMENT_TAGS = ("<!doctype", "<html", "<head", "<body", "<title", "<meta")
# lxml refuses text with characters XML does not allow.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class HtmlText:
    """What an HTML document says: its headings and its text, paragraph by paragraph."""

    h1: str  # the first <h1>
    title: str  # <title>, as written
    meta_title: str  # trafilatura's headline guess (og:title, <title> less the site name...)
    sitename: str
    paragraphs: tuple[str, ...]
    outlet: str = ""  # the outlet the page names in its metadata (with `metadata`)

    def body(self, headline: str = "") -> str:
        """The paragraphs, less the one that repeats `headline` (the heading in the text)."""
        paragraphs = list(self.paragraphs)
        folded = [p.casefold() for p in paragraphs]
        if headline and headline.casefold() in folded:
            del paragraphs[folded.index(headline.casefold())]
        return "\n\n".join(paragraphs)


def extract_html(
    html: bytes | str, url: str | None = None, *, metadata: bool = False, whole: bool = False
) -> HtmlText:
    """The text of an HTML document or fragment; `metadata` also guesses title and site.

    `whole`: all the text, with no main-text search (a feed entry has no page chrome, and
    the search drops paragraphs made mostly of links)."""
    # Imported here: trafilatura loads lxml and its models, which `briefing --help` and
    # text-only runs do not need.
    import trafilatura
    from trafilatura.htmlprocessing import tree_cleaning
    from trafilatura.settings import Extractor

    tree = _load(html)
    if tree is None:
        return HtmlText("", "", "", "", ())
    h1 = _first_text(tree, "//h1")
    title = _first_text(tree, "//title")
    everything = _paragraphs(tree_cleaning(copy.deepcopy(tree), Extractor(tables=False)))
    small = sum(len(p) for p in everything) < MIN_MAIN_TEXT
    if (small or whole) and not metadata:
        return HtmlText(h1, title, "", "", everything)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=metadata,
        include_comments=False,
        include_tables=False,
        # The page's date is never used; htmldate's extensive search runs nine patterns
        # over all its text (1.9 s for 1 MB of "<", issue 17).
        date_extraction_params={"extensive_search": False},
    )
    if doc is None or isinstance(doc, dict):
        return HtmlText(h1, title, "", "", everything, outlet(tree) if metadata else "")
    lines = (" ".join(line.split()) for line in (doc.text or "").splitlines())
    main = tuple(line for line in lines if line)
    if small or whole or not main:
        main = everything
    return HtmlText(
        h1,
        title,
        " ".join((doc.title or "").split()),
        " ".join((doc.sitename or "").split()),
        main,
        outlet(tree) if metadata else "",
    )


def outlet(tree: Any) -> str:
    """The outlet a page names: `og:site_name`, a JSON-LD publisher, or the publisher or
    application-name meta tag; a name beats a host name ("DW.COM")."""
    names = [
        *tree.xpath('//meta[@property="og:site_name"]/@content'),
        *_json_ld_publishers(tree),
        *tree.xpath('//meta[@name="publisher" or @name="application-name"]/@content'),
    ]
    cleaned = [
        re.sub(r"\s*\((?:www\.)?[\w.-]+\.[a-z]{2,}\)\s*$", "", " ".join(n.split())) for n in names
    ]
    cleaned = [n for n in cleaned if n and not n.startswith("http")]
    return next((n for n in cleaned if not _host_like(n)), cleaned[0] if cleaned else "")


def _json_ld_publishers(tree: Any) -> list[str]:
    found: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        with contextlib.suppress(ValueError):
            data = json.loads(script)
            for item in data if isinstance(data, list) else [data]:
                publisher = item.get("publisher") if isinstance(item, dict) else None
                if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                    found.append(publisher["name"])
    return found


def _host_like(name: str) -> bool:
    return bool(re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", name, re.I))


def _load(html: bytes | str) -> HtmlElement | None:
    """The parsed document; a fragment (a feed entry's HTML) is put in a <body>."""
    import trafilatura

    head = html[:4096].lower() if isinstance(html, str) else html[:4096].lower().decode("latin-1")
    if not any(tag in head for tag in _DOCUMENT_TAGS):
        # Wrapped before parsing: trafilatura logs an error for a fragment on its own.
        if isinstance(html, bytes):
            html = html.decode("utf-8", "replace")
        if not html.strip():
            return None
        html = f"<html><body>{html}</body></html>"
    tree = trafilatura.load_html(html)
    return tree if tree is not None and tree.find(".//body") is not None else None


def _first_text(tree: HtmlElement, xpath: str) -> str:
    found = tree.xpath(xpath)
    return " ".join(found[0].text_content().split()) if found else ""


def _paragraphs(tree: HtmlElement) -> tuple[str, ...]:
    """All the text of the <body>, a paragraph per block element (inline ones join in)."""
    body = tree.find(".//body")
    if body is None:
        return ()
    for elem in body.iter(*_BLOCKS):
        elem.text = "\n\n" + _NOT_XML.sub(" ", elem.text or "")
        elem.tail = "\n\n" + _NOT_XML.sub(" ", elem.tail or "")
    chunks = re.split(r"\n\s*\n", body.text_content())
    return tuple(p for p in (" ".join(chunk.split()) for chunk in chunks) if p)
