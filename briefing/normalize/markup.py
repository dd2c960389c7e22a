"""First pass: HTML, Markdown and wiki markup -> plain text.

Runs before everything else, on every language: entities must be unescaped (feeds
double-escape them) and tags, links, templates, citations and line-start markers
removed before any later pass reads characters, or "&amp;", "<b>" and "[1]" would
be read aloud. Block elements become line breaks so paragraphs survive.
"""

from __future__ import annotations

import html
import re

_COMMENT = (re.compile("<!--"), re.compile("-->"))
_DROPPED_ELEMENTS = ("script", "style", "ref", "noscript", "figcaption")
_ELEMENT_SPANS = {
    name: (
        re.compile(rf"<{name}\b[^<>]{{0,1000}}(?<!/)>", re.I),
        re.compile(rf"</{name}\s*>", re.I),
    )
    for name in _DROPPED_ELEMENTS
}
_SELF_CLOSING_REF = re.compile(r"<ref\b[^<>]{0,1000}/>", re.I)
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|header|footer|"
    r"hr|dd|dt|pre)\b[^<>]{0,1000}>",
    re.I,
)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,30}(?:\s[^<>]{0,1000})?/?>")
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\s]{0,2000}(?:\s[^()\n]{0,300})?\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\([^()\s]{0,2000}(?:\s[^()\n]{0,300})?\)")
_MD_REF_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,100}\]")
_MD_REF_DEF = re.compile(r"(?m)^[ \t]{0,3}\[[^\[\]\n]{1,100}\]:[ \t]*\S{1,2000}[^\n]{0,300}$")
_WIKI_LINK = re.compile(r"\[\[(?:[^\[\]|\n]{0,300}\|)?([^\[\]|\n]{0,300})\]\]")
_WIKI_FILE = re.compile(r"\[\[(?:File|Image|Category):[^\[\]\n]{0,1000}\]\]", re.I)
_WIKI_TEMPLATE = re.compile(r"\{\{[^{}]{0,2000}\}\}")
_WIKI_HEADING = re.compile(r"(?m)^[ \t]*={2,6}[ \t]*([^=\n]{1,300}?)[ \t]*={2,6}[ \t]*$")
_WIKI_QUOTES = re.compile(r"'{2,}")
_CITATION = re.compile(
    r"\[(?:[0-9]{1,3}|[a-z]|citation needed|clarification needed|edit|sic|note [0-9]{1,3}|"
    r"\.\.\.|…)\]",
    re.I,
)
_MD_HEADING = re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+")
_MD_QUOTE = re.compile(r"(?m)^[ \t]{0,3}(?:>[ \t]?)+")
_MD_BULLET = re.compile(r"(?m)^[ \t]*[-*+•◦▪][ \t]+")
_MD_RULE = re.compile(r"(?m)^[ \t]*(?:[-*_=~][ \t]*){3,}$")
_MD_RULE_GATE = re.compile(r"[-*_=~][ \t]*[-*_=~][ \t]*[-*_=~]")
_MD_BULLET_GATE = re.compile(r"[-*+•◦▪][ \t]")


def _drop_spans(text: str, opener: re.Pattern[str], closer: re.Pattern[str]) -> str:
    """Remove every `opener ... closer` span; an unclosed opener drops only itself.

    Left to right, and once no closer is found none is looked for again, so many
    unclosed openers cost linear time, not quadratic.
    """
    out: list[str] = []
    pos = 0
    closed = True
    while m := opener.search(text, pos):
        out.append(text[pos : m.start()])
        close = closer.search(text, m.end()) if closed else None
        if close is None:
            closed = False
            pos = m.end()
            continue
        out.append(" ")
        pos = close.end()
    out.append(text[pos:])
    return "".join(out)


def strip_markup(text: str) -> str:
    for _ in range(4 if "&" in text else 0):  # feeds double-escape: &amp;amp; -> &amp; -> &
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    if "<" in text:
        text = _drop_spans(text, *_COMMENT)
        text = _SELF_CLOSING_REF.sub(" ", text)
        lowered = text.lower()
        for name, (opener, closer) in _ELEMENT_SPANS.items():
            if f"<{name}" in lowered:
                text = _drop_spans(text, opener, closer)
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub("", text)
    if "[" in text:
        text = _MD_IMAGE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
        text = _MD_REF_LINK.sub(r"\1", text)
        text = _MD_REF_DEF.sub("", text)
        text = _WIKI_FILE.sub(" ", text)
        text = _WIKI_LINK.sub(r"\1", text)
        text = _CITATION.sub("", text)
    if "{{" in text:
        for _ in range(4):  # nested templates, innermost first
            text, n = _WIKI_TEMPLATE.subn(" ", text)
            if not n:
                break
    # Each line-start pass runs only when its marker occurs at all (cheap `in` tests).
    if "==" in text:
        text = _WIKI_HEADING.sub(r"\1.", text)
    if "''" in text:
        text = _WIKI_QUOTES.sub("", text)
    if _MD_RULE_GATE.search(text):
        text = _MD_RULE.sub("", text)
    if "#" in text:
        text = _MD_HEADING.sub("", text)
    if ">" in text:
        text = _MD_QUOTE.sub("", text)
    if _MD_BULLET_GATE.search(text):
        text = _MD_BULLET.sub("", text)
    return text.replace("~~", "") if "~~" in text else text
