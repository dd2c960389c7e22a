"""Third group of passes: e-mail addresses, URLs, bare domains, hashtags and handles.

They run after characters are clean and before the English passes, on every
language: an address is full of periods, digits, "@", "#" and "/" that the
abbreviation, number and symbol passes would otherwise read piece by piece. A URL is
read as its host ("example dot org"), an address as "name at host", a hashtag as its
words. For other languages a URL keeps only its host, an address stays as written and bare
domains are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Sub = Callable[[re.Match[str]], str]


# Last labels that are spelled ("dot U.K"); the others ("com", "org", "co") are words.
_TLD_LETTERS = {
    "uk",
    "us",
    "eu",
    "io",
    "ai",
    "tv",
    "fm",
    "edu",
    "de",
    "fr",
    "ca",
    "au",
    "nz",
    "ie",
    "in",
    "jp",
    "cn",
    "ru",
    "ch",
    "es",
    "it",
    "nl",
    "se",
    "no",
    "za",
    "br",
    "mx",
    "be",
    "at",
    "dk",
    "fi",
    "pl",
    "pt",
    "gr",
    "il",
    "kr",
    "sg",
    "hk",
    "tw",
    "ua",
    "ng",
    "ke",
    "ar",
    "cl",
    "ly",
}
_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|news|io|co|uk|us|eu|ca|au|de|fr|es|it|nl|ie|nz|"
    "za|in|jp|cn|ru|ch|se|no|dk|fi|be|at|pl|pt|gr|il|kr|sg|hk|tw|ua|ng|ke|br|mx|ar|cl|tv|"
    "fm|me|ly|app|dev|ai|online|site|blog|media|press|live|today|world|ngo"
)
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])(?P<user>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@"
    r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24})"
    r"(?![A-Za-z0-9-])"
)
URL = re.compile(
    r"(?<![\w/@.])(?:(?:https?|ftp)://|www\.)"
    r"(?:[^\s<>\"'()\[\]{}]|\([^\s<>\"'()\[\]{}]{0,200}\)){1,2000}",
    re.I,
)
BARE_DOMAIN = re.compile(
    rf"(?<![\w.@/-])(?P<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,62}})\.){{1,6}}(?:{_TLDS}))"
    rf"(?![\w-]|\.[A-Za-z0-9])(?P<path>/[^\s<>\"'()\[\]{{}}]{{0,2000}})?"
)
BARE_DOMAIN_GATE = re.compile(rf"\.(?:{_TLDS})(?![\w-])")
HASHTAG = re.compile(r"(?<![\w&#/])#(?P<tag>[A-Za-z][A-Za-z0-9_]{0,138})")
HANDLE = re.compile(r"(?<![\w@./])@(?P<name>[A-Za-z0-9_]{1,50})(?![\w@])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_+")
_TRAILING_URL_PUNCT = ".,;:!?'\")]}"


def _speak_host(host: str, english: bool) -> str:
    labels = [p for p in host.split(".") if p]
    if labels and labels[0].lower() == "www":
        labels = labels[1:]
    if not english:
        return ".".join(labels)
    spoken = []
    for i, label in enumerate(labels):
        last = i == len(labels) - 1
        if last and label.lower() in _TLD_LETTERS:
            spoken.append(".".join(label.upper()))  # "U.K": spelled by every engine
        else:
            spoken.append(label.replace("-", " "))
    return " dot ".join(spoken)


def url_sub(english: bool) -> Sub:
    def sub(m: re.Match[str]) -> str:
        url = m.group(0)
        trail = ""
        while url and url[-1] in _TRAILING_URL_PUNCT:
            trail = url[-1] + trail
            url = url[:-1]
        rest = re.sub(r"^(?:(?:https?|ftp)://)?", "", url, flags=re.I)
        host = re.split(r"[/?#:]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
        return (_speak_host(host, english) if host else "") + trail

    return sub


def email_sub(english: bool) -> Sub:
    def sub(m: re.Match[str]) -> str:
        if not english:
            return m.group(0)
        user = re.sub(r"[._%+-]+", " dot ", m.group("user")).strip()
        return f"{user} at {_speak_host(m.group('host'), True)}"

    return sub


def bare_domain(m: re.Match[str]) -> str:
    host = m.group("host")
    first = host.split(".", 1)[0]
    # "U.S" or "e.g" are not domains; a domain label has two+ characters or a digit.
    if len(first) < 2:
        return m.group(0)
    return _speak_host(host, True)


def hashtag_sub(english: bool) -> Sub:
    def sub(m: re.Match[str]) -> str:
        words = _CAMEL.sub(" ", m.group("tag")).strip()
        return f"hashtag {words}" if english else words

    return sub


def handle(m: re.Match[str]) -> str:
    return _CAMEL.sub(" ", m.group("name")).strip()
