import datetime as dt
import subprocess
import wave
from pathlib import Path

import pytest

from briefing import assemble as assemble_module
from briefing.assemble import AudioOptions, AudioPart, assemble, audio_options
from briefing.errors import AudioError, MissingDependencyError, OutputError, UsageError
from briefing.settings import AudioSettings
from briefing.speak import get_engine
from tests.helpers import (
    ffprobe_chapters,
    ffprobe_duration,
    ffprobe_stream,
    loudness,
    needs_espeak,
    needs_ffmpeg,
    needs_piper,
    onsets,
)


def _tone_parts(tmp_path: Path, seconds: list[int], pause_ms: int = 1000) -> list[AudioPart]:
    engine = get_engine("fake", rate=60)  # one word = one second of tone
    parts = []
    for i, n in enumerate(seconds):
        wav = tmp_path / f"{i}.wav"
        engine.synthesize(" ".join(["w"] * n), wav)
        parts.append(AudioPart(wav, f"part {i}", pause_after_ms=pause_ms))
    return parts


def _tone_file(path: Path, seconds: float, freq: int = 440) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency={freq}:duration={seconds}:sample_rate=48000", str(path)],
        check=True,
    )  # fmt: skip
    return path


@needs_ffmpeg
def test_assemble_joins_parts_with_pauses(tmp_path: Path, fake_engine) -> None:
    parts = _tone_parts(tmp_path, [2, 3])  # 2 s and 3 s of tone, 1 s after each
    out = tmp_path / "out" / "x.mp3"
    result = assemble(parts, out, AudioOptions.of(title="T"))
    assert [(c.start_ms, c.end_ms) for c in result.chapters] == [(0, 3000), (3000, 7000)]
    assert result.duration_s == pytest.approx(7.0, abs=0.01)
    assert ffprobe_duration(out) == pytest.approx(7.0, abs=0.1)
    assert ffprobe_stream(out) == {"codec_name": "mp3", "sample_rate": "44100", "channels": "1"}
    assert [p.name for p in out.parent.iterdir()] == ["x.mp3"], "no temporary file left"
    assert result.problems == ()


@needs_ffmpeg
def test_engine_edge_silence_is_trimmed_so_pauses_are_exact(tmp_path: Path, fake_engine) -> None:
    from pydub import AudioSegment

    parts = _tone_parts(tmp_path, [1, 1], pause_ms=700)
    padded = AudioSegment.silent(400, frame_rate=22050)
    for part in parts:  # an engine that pads every WAV with 0.4 s of silence at both ends
        (padded + AudioSegment.from_wav(part.wav) + padded).export(part.wav, format="wav")
    result = assemble(parts, tmp_path / "x.mp3", AudioOptions.of())
    starts = [c.start_ms for c in result.chapters]
    # KEEP_LEAD_MS of lead-in and KEEP_TAIL_MS of tail are kept; the rest of the padding goes.
    lead, tail = assemble_module.KEEP_LEAD_MS, assemble_module.KEEP_TAIL_MS
    assert starts[1] == pytest.approx(lead + 1000 + tail + 700, abs=25)
    assert result.duration_s == pytest.approx(2 * (lead + 1000 + tail + 700) / 1000, abs=0.05)


@needs_ffmpeg
def test_bad_wav_is_an_audio_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav")
    with pytest.raises(AudioError, match=r"bad\.wav"):
        assemble([AudioPart(bad, "x")], tmp_path / "x.mp3", AudioOptions.of())
    assert not (tmp_path / "x.mp3").exists()


