"""The intelligibility benchmark's scoring: what counts as the same words heard."""

import pytest

from bench import intelligibility as bench


@pytest.mark.parametrize(
    ("written", "heard"),
    [
        ("It will cost $5.2 billion.", "it will cost five point two billion dollars"),
        (
            "On Dec. 1, 2025, Gen. Smith spoke.",
            "On December first, twenty twenty-five, General Smith spoke",
        ),
        ('Dr. Jones called it "a start".', "Doctor Jones called it a start"),
        ("The city’s budget rose 7.5%.", "the city's budget rose seven point five percent"),
    ],
)
def test_a_transcript_in_digits_scores_as_the_words_spoken(written: str, heard: str) -> None:
    assert bench.scoring_words(written) == bench.scoring_words(heard)


def test_scoring_drops_case_and_punctuation_but_keeps_different_words_apart() -> None:
    assert bench.scoring_words("Hello, WORLD!") == "hello world"
    assert bench.scoring_words("three quarters") != bench.scoring_words("free quarter")


def test_the_texts_are_our_paragraphs_in_two_halves_the_seeds_script_and_numbers() -> None:
    texts = bench.texts(quick=False)
    assert [t.name for t in texts] == [
        "paragraphs, tuning half",
        "paragraphs, held out",
        "seeds/ briefing script",
        "summaries, held out",
        "number-dense paragraph",
    ]
    tuning, held_out = texts[0].segments, texts[1].segments
    assert len(tuning) + len(held_out) >= 12 and not set(tuning) & set(held_out)
    assert len(tuning) == len(held_out)
    script = texts[2].segments
    assert len(script) >= 5  # greeting, stories, sign-off
    assert all(segment.strip() for segment in script)
    summaries = texts[3].segments
    assert len(summaries) == bench.SUMMARIES and all(len(s.split()) >= 20 for s in summaries)
    # Held out: every summary is said from an odd-numbered article, none from the tuning half.
    from bench.summarize import BUNDLED_DATA, load_examples

    articles = [e.article for e in load_examples(BUNDLED_DATA, 2 * bench.SUMMARIES)]
    for summary in summaries:
        start = summary[:40]
        assert any(start in a for a in articles[1::2])
        assert not any(start in a for a in articles[0::2])


def test_mishearings_are_listed_most_frequent_first() -> None:
    heard = bench.Heard(
        reference=["the vote was close", "it was late"],
        transcript=["the vote one close", "it one"],
        audio_s=1.0,
        synth_s=1.0,
    )
    assert bench.misheard(heard) == "was → one (2x); late → (nothing)"


def test_the_reference_is_scored_without_the_lexicon() -> None:
    # The listener should hear the name; the recognizer writes it as spelled.
    assert bench.scoring_words("They met in Niamey.") == "they met in niamey"


def test_engine_specs_set_rate_and_settings(fake_engine) -> None:
    engine = bench.make_engine("fake:rate=160")
    assert engine.rate == 160
    with pytest.raises(SystemExit, match="no setting noise_scale"):
        bench.make_engine("fake:noise_scale=0")


def test_long_audio_is_cut_at_pauses_into_pieces_whisper_reads_whole(tmp_path) -> None:
    from pydub import AudioSegment
    from pydub.generators import Sine

    tone = Sine(220).to_audio_segment(2300).set_frame_rate(16000).apply_gain(-10)
    pause = AudioSegment.silent(700, frame_rate=16000)
    audio = tone
    for _ in range(17):  # 17 pauses, 51 s in all
        audio += pause + tone
    wav = tmp_path / "long.wav"
    audio.export(str(wav), format="wav")
    pieces = bench.pieces_of(wav)
    lengths = [len(AudioSegment.from_wav(str(p))) for p in pieces]
    assert sum(lengths) == len(audio)
    assert all(bench.MIN_PIECE_S * 1000 <= n <= bench.MAX_PIECE_S * 1000 for n in lengths[:-1])
    assert len(pieces) >= 3
    short = tmp_path / "short.wav"
    tone.export(str(short), format="wav")
    assert bench.pieces_of(short) == [short]


def test_british_and_american_spellings_of_one_sound_score_alike_unless_strict() -> None:
    written, heard = (
        "The defence minister signalled a programme.",
        "the defense minister signaled a program",
    )
    assert bench.scoring_words(written) == bench.scoring_words(heard)
    assert bench.scoring_words(written, strict=True) != bench.scoring_words(heard, strict=True)
    # Only spellings: different words stay different.
    assert bench.scoring_words("a bloc") != bench.scoring_words("a block")


def test_accents_are_dropped_unless_strict() -> None:
    written, heard = "António Guterres spoke in Belém.", "Antonio Guterres spoke in Belem"
    assert (
        bench.scoring_words(written)
        == bench.scoring_words(heard)
        == ("antonio guterres spoke in belem")
    )
    assert bench.scoring_words(written, strict=True) != bench.scoring_words(heard, strict=True)


def _row(
    text: str, engine: str, words: int, wer: float, p808: str, errors: tuple[int, ...] = (0,) * 4
) -> list[object]:
    substituted, deleted, inserted, in_names = errors
    return [
        text,
        engine,
        "normalized",
        f"{words:,}",
        "1.0",
        f"{wer:.1f}",
        "9.9",
        substituted,
        deleted,
        inserted,
        p808,
        "3x",
        in_names,
    ]


def test_targets_are_judged_on_pooled_wer_and_the_default_engines_p808() -> None:
    rows = [
        _row("paragraphs, held out", "kokoro", 300, 5.0, "4.10", (10, 2, 3, 12)),
        _row("seeds/ briefing script", "kokoro", 700, 8.0, "3.90"),
        _row("paragraphs, held out", "piper", 300, 20.0, ""),
    ]
    lines = bench.verdicts(rows)
    assert "held-out paragraphs: pooled WER 5.0% (target <= 6%): met" in lines[0]
    assert lines[0].endswith("met; 12 of its 15 word errors in names")
    assert "DNSMOS P.808 4.10 (target >= 4.0): met" in lines[1]
    assert "seeds briefing: pooled WER 8.0% (target <= 7%): missed by 1.0 points" in lines[2]
    assert "DNSMOS P.808 3.90 (target >= 4.0): missed by 0.10" in lines[3]
    assert (
        lines[4]
        == "- piper, held-out paragraphs: pooled WER 20.0% (target <= 15%): missed by 5.0 points"
    )
    assert len(lines) == 5


def test_errors_in_names_counts_misheard_names_and_words_inserted_beside_them() -> None:
    segment = "Leaders met in Niamey on Monday, officials said."
    names = bench.name_words(segment)
    assert names == {"niamey", "monday"}  # "Leaders" starts the sentence
    heard = bench.Heard(
        reference=[bench.scoring_words(segment)],
        transcript=["leaders met in nia me on monday official said"],
        audio_s=1.0,
        synth_s=1.0,
        names=[names],
    )
    # niamey -> "nia" (substituted) and "me" (inserted) are in the name; "official" is not.
    assert bench.errors_in_names(heard) == 2
    heard.transcript = [bench.scoring_words(segment)]
    assert bench.errors_in_names(heard) == 0


def test_name_words_skip_sentence_and_quote_openings() -> None:
    text = 'Talks went on. "It will end," Merz told Reuters in Berlin.'
    assert bench.name_words(text) == {"merz", "reuters", "berlin"}
