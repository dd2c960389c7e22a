"""Article pages: the main text of a web page, without menus, ads and comments (trafilatura).

The headline loses the site name, section and date its page puts around it
(`briefing/sources/headline.py`); the text loses a first line that only says the
headline again, or the date; the story is credited to the outlet the page names in its
metadata (`og:site_name`, the publisher), not to whoever relayed it.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit

from briefing.models import Article
from briefing.nlp import split_sentences
from briefing.sources import headline as headlines
from briefing.sources.files import ArticleError
from briefing.sources.html import extract_html

MIN_WORDS = 40  # fewer is a teaser, a paywall or a page built by JavaScript, not an article
# Only the first sentence of the first paragraph is wanted: read from its start only.
LEAD_CHARS = 2000


def extract_article(html: bytes | str, url: str, charset: str | None = None) -> Article:
    """The headline, text and outlet of an article page; ArticleError if there is none.

    `source` is the outlet the page names, or its host name when it names none."""
    if isinstance(html, bytes) and charset:
        # On a wrong header, keep the bytes: trafilatura detects the encoding itself.
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            html = html.decode(charset)
    page = extract_html(html, url, metadata=True)
    named = page.outlet
    title = headlines.clean(page.meta_title, named or page.sitename, host(url))
    paragraphs = _drop_headline_and_date(title, list(page.paragraphs))
    body = "\n\n".join(paragraphs)
    if len(body.split()) < MIN_WORDS:
        raise ArticleError(
            "has no article text (a paywall, or a page built by JavaScript?); "
            "use the article's own address or remove it"
        )
    lead = split_sentences(paragraphs[0][:LEAD_CHARS])[:1]
    again = bool(title and lead and headlines.same_headline(title, lead[0], loose=True))
    return Article(
        headline=title or named or host(url),
        body=body,
        source=named or host(url),  # trafilatura's guesses from the URL are not a name
        url=url,
        headline_from_text=again,  # the lead says the headline: the script reads it once
    )


def _drop_headline_and_date(title: str, paragraphs: list[str]) -> list[str]:
    """Leading lines that only say the headline again (perhaps with the date run into
    it: "...recovery?Monday, 6 January 2014") or only give the date."""
    while paragraphs:
        first = paragraphs[0]
        if headlines.DATE_RE.match(first) or (
            title and headlines.same_headline(title, headlines.unglue(first))
        ):
            paragraphs = paragraphs[1:]
        else:
            break
    return paragraphs


def host(url: str) -> str:
    name = urlsplit(url).hostname or url
    return name.removeprefix("www.")