def test_missing_ffmpeg_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingDependencyError, match="apt-get install ffmpeg"):
        assemble([], tmp_path / "x.mp3", AudioOptions.of())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"bitrate": "64kbps"}, "bitrate must be like 64k"),
        ({"bitrate": "500k"}, "from 32k to 320k"),
        ({"bitrate": "192k", "sample_rate": 22050}, "from 8k to 160k at 22050 Hz"),
        ({"sample_rate": 44000}, "sample_rate must be one of"),
        ({"loudness": -5.0}, "loudness must be at most -10, not -5.0"),
    ],
)
def test_bad_audio_options_are_usage_errors(options: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        AudioOptions.of(**options)


# --- Loudness: the finished MP3, measured by ffmpeg's EBU R128 meter -----------------

TARGET, TOLERANCE, CEILING = -16.0, 1.0, -1.0


def _speech_parts(tmp_path: Path, engine_name: str, minutes: float) -> list[AudioPart]:
    """`minutes` of speech in segments of about 150 words, like a briefing's stories."""
    sentence = (
        "The regional council said on Monday that the new tram line will open in the "
        "spring, after two years of work and a budget that grew by a fifth. "
    )
    words_needed = int(minutes * 175)
    per_part = 150
    parts = []
    with get_engine(engine_name, rate=175) as engine:
        engine.check()
        for i in range(max(1, round(words_needed / per_part))):
            text = " ".join((sentence * 8).split()[: min(per_part, words_needed)])
            wav = tmp_path / f"{engine_name}-{i}.wav"
            engine.render(text, wav)
            parts.append(AudioPart(wav, f"Story {i}", 1600))
    return parts


@needs_ffmpeg
@pytest.mark.parametrize(
    ("engine_name", "minutes"),
    [
        pytest.param("espeak-ng", 0.5, marks=needs_espeak),
        pytest.param("espeak-ng", 8, marks=[*needs_espeak, pytest.mark.slow]),
        pytest.param("pyttsx3", 0.5, marks=needs_espeak),
        pytest.param("piper", 0.5, marks=needs_piper),
    ],
)
def test_episode_is_minus_16_lufs_with_true_peak_under_minus_1(
    tmp_path: Path, engine_name: str, minutes: float
) -> None:
    parts = _speech_parts(tmp_path, engine_name, minutes)
    out = tmp_path / "e.mp3"
    result = assemble(parts, out, AudioOptions.of())
    integrated, true_peak = loudness(out)
    assert integrated == pytest.approx(TARGET, abs=TOLERANCE)
    assert true_peak <= CEILING
    # Raw speech of all three is -20 to -22 LUFS with peaks near 0 dBFS: the limiter works.
    assert result.loudness is not None and result.loudness.limited
    assert ffprobe_duration(out) == pytest.approx(result.duration_s, abs=0.1)


@pytest.mark.slow
@needs_ffmpeg
@needs_espeak
def test_sounds_leave_the_speech_level_alone(tmp_path: Path) -> None:
    # Regression: joining sounds once pulled the gained speech back to 16-bit samples
    # before the limiter, clipping it (+0.9 LU and distortion).
    parts = _speech_parts(tmp_path, "espeak-ng", 2)
    plain, with_sounds = tmp_path / "plain.mp3", tmp_path / "sounds.mp3"
    assemble(parts, plain, AudioOptions.of())
    outro = _tone_file(tmp_path / "outro.wav", 2, 660)
    result = assemble(parts, with_sounds, AudioOptions.of(chime=True, outro_sound=outro))
    # The second chapter starts after the chime, the first part and its 1.6 s pause.
    chime_s = result.chapters[1].start_ms / 1000 - parts_seconds(parts[:1]) - 1.6
    assert 1.0 < chime_s < 2.0
    level_plain, _ = loudness(plain, start=0.0, end=20.0)
    level_sounds, peak_sounds = loudness(with_sounds, start=chime_s, end=chime_s + 20)
    assert level_sounds == pytest.approx(level_plain, abs=0.3)
    assert peak_sounds <= CEILING
    integrated, _ = loudness(with_sounds)
    assert integrated == pytest.approx(TARGET, abs=TOLERANCE)


def parts_seconds(parts: list[AudioPart]) -> float:
    """Length of the parts' speech as assembled: engines' edge silence trimmed."""
    from pydub import AudioSegment

    return sum(len(assemble_module._trim(AudioSegment.from_wav(p.wav))[0]) for p in parts) / 1000


@needs_ffmpeg
def test_loudness_of_a_quiet_tone_and_a_chosen_target(tmp_path: Path, fake_engine) -> None:
    # The fake engine's tone peaks at -21 dBFS: a plain gain, no limiting, reaches it.
    parts = _tone_parts(tmp_path, [5, 5])
    out = tmp_path / "t.mp3"
    result = assemble(parts, out, AudioOptions.of(loudness=-19.0, bitrate="96k"))
    integrated, true_peak = loudness(out)
    assert integrated == pytest.approx(-19.0, abs=TOLERANCE)
    assert true_peak <= CEILING
    assert result.loudness is not None and not result.loudness.limited


# --- Chapters, sounds and tags --------------------------------------------------------


@needs_ffmpeg
def test_chapters_start_where_each_part_is_heard(tmp_path: Path, fake_engine) -> None:
    parts = _tone_parts(tmp_path, [2, 3, 1, 2], pause_ms=1500)
    out = tmp_path / "c.mp3"
    result = assemble(parts, out, AudioOptions.of(chime=True))
    chapters = ffprobe_chapters(out)
    assert [c["title"] for c in chapters] == ["part 0", "part 1", "part 2", "part 3"]
    assert [c["start_ms"] for c in chapters] == [c.start_ms for c in result.chapters]
    assert chapters[0]["start_ms"] == 0  # the first chapter holds the intro chime too
    heard = onsets(out)
    # The chime plays first, then a gap: the first tone starts after it.
    intro_ms = result.chapters[1].start_ms - (2000 + 1500)
    assert intro_ms > 1000
    assert any(abs(t - intro_ms) < 30 for t in heard), (intro_ms, heard)
    for chapter in chapters[1:]:
        assert any(abs(t - chapter["start_ms"]) < 30 for t in heard), (chapter, heard)
    # The outro chime makes the episode end after the last chapter's speech.
    assert chapters[-1]["end_ms"] == round(result.duration_s * 1000)
    assert ffprobe_duration(out) == pytest.approx(result.duration_s, abs=0.1)


@needs_ffmpeg
def test_intro_and_outro_files_are_levelled_below_the_speech(tmp_path: Path, fake_engine) -> None:
    parts = _tone_parts(tmp_path, [4, 4])
    intro = _tone_file(tmp_path / "intro.wav", 3, 880)
    outro = _tone_file(tmp_path / "outro.flac", 2, 660)
    out = tmp_path / "s.mp3"
    result = assemble(parts, out, AudioOptions.of(intro_sound=intro, outro_sound=outro))
    gap = assemble_module.INTRO_GAP_MS
    assert result.chapters[1].start_ms == pytest.approx(3000 + gap + 4000 + 1000, abs=5)
    expected = 3 + gap / 1000 + 10 + assemble_module.OUTRO_GAP_MS / 1000 + 2
    assert result.duration_s == pytest.approx(expected, abs=0.02)
    intro_lufs, _ = loudness(out, start=0.5, end=2.5)
    speech_lufs, _ = loudness(out, start=4.0, end=7.0)
    assert intro_lufs - speech_lufs == pytest.approx(-5.0, abs=1.5)
    assert result.problems == ()


@needs_ffmpeg
def test_unusable_sound_and_cover_are_reported_and_the_episode_made(
    tmp_path: Path, fake_engine
) -> None:
    parts = _tone_parts(tmp_path, [2])
    not_audio = tmp_path / "intro.mp3"
    not_audio.write_text("this is not audio")
    not_image = tmp_path / "cover.jpg"
    not_image.write_text("nor is this an image")
    long_sound = _tone_file(tmp_path / "song.wav", 40)
    out = tmp_path / "p.mp3"
    result = assemble(
        parts,
        out,
        AudioOptions.of(intro_sound=not_audio, outro_sound=long_sound, cover=not_image),
    )
    messages = {p.where: p.message for p in result.problems}
    assert "intro.mp3" in messages["intro_sound"] and "without it" in messages["intro_sound"]
    assert "longer than 30 s" in messages["outro_sound"]
    assert "not a JPEG or PNG" in messages["cover"]
    assert out.exists()
    assert result.chapters[0].start_ms == 0
    assert result.duration_s == pytest.approx(2 + 1 + 0.8 + 30, abs=0.1)


@needs_ffmpeg
def test_tags_cover_lyrics_and_chapter_table(tmp_path: Path, fake_engine) -> None:
    from mutagen.id3 import ID3

    parts = _tone_parts(tmp_path, [1, 1, 1])
    cover = tmp_path / "cover.png"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=navy:s=64x64", "-frames:v", "1",
         str(cover)],
        check=True,
    )  # fmt: skip
    script = "Good morning.\n\nStory one, with “quotes” and ünïcode.\n\nGoodbye.\n"
    out = tmp_path / "tags.mp3"
    options = AudioOptions.of(
        title="Briefing for Tuesday 24 November 2026",
        artist="Me",
        album="My news",
        date="2026-11-24",
        comment="Story one",
        lyrics=script,
        cover=cover,
        sample_rate=48000,
        bitrate="96k",
    )
    assemble(parts, out, options)
    tag = ID3(out)
    assert tag.version[:2] == (2, 3)
    assert str(tag["TIT2"]) == "Briefing for Tuesday 24 November 2026"
    assert (str(tag["TPE1"]), str(tag["TALB"]), str(tag["TCON"])) == ("Me", "My news", "Podcast")
    assert str(tag["TDRC"]) == "2026-11-24"  # TYER + TDAT in the v2.3 file
    assert tag.getall("USLT")[0].text == script
    assert tag.getall("COMM")[0].text == ["Story one"]
    picture = tag.getall("APIC")[0]
    assert picture.mime == "image/png" and picture.data == cover.read_bytes()
    toc = tag.getall("CTOC")[0]
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    chaps = {chap.element_id: chap for chap in tag.getall("CHAP")}
    assert [chaps[i].sub_frames["TIT2"].text[0] for i in toc.child_element_ids] == [
        "part 0",
        "part 1",
        "part 2",
    ]
    stream = ffprobe_stream(out)
    assert stream["sample_rate"] == "48000"
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=bit_rate", "-of", "csv=p=0", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(probe.stdout) == pytest.approx(96_000 + 2_000, abs=8_000)  # + the tag's bytes


