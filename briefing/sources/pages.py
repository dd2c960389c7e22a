"""Article pages: the main text of a web page, without menus, ads and comments (trafilatura)."""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

from briefing.models import Article
from briefing.sources.files import ArticleError

MIN_WORDS = 40  # fewer is a teaser, a paywall or a page built by JavaScript, not an article


def extract_article(html: bytes | str, url: str, charset: str | None = None) -> Article:
    """The headline, text and site name of an article page; ArticleError if there is none."""
    # Imported here: trafilatura loads lxml and its models, which `briefing --help` and
    # directory-only runs do not need.
    import trafilatura

    if isinstance(html, bytes) and charset:
        # On a wrong header, keep the bytes: trafilatura detects the encoding itself.
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            html = html.decode(charset)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    text = (doc.text or "") if doc is not None else ""
    title = " ".join((doc.title or "").split()) if doc is not None else ""
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs.pop(0)  # the headline is repeated as the first line of the text
    body = "\n\n".join(paragraphs)
    if len(body.split()) < MIN_WORDS:
        raise ArticleError(
            "has no article text (a paywall, or a page built by JavaScript?); "
            "use the article's own address or remove it"
        )
    site = (doc.sitename or "") if doc is not None else ""
    return Article(
        headline=title or site or host(url),
        body=body,
        source=" ".join(site.split()) or host(url),
        url=url,
    )


def host(url: str) -> str:
    name = urlsplit(url).hostname or url
    return name.removeprefix("www.")
