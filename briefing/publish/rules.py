"""What Apple Podcasts and the Podcasting 2.0 namespace require of a feed, as checks.

`check_channel` runs on every publish and reports what the user can fix in the config
(cover size and format, category, language, owner email) as `Problem`s: the feed is
still written. `check_feed`, `check_chapters` and `check_webvtt` validate finished
files against the published rules (Apple's "Podcast RSS feed requirements", the
podcast namespace 1.0 tag pages, the JSON chapters 1.2 format, W3C WebVTT); the tests
run them on every feed briefing builds.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from briefing.models import Problem
from briefing.publish.cover import image_info
from briefing.publish.feed import NAMESPACES, Channel

# Apple Podcasts categories and their subcategories (Apple's list since 2019).
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": (
        "Books",
        "Design",
        "Fashion & Beauty",
        "Food",
        "Performing Arts",
        "Visual Arts",
    ),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}
COVER_MIN, COVER_MAX = 1400, 3000  # pixels, square
DESCRIPTION_MAX = 4000  # characters, Apple's limit for the show description
ENCLOSURE_TYPES = {
    "audio/mpeg": (".mp3",),
    "audio/x-m4a": (".m4a",),
    "video/mp4": (".mp4",),
    "video/quicktime": (".mov",),
    "video/x-m4v": (".m4v",),
    "application/pdf": (".pdf",),
}
EMAIL_RE = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z0-9-]{2,}$")
LANGUAGE_RE = re.compile(r"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{1,8})*$")  # ISO 639 with a region
UUID5_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
MIME_RE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*$")
DURATION_RE = re.compile(r"^(\d+|(\d+:)?[0-5]?\d:[0-5]\d)$")
_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t]+.*)?$")
_I, _P, _A = (f"{{{NAMESPACES[k]}}}" for k in ("itunes", "podcast", "atom"))


# --- the settings, on every publish ---------------------------------------------------


def check_channel(channel: Channel, cover: Path) -> list[Problem]:
    """What in the podcast's settings Apple Podcasts would reject or an app show badly."""
    problems = check_cover(cover) + check_category(channel.category)
    if not LANGUAGE_RE.match(channel.language):
        problems.append(
            Problem("[feed] language", f"{channel.language!r} is not a code like en or en-GB")
        )
    if len(channel.description) > DESCRIPTION_MAX:
        problems.append(
            Problem("[feed] description", f"is over Apple's {DESCRIPTION_MAX} characters")
        )
    if channel.owner_email and not EMAIL_RE.match(channel.owner_email):
        problems.append(
            Problem("[feed] owner_email", f"{channel.owner_email!r} is not an email address")
        )
    elif not channel.owner_email and channel.base_url:
        problems.append(
            Problem(
                "[feed] owner_email",
                "is not set: Apple Podcasts Connect and feed validators want an owner email "
                "(itunes:email) in a public feed; set it to an address you read",
            )
        )
    return problems


# Said by `briefing doctor`, and by `briefing run` once per output directory.
NO_OWNER_EMAIL = (
    "no [feed] owner_email, so the feed lists no itunes:owner; Apple Podcasts needs "
    "one to accept the feed (set it to an address you read)"
)


def check_cover(path: Path) -> list[Problem]:
    """Apple: a square JPEG or PNG, 1400 to 3000 pixels a side, in the RGB colour space."""
    where = f"[feed] cover {path.name}"
    try:
        with path.open("rb") as fh:
            head = fh.read(256 * 1024)  # a JPEG's frame header can follow big metadata
    except OSError as exc:
        return [Problem(where, f"cannot be read ({exc.strerror})")]
    info = image_info(head)
    if info is None:
        return [Problem(where, "is not a PNG or JPEG image; podcast apps will show no cover")]
    problems = []
    expected = "png" if path.suffix.lower() == ".png" else "jpeg"
    if info.kind != expected:
        kind = info.kind.upper()
        problems.append(Problem(where, f"is a {kind} file with a {path.suffix} name"))
    size = f"{info.width}x{info.height} px"
    if info.width != info.height:
        problems.append(Problem(where, f"is {size}; Apple Podcasts wants a square image"))
    if (
        not COVER_MIN <= max(info.width, info.height) <= COVER_MAX
        or min(info.width, info.height) < COVER_MIN
    ):
        problems.append(
            Problem(
                where,
                f"is {size}; Apple Podcasts wants {COVER_MIN} to {COVER_MAX} px a side",
            )
        )
    if info.colour not in ("rgb", "palette"):
        problems.append(
            Problem(where, f"is in the {info.colour.upper()} colour space; Apple wants RGB")
        )
    return problems


