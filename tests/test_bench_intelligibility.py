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


def test_the_seeds_script_is_spoken_segment_by_segment() -> None:
    texts = bench.texts(quick=False)
    assert [t.name for t in texts] == ["seeds/ briefing script", "number-dense paragraph"]
    script = texts[0].segments
    assert len(script) >= 5  # greeting, stories, sign-off
    assert all(segment.strip() for segment in script)


def test_mishearings_are_listed_most_frequent_first() -> None:
    heard = bench.Heard(
        reference=["the vote was close", "it was late"],
        transcript=["the vote one close", "it one"],
        audio_s=1.0,
        synth_s=1.0,
    )
    assert bench.misheard(heard) == "was → one (2x); late → (nothing)"