@needs_ffmpeg
def test_a_failure_after_encoding_leaves_the_old_episode_and_no_temporary_file(
    tmp_path: Path, fake_engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = _tone_parts(tmp_path, [1])
    out = tmp_path / "out" / "e.mp3"
    out.parent.mkdir()
    out.write_bytes(b"yesterday's episode")

    def fail(*args: object) -> None:
        raise AudioError("disk full while tagging")

    monkeypatch.setattr(assemble_module, "write_tags", fail)
    with pytest.raises(AudioError, match="disk full"):
        assemble(parts, out, AudioOptions.of())
    assert out.read_bytes() == b"yesterday's episode"
    assert [p.name for p in out.parent.iterdir()] == ["e.mp3"]


@needs_ffmpeg
def test_ffmpeg_failure_names_the_command_and_its_error(tmp_path: Path) -> None:
    from briefing.audio.ffmpeg import run_piped

    missing = str(tmp_path / "no-such-file.wav")
    consumer = ["-f", "s16le", "-i", "-", "-f", "null", "-"]
    with pytest.raises(AudioError, match=r"encoding x failed: .*no-such-file.*command: ffmpeg"):
        run_piped(["-i", missing, "-f", "s16le", "-"], consumer, "encoding x")


@needs_ffmpeg
def test_an_unwritable_output_is_one_clear_error(tmp_path: Path, fake_engine) -> None:
    parts = _tone_parts(tmp_path, [1])
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the output directory should be")
    with pytest.raises(OutputError, match=r"cannot write .*not-a-directory"):
        assemble(parts, blocker / "e.mp3", AudioOptions.of())


def test_episodes_embed_the_feeds_cover_unless_they_name_their_own(tmp_path: Path) -> None:
    feed, own = tmp_path / "feed.png", tmp_path / "own.jpg"
    day = dt.date(2026, 11, 24)
    assert audio_options(AudioSettings(), day, feed).cover == feed
    assert audio_options(AudioSettings(cover=own), day, feed).cover == own
    assert audio_options(AudioSettings(), day).cover is None


@needs_ffmpeg
def test_hundreds_of_chapters_are_listed_by_nested_tables(tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    from briefing.audio.tags import EpisodeTags, write_tags
    from briefing.models import Chapter

    mp3 = tmp_path / "long.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "7",
         "-c:a", "libmp3lame", "-b:a", "32k", str(mp3)],
        check=True,
    )  # fmt: skip
    # A CTOC counts its entries in one byte: 600 stories once crashed the tag writer.
    chapters = [Chapter(f"story {i}", i * 10, i * 10 + 10) for i in range(600)]
    write_tags(mp3, EpisodeTags(title="t"), tuple(chapters))
    tag = ID3(mp3)
    tables = {t.element_id: t for t in tag.getall("CTOC")}
    assert tables["toc"].child_element_ids == ["toc0", "toc1", "toc2"]
    listed = [c for sub in ("toc0", "toc1", "toc2") for c in tables[sub].child_element_ids]
    assert listed == [f"chp{i}" for i in range(600)]
    assert [len(tables[s].child_element_ids) for s in ("toc0", "toc1", "toc2")] == [255, 255, 90]
    found = ffprobe_chapters(mp3)
    assert [c["title"] for c in found] == [f"story {i}" for i in range(600)]


