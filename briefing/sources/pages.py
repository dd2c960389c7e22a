"""Article pages: the main text of a web page, without menus, ads and comments (trafilatura)."""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

from briefing.models import Article
from briefing.sources.files import ArticleError
from briefing.sources.html import extract_html

MIN_WORDS = 40  # fewer is a teaser, a paywall or a page built by JavaScript, not an article


def extract_article(html: bytes | str, url: str, charset: str | None = None) -> Article:
    """The headline, text and site name of an article page; ArticleError if there is none."""
    if isinstance(html, bytes) and charset:
        # On a wrong header, keep the bytes: trafilatura detects the encoding itself.
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            html = html.decode(charset)
    page = extract_html(html, url, metadata=True)
    title, site = page.meta_title, page.sitename
    body = page.body(title)
    if len(body.split()) < MIN_WORDS:
        raise ArticleError(
            "has no article text (a paywall, or a page built by JavaScript?); "
            "use the article's own address or remove it"
        )
    return Article(
        headline=title or site or host(url),
        body=body,
        source=site or host(url),
        url=url,
    )


def host(url: str) -> str:
    name = urlsplit(url).hostname or url
    return name.removeprefix("www.")
