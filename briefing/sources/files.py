"""Load stage: read articles (.txt, .md, .html) from a directory into `Article`s.

A bad file never stops the run: it becomes a `Problem` naming the file and the fix.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from briefing import nlp
from briefing.isolation import isolated
from briefing.models import Article, Problem
from briefing.sanitize import printable
from briefing.settings import SourceSettings, default
from briefing.sources.html import extract_html

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_BYTES = 5 * 1024 * 1024  # a news article is < 100 kB; more is almost surely not one
# A text file has almost no control characters; a binary file renamed .txt has many.
MAX_CONTROL_SHARE = 0.05
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Seconds to read one file: a local article takes milliseconds; a hung network drive
# or a special file behind a link would take forever.
# The default is [sources] read_timeout's (briefing/settings.py).
READ_TIMEOUT_S: float = default(SourceSettings, "read_timeout")
# A first line this long that ends a sentence is the article's lead, not a headline...
BODY_LINE_WORDS = 20
# ... and a first line longer than this is, however it ends (tabloid headlines run to 35).
HEADLINE_MAX_WORDS = 40
# A sentence's end, perhaps inside quotes or brackets: `.` `?'` `!”` `.)`
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
# A title made from the lead sentence is cut at a clause break within this many words.
TITLE_WORDS = 18
_CLAUSE_BREAK_RE = re.compile(
    r"[,;:]\s|\s[–—-]\s|\s(?:and|but|as|after|while|because|which|who|when|amid|saying)\s"
)
# Markdown images and links: ![alt](address), [text](address).
_ADDRESS = r"\((?:(?!\]\()[^)])*\)"
_IMAGE_RE = re.compile(r"!\[[^\[\]]*\]" + _ADDRESS)
_LINK_RE = re.compile(r"\[([^\[\]]+)\]" + _ADDRESS)
_META_RE = re.compile(r"^(source|url|date|author|by)\s*:\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class LoadResult:
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]


def load_articles(directory: Path, *, read_timeout: float = READ_TIMEOUT_S) -> LoadResult:
    """Read every supported file in `directory` (sorted by name; not recursive); one
    that cannot be read within `read_timeout` seconds is skipped and reported."""
    articles: list[Article] = []
    problems: list[Problem] = []
    if not directory.is_dir():
        return LoadResult((), (Problem(str(directory), "is not a directory; pass --input DIR"),))
    try:
        paths = sorted(directory.iterdir())
    except OSError as exc:
        problem = Problem(str(directory), f"cannot be read ({exc.strerror}); check its permissions")
        return LoadResult((), (problem,))
    first_with_text: dict[str, Path] = {}
    for path in paths:
        if path.name.startswith(".") or path.suffix.lower() not in SUFFIXES:
            continue
        if path.name.upper() in {"SOURCES.MD", "README.MD", "LICENSE.MD"}:
            continue  # documentation about the seeds, not an article
        loaded = isolated(shown(path), partial(_load, path, read_timeout), expected=(ArticleError,))
        if isinstance(loaded, Problem):
            problems.append(loaded)
            continue
        article, notes = loaded
        key = _text_key(article.body)
        if key in first_with_text:
            problems.append(
                Problem(
                    shown(path),
                    f"has the same text as {shown(first_with_text[key].name)}; "
                    "told once (remove one of the copies)",
                )
            )
            continue
        first_with_text[key] = path
        problems.extend(Problem(shown(path), note) for note in notes)
        articles.append(article)
    return LoadResult(tuple(articles), tuple(problems))


def shown(path: Path | str) -> str:
    """A path as text that can always be printed on one line: undecodable bytes of a
    file name (not UTF-8 on disk) appear as \\xNN, control characters as escapes (\\n),
    instead of breaking the output or the log."""
    return printable(os.fsencode(path).decode("utf-8", "backslashreplace"))


def _text_key(body: str) -> str:
    return hashlib.sha1(" ".join(body.casefold().split()).encode()).hexdigest()


class ArticleError(ValueError):
    """This file is not a usable article; the message says why and how to fix it."""


def load_file(path: Path, *, read_timeout: float = READ_TIMEOUT_S) -> Article:
    """Read one article file; raise `ArticleError` saying why it cannot be used."""
    return _load(path, read_timeout)[0]


def _load(path: Path, read_timeout: float) -> tuple[Article, tuple[str, ...]]:
    """The article in `path` and notes about what was repaired on the way."""
    data = read_bytes(path, read_timeout)
    text, note = decode_with_note(data)
    if path.suffix.lower() in (".html", ".htm"):
        article = parse_html(text)
    else:
        article = parse_text(text, markdown=path.suffix.lower() in (".md", ".markdown"))
    headline, body = article.headline, article.body
    if not body.strip():
        if headline:
            raise ArticleError("has a headline but no article text; add the text below it")
        raise ArticleError("has no text; add an article or remove the file")
    title = headline or title_from_lead(body)
    article = Article(
        headline=title or _title_from_name(path),
        body=body,
        source=article.source,
        path=path,
        url=article.url,
        headline_from_text=bool(title) and not headline,
    )
    return article, (note,) if note else ()


def _too_big(size: int) -> str:
    return (
        f"is {size / 1e6:.1f} MB, over the {MAX_BYTES // 2**20} MB limit for one "
        "article; split it or remove it"
    )


def _is_body(line: str) -> bool:
    """A first line that is the lead paragraph: a long sentence (its end may be inside
    quotes: `... he said: 'We are done.'`), or longer than any headline."""
    words = len(line.split())
    if words > HEADLINE_MAX_WORDS:
        return True
    return words >= BODY_LINE_WORDS and _SENTENCE_END_RE.search(line) is not None


def read_bytes(path: Path, timeout: float = READ_TIMEOUT_S) -> bytes:
    """The bytes of the regular file `path` (at most MAX_BYTES), read within `timeout` s.

    A FIFO, device or socket is refused before it is opened (reading one can block
    forever, or consume data meant for someone else), and so is a symbolic link that
    loops or leads nowhere. A read that does not finish in time (a hung network drive)
    is given up; its thread is left blocked, as a daemon, so it cannot hold up the exit.
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise ArticleError(_stat_failure(path, exc)) from exc
    if not stat.S_ISREG(info.st_mode):
        raise ArticleError(f"is {_kind(info.st_mode)}, not a regular file; skipped")
    if info.st_size > MAX_BYTES:
        raise ArticleError(_too_big(info.st_size))
    if info.st_size == 0:
        # Empty; and /proc files (a link to /proc/kmsg) say 0 and may block or consume.
        return b""
    result: list[bytes | OSError] = []

    def read() -> None:
        try:
            result.append(_read_regular(path))
        except OSError as exc:
            result.append(exc)

    reader = threading.Thread(target=read, name=f"read {path.name}", daemon=True)
    reader.start()
    reader.join(timeout)
    if not result:
        raise ArticleError(
            f"could not be read within {timeout:g} s (a hung network drive?); skipped"
        )
    data = result[0]
    if isinstance(data, OSError):
        raise ArticleError(f"cannot be read ({data.strerror}); check its permissions") from data
    if len(data) > MAX_BYTES:
        raise ArticleError(_too_big(len(data)))
    return data


