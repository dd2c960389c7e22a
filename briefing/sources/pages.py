"""Article pages: the main text of a web page, without menus, ads and comments (trafilatura).

The headline loses the site name, section and date its page puts around it
(`briefing/sources/headline.py`); the text loses a first line that only says the
headline again, or the date; the story is credited to the outlet the page names in its
metadata (`og:site_name`, the publisher), not to whoever relayed it.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any
from urllib.parse import urlsplit

from briefing.models import Article
from briefing.nlp import split_sentences
from briefing.sources import headline as headlines
from briefing.sources.files import ArticleError

MIN_WORDS = 40  # fewer is a teaser, a paywall or a page built by JavaScript, not an article


def extract_article(html: bytes | str, url: str, charset: str | None = None) -> Article:
    """The headline, text and outlet of an article page; ArticleError if there is none.

    `source` is the outlet the page names, or its host name when it names none."""
    # Imported here: trafilatura loads lxml and its models, which `briefing --help` and
    # directory-only runs do not need.
    import trafilatura

    if isinstance(html, bytes) and charset:
        # On a wrong header, keep the bytes: trafilatura detects the encoding itself.
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            html = html.decode(charset)
    tree = trafilatura.load_html(html)
    named = outlet(tree) if tree is not None else ""
    doc = (
        trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
        if tree is not None
        else None
    )
    text = (doc.text or "") if doc is not None else ""
    guessed = " ".join((doc.sitename or "").split()) if doc is not None else ""
    title = headlines.clean(
        (doc.title or "") if doc is not None else "", named or guessed, host(url)
    )
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = _drop_headline_and_date(title, [p for p in paragraphs if p])
    body = "\n\n".join(paragraphs)
    if len(body.split()) < MIN_WORDS:
        raise ArticleError(
            "has no article text (a paywall, or a page built by JavaScript?); "
            "use the article's own address or remove it"
        )
    lead = split_sentences(paragraphs[0])[:1]
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


def host(url: str) -> str:
    name = urlsplit(url).hostname or url
    return name.removeprefix("www.")
