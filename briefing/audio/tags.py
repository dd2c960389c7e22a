"""ID3v2 tags for the episode: title, artist, album, date, genre, cover, script, chapters.

Written with mutagen as ID3v2.3, which every phone and podcast app reads (v2.4 is not
understood by some older players); chapters follow the ID3v2 Chapter Frame addendum:
one CHAP per chapter, with its title as a TIT2 sub-frame, listed in order by one
top-level CTOC (through nested CTOCs past 255 chapters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import AudioError
from briefing.models import Chapter

NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: players seek by time
MAX_CHILDREN = 255  # a CTOC's entry count is one byte
_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


@dataclass(frozen=True)
class EpisodeTags:
    title: str = ""
    artist: str = ""
    album: str = ""
    date: str = ""  # YYYY-MM-DD
    genre: str = "Podcast"
    comment: str = ""
    lyrics: str = ""  # the full script
    cover: bytes = b""
    cover_mime: str = ""


def image_mime(data: bytes) -> str | None:
    """'image/jpeg' or 'image/png' from the file's first bytes, the two formats ID3
    players show; None for anything else."""
    return next((mime for magic, mime in _MAGIC if data.startswith(magic)), None)


def write_tags(mp3: Path, tags: EpisodeTags, chapters: Sequence[Chapter]) -> None:
    """Replace any ID3 tag on `mp3` with `tags` and one chapter per entry of `chapters`."""
    from mutagen.id3 import (
        APIC,
        CHAP,
        COMM,
        CTOC,
        ID3,
        TALB,
        TCON,
        TDRC,
        TIT2,
        TPE1,
        USLT,
        CTOCFlags,
        Encoding,
        PictureType,
    )
    from mutagen.id3 import error as ID3Error

    tag = ID3()
    utf16 = Encoding.UTF16  # ID3v2.3 has no UTF-8; UTF-16 carries any headline
    for frame, value in ((TIT2, tags.title), (TPE1, tags.artist), (TALB, tags.album)):
        if value:
            tag.add(frame(encoding=utf16, text=[value]))
    tag.add(TCON(encoding=utf16, text=[tags.genre]))
    if tags.date:
        tag.add(TDRC(encoding=Encoding.LATIN1, text=[tags.date]))
    if tags.comment:
        tag.add(COMM(encoding=utf16, lang="eng", desc="", text=[tags.comment]))
    if tags.lyrics:
        tag.add(USLT(encoding=utf16, lang="eng", desc="", text=tags.lyrics))
    if tags.cover:
        tag.add(
            APIC(
                encoding=Encoding.LATIN1,
                mime=tags.cover_mime,
                type=PictureType.COVER_FRONT,
                desc="",
                data=tags.cover,
            )
        )
    ids = [f"chp{i}" for i in range(len(chapters))]
    for element_id, chapter in zip(ids, chapters, strict=True):
        tag.add(
            CHAP(
                element_id=element_id,
                start_time=int(chapter.start_ms),
                end_time=int(chapter.end_ms),
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=[TIT2(encoding=utf16, text=[chapter.title or element_id])],
            )
        )
    for element_id, children, title, top in _tables(ids):
        flags = CTOCFlags.ORDERED | (CTOCFlags.TOP_LEVEL if top else 0)
        tag.add(
            CTOC(
                element_id=element_id,
                flags=flags,
                child_element_ids=children,
                sub_frames=[TIT2(encoding=utf16, text=[title])],
            )
        )
    try:
        tag.save(str(mp3), v2_version=3)
        _chapters_in_time_order(mp3)
    except (OSError, ID3Error, ValueError) as exc:
        raise AudioError(f"writing ID3 tags to {mp3.name} failed: {exc}") from exc


def _tables(ids: list[str]) -> list[tuple[str, list[str], str, bool]]:
    """The CTOC frames listing `ids`: (element id, children, title, top level).

    A CTOC counts its children in one byte: up to MAX_CHILDREN chapters one table lists
    them all; more (a day of hundreds of stories) get one table per MAX_CHILDREN, listed
    in order by the top-level table, as the addendum's nested tables allow.
    """
    if not ids:
        return []
    if len(ids) <= MAX_CHILDREN:
        return [("toc", ids, "Chapters", True)]
    groups = [ids[i : i + MAX_CHILDREN] for i in range(0, len(ids), MAX_CHILDREN)]
    if len(groups) > MAX_CHILDREN:
        raise AudioError(f"{len(ids)} chapters are more than ID3 tables of contents can list")
    subs = [
        (f"toc{n}", group, f"Chapters {n * MAX_CHILDREN + 1} to {n * MAX_CHILDREN + len(group)}")
        for n, group in enumerate(groups)
    ]
    top = ("toc", [element_id for element_id, _, _ in subs], "Chapters", True)
    return [top, *((element_id, group, title, False) for element_id, group, title in subs)]


def _chapters_in_time_order(mp3: Path) -> None:
    """Put the CHAP frames in time order, in place.

    mutagen writes frames ordered by size, and ffmpeg (ffprobe, and the players built on
    it) lists chapters in file order, not by CTOC. Only the CHAP frames' slots are
    permuted, so the tag keeps its size and every other byte.
    """
    with open(mp3, "r+b") as fh:
        header = fh.read(10)
        # ID3v2.3 as mutagen writes it: no unsynchronisation, no extended header.
        if header[:3] != b"ID3" or header[3] != 3 or header[5] & 0xC0:
            return
        size = (header[6] << 21) | (header[7] << 14) | (header[8] << 7) | header[9]  # syncsafe
        body = fh.read(size)
        frames: list[bytes] = []
        pos = 0
        while pos + 10 <= len(body) and body[pos] != 0:
            end = pos + 10 + int.from_bytes(body[pos + 4 : pos + 8], "big")
            frames.append(body[pos:end])
            pos = end
        slots = [i for i, frame in enumerate(frames) if frame[:4] == b"CHAP"]

        def start_time(frame: bytes) -> int:
            after_id = frame.index(b"\0", 10) + 1  # element ID, NUL-terminated
            return int.from_bytes(frame[after_id : after_id + 4], "big")

        in_order = sorted((frames[i] for i in slots), key=start_time)
        if in_order == [frames[i] for i in slots]:
            return
        for slot, frame in zip(slots, in_order, strict=True):
            frames[slot] = frame
        fh.seek(10)
        fh.write(b"".join(frames))