def check_category(category: str) -> list[Problem]:
    """`News` or `News > Daily News`, from Apple's list."""
    names = [part.strip() for part in category.split(">") if part.strip()]
    where = "[feed] category"
    if not names:
        return [Problem(where, "is empty; Apple Podcasts needs one, like News")]
    top, subs = names[0], names[1:]
    if top not in APPLE_CATEGORIES:
        close = [c for c in APPLE_CATEGORIES if c.lower() == top.lower()]
        hint = f"did you mean {close[0]!r}?" if close else "see docs/publishing.md for the list"
        return [Problem(where, f"{top!r} is not an Apple Podcasts category; {hint}")]
    if len(subs) > 1:
        return [Problem(where, f"{category!r} has more than one subcategory")]
    if subs and subs[0] not in APPLE_CATEGORIES[top]:
        allowed = ", ".join(APPLE_CATEGORIES[top]) or "none"
        return [Problem(where, f"{subs[0]!r} is not a subcategory of {top} (those are: {allowed})")]
    return []


# --- finished files -------------------------------------------------------------------


def _absolute(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_feed(data: bytes) -> list[Problem]:
    """Every rule of Apple's feed requirements and the Podcasting 2.0 tags used here."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [Problem("feed", f"is not well-formed XML ({exc})")]
    problems: list[Problem] = []

    def need(ok: bool, where: str, message: str) -> None:
        if not ok:
            problems.append(Problem(where, message))

    need(root.tag == "rss" and root.get("version") == "2.0", "feed", "is not RSS 2.0")
    channel = root.find("channel")
    if channel is None:
        return [*problems, Problem("feed", "has no <channel>")]
    where = "channel"
    for tag in ("title", "description", "language", "link"):
        need(bool((channel.findtext(tag) or "").strip()), where, f"<{tag}> is missing or empty")
    need(
        len(channel.findtext("description") or "") <= DESCRIPTION_MAX,
        where,
        "<description> is too long",
    )
    need(
        bool(LANGUAGE_RE.match(channel.findtext("language") or "")),
        where,
        "<language> is not a language code",
    )
    need(_absolute(channel.findtext("link")), where, "<link> is not an absolute URL")
    image = channel.find(_I + "image")
    href = image.get("href") if image is not None else None
    need(_absolute(href), where, "itunes:image has no absolute href")
    need(
        (href or "").lower().endswith((".jpg", ".jpeg", ".png")),
        where,
        "itunes:image must end in .jpg or .png",
    )
    categories = channel.findall(_I + "category")
    need(bool(categories), where, "itunes:category is missing")
    for category in categories:
        subs = category.findall(_I + "category")
        text = " > ".join([category.get("text") or "", *(s.get("text") or "" for s in subs)])
        for problem in check_category(text):
            need(False, where, f"itunes:category {problem.message}")
    need(
        channel.findtext(_I + "explicit") in ("true", "false"),
        where,
        "itunes:explicit must be true or false",
    )
    need(bool((channel.findtext(_I + "author") or "").strip()), where, "itunes:author is missing")
    owner = channel.find(_I + "owner")  # only with an email: without, it is an error
    need(owner is not None, where, "itunes:owner is missing ([feed] owner_email is not set)")
    if owner is not None:
        need(bool(owner.findtext(_I + "name")), where, "itunes:owner has no itunes:name")
        need(
            bool(EMAIL_RE.match(owner.findtext(_I + "email") or "")),
            where,
            "itunes:owner has no valid itunes:email",
        )
    need(
        channel.findtext(_I + "type", "episodic") in ("episodic", "serial"),
        where,
        "itunes:type must be episodic or serial",
    )
    self_links = [a for a in channel.findall(_A + "link") if a.get("rel") == "self"]
    need(
        len(self_links) == 1 and _absolute(self_links[0].get("href")),
        where,
        "atom:link rel=self with the feed's absolute URL is missing",
    )
    guids = channel.findall(_P + "guid")
    need(len(guids) == 1, where, "podcast:guid must appear once")
    for guid in guids:
        need(bool(UUID5_RE.match(guid.text or "")), where, "podcast:guid is not a UUIDv5")
    locked = channel.findall(_P + "locked")
    need(len(locked) <= 1, where, "podcast:locked appears more than once")
    for element in locked:
        need(element.text in ("yes", "no"), where, "podcast:locked must be yes or no")
        owner_email = element.get("owner")
        need(
            owner_email is None or bool(EMAIL_RE.match(owner_email)),
            where,
            "podcast:locked owner must be an email address",
        )
    seen: set[str] = set()
    for item in channel.findall("item"):
        problems += _check_item(item, seen)
    for tag in (_P + "transcript", _P + "chapters"):
        for _element in channel.findall(tag):
            need(False, where, f"{tag.split('}')[1]} belongs in an <item>, not the channel")
    return problems


def _check_item(item: ET.Element, seen: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    guid = (item.findtext("guid") or "").strip()
    where = f"item {guid or item.findtext('title') or '?'}"

    def need(ok: bool, message: str) -> None:
        if not ok:
            problems.append(Problem(where, message))

    need(bool((item.findtext("title") or "").strip()), "<title> is missing or empty")
    need(bool(guid), "<guid> is missing")
    need(guid not in seen, "<guid> is not unique in the feed")
    seen.add(guid)
    enclosure = item.find("enclosure")
    need(enclosure is not None, "<enclosure> is missing")
    if enclosure is not None:
        url, kind = enclosure.get("url") or "", enclosure.get("type") or ""
        need(_absolute(url), "enclosure url is not absolute")
        need(kind in ENCLOSURE_TYPES, f"enclosure type {kind!r} is not one Apple accepts")
        need(
            urlsplit(url).path.lower().endswith(ENCLOSURE_TYPES.get(kind, ("",))),
            "enclosure url does not end in its type's extension",
        )
        length = enclosure.get("length") or ""
        need(length.isdigit() and int(length) > 0, "enclosure length is not a byte count")
    try:
        parsedate_to_datetime(item.findtext("pubDate") or "")
    except (TypeError, ValueError, IndexError):
        need(False, "<pubDate> is not an RFC 2822 date")
    duration = item.findtext(_I + "duration")
    need(duration is None or bool(DURATION_RE.match(duration)), "itunes:duration is malformed")
    need(
        item.findtext(_I + "episodeType", "full") in ("full", "trailer", "bonus"),
        "itunes:episodeType must be full, trailer or bonus",
    )
    need(
        item.findtext(_I + "explicit", "false") in ("true", "false"),
        "itunes:explicit must be true or false",
    )
    for transcript in item.findall(_P + "transcript"):
        need(_absolute(transcript.get("url")), "podcast:transcript url is not absolute")
        need(
            bool(MIME_RE.match(transcript.get("type") or "")),
            "podcast:transcript type is not a MIME type",
        )
        language = transcript.get("language")
        need(
            language is None or bool(LANGUAGE_RE.match(language)),
            "podcast:transcript language is not a language code",
        )
        need(
            transcript.get("rel") in (None, "captions"),
            "podcast:transcript rel can only be captions",
        )
    chapters = item.findall(_P + "chapters")
    need(len(chapters) <= 1, "podcast:chapters appears more than once")
    for tag in chapters:
        need(_absolute(tag.get("url")), "podcast:chapters url is not absolute")
        need(
            tag.get("type") in ("application/json+chapters", "application/json"),
            "podcast:chapters type must be application/json+chapters",
        )
    return problems


def check_chapters(text: str) -> list[Problem]:
    """The JSON chapters format 1.2: version, chapters in ascending startTime."""
    where = "chapters"
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [Problem(where, f"is not JSON ({exc})")]
    if not isinstance(data, dict):
        return [Problem(where, "is not a JSON object")]
    problems = []
    if not isinstance(data.get("version"), str):
        problems.append(Problem(where, '"version" (a string) is missing'))
    chapters = data.get("chapters")
    if not isinstance(chapters, list):
        return [*problems, Problem(where, '"chapters" (an array) is missing')]
    previous = -1.0
    for n, chapter in enumerate(chapters, 1):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        if not isinstance(start, int | float) or isinstance(start, bool) or start < 0:
            problems.append(Problem(where, f"chapter {n} has no startTime of 0 or more"))
            continue
        if start < previous:
            problems.append(Problem(where, f"chapter {n} starts before chapter {n - 1}"))
        previous = float(start)
        for key in ("title", "img", "url"):
            if key in chapter and not isinstance(chapter[key], str):
                problems.append(Problem(where, f"chapter {n}'s {key} is not a string"))
    return problems


def _vtt_seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def check_webvtt(text: str) -> list[Problem]:
    """W3C WebVTT as a parser reads it: the signature, cue timings, ordered cues that
    end after they start, and cue text with no "-->" nor unescaped "<" or "&"."""
    where = "webvtt"
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not re.match(r"^WEBVTT([ \t].*)?(\n|$)", text):
        return [Problem(where, 'does not start with "WEBVTT"')]
    problems = []
    blocks = [b for b in re.split(r"\n{2,}", text.strip("\n"))[1:] if b.strip()]
    previous = 0.0
    for n, block in enumerate(blocks, 1):
        lines = block.split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        if "-->" not in lines[0]:
            lines = lines[1:]  # a cue identifier
        timing = _VTT_TIMING.match(lines[0]) if lines else None
        if timing is None:
            problems.append(Problem(where, f"cue {n} has no valid timing line"))
            continue
        start = _vtt_seconds(*timing.groups()[:4])
        end = _vtt_seconds(*timing.groups()[4:])
        if end <= start:
            problems.append(Problem(where, f"cue {n} does not end after it starts"))
        if start < previous:
            problems.append(Problem(where, f"cue {n} starts before the cue before it"))
        previous = start
        payload = "\n".join(lines[1:])
        if not payload.strip():
            problems.append(Problem(where, f"cue {n} has no text"))
        if "-->" in payload:
            problems.append(Problem(where, f'cue {n} text contains "-->"'))
        if re.search(r"<(?!/?(c|i|b|u|v|lang|ruby|rt)\b)", payload) or re.search(
            r"&(?!(amp|lt|gt|nbsp|lrm|rlm);)", payload
        ):
            problems.append(Problem(where, f"cue {n} text has an unescaped < or &"))
    return problems