def _read_regular(path: Path) -> bytes:
    # O_NONBLOCK: a file swapped for a FIFO since stat() cannot block the open.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with open(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return fh.read(MAX_BYTES + 1)  # the file may have grown since stat()


def _stat_failure(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link that loops; fix or remove the link"
    if exc.errno == errno.ENOENT and path.is_symlink():
        target = shown(os.readlink(path))
        return f"is a symbolic link to {target}, which does not exist; fix or remove the link"
    return f"cannot be read ({exc.strerror}); check its permissions"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def title_from_lead(body: str) -> str:
    """A short title for an article without a headline: its first sentence, cut at the
    last clause break within TITLE_WORDS words (else after fewer words, with an ellipsis)."""
    first_line = next((line for line in body.splitlines() if line.strip()), "")
    sentences = nlp.split_sentences(first_line[:2000])
    if not sentences:
        return ""
    lead = " ".join(sentences[0].split()).rstrip(" .!?")
    words = lead.split()
    if len(words) <= TITLE_WORDS:
        return lead
    cut = 0
    for m in _CLAUSE_BREAK_RE.finditer(lead):
        n = len(lead[: m.start()].split())
        if n > TITLE_WORDS:
            break
        if n >= 6:
            cut = m.start()
    if cut:
        return lead[:cut].rstrip(" ,;:")
    return " ".join(words[: TITLE_WORDS - 6]) + "…"


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else UTF-16 by BOM, else Windows-1252, else Latin-1."""
    return decode_with_note(data)[0]


def decode_with_note(data: bytes) -> tuple[str, str | None]:
    """`decode`, and a note when damaged UTF-8 had bytes left out.

    A file that is UTF-8 apart from a few bad bytes (a truncated copy, a bad edit) keeps
    its accents; reading all of it as Windows-1252 would garble every one of them.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    head = data[:4096]
    if b"\x00" in head or (
        head and len(_CONTROL_RE.findall(head.decode("latin-1"))) > MAX_CONTROL_SHARE * len(head)
    ):
        raise ArticleError("looks like a binary file, not text; save the article as .txt")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8-sig", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for ch in replaced if ord(ch) > 127 and ch != "\ufffd")
    if multibyte >= bad:
        text = data.decode("utf-8-sig", errors="ignore")
        places = "1 place" if bad == 1 else f"{bad} places"
        return text, f"is not valid UTF-8 in {places} (left out); save the file as UTF-8"
    try:
        return data.decode("cp1252"), None
    except UnicodeDecodeError:
        return data.decode("latin-1"), None


def _title_from_name(path: Path) -> str:
    # A file name that is not UTF-8 on disk must not put undecodable text in the script.
    stem = os.fsencode(path.stem).decode("utf-8", "replace").replace("\ufffd", "")
    return re.sub(r"[_-]+", " ", stem).strip().capitalize()


def parse_text(text: str, *, markdown: bool = False) -> Article:
    """First non-empty line is the headline; `Source:`/`URL:` lines right after it are metadata."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # An index, not lines.pop(0): that is quadratic in a file of 100,000 blank lines.
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        return Article(headline="", body="")
    raw = headline = lines[i].strip()
    i += 1
    if markdown:
        headline = headline.lstrip("#").strip()
    meta: dict[str, str] = {}
    while i < len(lines) and (not lines[i].strip() or _META_RE.match(lines[i].strip())):
        m = _META_RE.match(lines[i].strip())
        i += 1
        if m:
            meta[m.group(1).lower()] = m.group(2).strip()
    body = "\n".join(lines[i:])
    if not meta and _is_body(headline) and not (markdown and raw.startswith("#")):
        # No headline: the first line is the lead paragraph (a title is made from it).
        body, headline = headline + "\n" + body, ""
    if markdown:
        body = _strip_markdown(body)
    return Article(
        headline=_clean_inline(headline),
        body=body.strip(),
        source=meta.get("source", ""),
        url=meta.get("url", ""),
    )


def _strip_markdown(body: str) -> str:
    # Neither text nor address is read past the next bracket of its kind or "](", so a
    # run of "[a](" is read once, not to its end from every bracket (issue 17).
    body = _IMAGE_RE.sub("", body)
    body = _LINK_RE.sub(r"\1", body)
    body = re.sub(r"^\s{0,3}#{1,6}\s*", "", body, flags=re.MULTILINE)
    body = re.sub(r"^\s{0,3}>\s?", "", body, flags=re.MULTILINE)
    body = re.sub(r"(\*\*|__|`)", "", body)
    return body


def _clean_inline(text: str) -> str:
    return " ".join(re.sub(r"(\*\*|__|`)", "", text).split())


def parse_html(text: str) -> Article:
    """The first <h1> is the headline, else the <title>; the text is trafilatura's."""
    page = extract_html(text)
    headline = page.h1 or page.title
    body = page.body(headline)
    if not body and _is_body(headline):
        return Article(headline="", body=headline)  # one paragraph, in a heading
    return Article(headline=headline, body=body)