# --- Clean joins -------------------------------------------------------------------------

NEWS = (
    "Good morning. It's Tuesday, the twenty-fourth of November.",
    "Council passes budget.",
    "The city council approved a new budget on Monday after weeks of debate.",
    "Storm hits coast.",
    "A storm hit the coast on Sunday. Thousands lost power.",
    "Schools closed.",
    "Prices rose three point five percent in the twelve months to March.",
    "The vote was fifty-two to forty-eight.",
    "Talks resume next week.",
    "The mayor said the new buses will arrive next spring.",
    "Residents can comment on the plan until the end of the month.",
    "That's all for today. Goodbye.",
)


@needs_espeak
def test_joins_fade_every_edge_and_chapters_start_where_speech_is_heard(
    tmp_path: Path,
) -> None:
    from tests.helpers import frame_peaks_db, hard_endings, hard_onsets

    parts, raw_edge, raw_inside, raw_end = [], [0, 0], [0, 0], 0
    with get_engine("espeak-ng") as engine:
        for i, text in enumerate(NEWS):
            wav = tmp_path / f"s{i}.wav"
            engine.render(text, wav)
            with wave.open(str(wav), "rb") as w:
                rate, pcm = w.getframerate(), w.readframes(w.getnframes())
            endings, onsets = hard_endings(pcm, rate), hard_onsets(pcm, rate)
            last = len(frame_peaks_db(pcm, rate))
            sound = [i for i, d in enumerate(frame_peaks_db(pcm, rate)) if d >= -60]
            # At the segment's edges: the first sound and the last silence.
            edge = [j for j in endings if j > sound[-1]] + [j for j in onsets if j <= sound[0]]
            raw_end += len([j for j in endings if j > sound[-1]])
            raw_edge[0] += len(edge)
            raw_inside[0] += len(endings) + len(onsets) - len(edge)
            assert last > sound[-1]
            parts.append(AudioPart(wav, f"part {i}", pause_after_ms=600))
    joined = assemble_module.join_parts(parts, tmp_path, AudioOptions())
    pcm = joined.speech.read_bytes()
    db = frame_peaks_db(pcm, joined.rate)
    marks = [round(s * 1000 / joined.rate) for s in joined.starts]
    edges = set()
    for ms in marks:  # a part's sound begins after its mark and ends before the next
        edges.add(next(i for i in range(ms, len(db)) if db[i] >= -60))
    for ms in [*marks[1:], len(db)]:
        edges.add(max(i for i in range(ms) if db[i] >= -60) + 1)
    found = hard_endings(pcm, joined.rate) + hard_onsets(pcm, joined.rate)
    joined_edge = [j for j in found if any(abs(j - e) <= 2 for e in edges)]
    raw_edge[1], raw_inside[1] = len(joined_edge), len(found) - len(joined_edge)
    print(f"hard edges at the {2 * len(NEWS)} segment edges: {raw_edge[0]} raw ({raw_end} "
          f"endings) -> {raw_edge[1]} joined; inside segments: {raw_inside[0]} -> "
          f"{raw_inside[1]}")  # fmt: skip
    # espeak-ng stops (or starts) dead at many of these edges; joined, at none.
    assert raw_end >= 3 and raw_edge[0] >= len(NEWS) // 2
    assert raw_edge[1] == 0
    assert raw_inside[1] == raw_inside[0], "inside a segment the audio is left alone"
    for ms in marks:
        heard = next(i for i in range(ms, len(db)) if db[i] >= -40)
        assert 0 <= heard - ms <= 25, "the chapter mark is within 25 ms of the speech"
        assert max(db[max(0, ms - 200) : ms], default=-120) < -50, "no speech before it"


def test_the_encoder_level_is_measured_once_per_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.audio import loudness

    measured: list[tuple[str, ...]] = []

    def measure(args: tuple[str, ...], rate: int, timeout: float | None) -> float:
        measured.append(args)
        return 0.45

    monkeypatch.setattr(loudness, "_measure_encoder_loss", measure)
    cache = tmp_path / "state" / "encoder-loss.json"
    args64, args96 = ("-b:a", "64k"), ("-b:a", "96k")
    loudness.encoder_loss_db.cache_clear()  # each morning is a new process
    assert loudness.encoder_loss_db(args64, 44100, cache) == 0.45
    loudness.encoder_loss_db.cache_clear()
    assert loudness.encoder_loss_db(args64, 44100, cache) == 0.45
    assert measured == [args64]  # the second morning reads it back
    loudness.encoder_loss_db(args96, 44100, cache)
    assert measured == [args64, args96]  # another setting is measured
    cache.write_text("not json")
    loudness.encoder_loss_db.cache_clear()
    assert loudness.encoder_loss_db(args64, 44100, cache) == 0.45  # damaged: measured again
    assert len(measured) == 3
