from briefing import nlp


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Gen. Smith met Dr. Jones in the U.S. on Dec. 1. They talked for an hour."
    assert nlp.split_sentences(text) == [
        "Gen. Smith met Dr. Jones in the U.S. on Dec. 1.",
        "They talked for an hour.",
    ]


def test_paragraph_breaks_end_sentences_even_without_punctuation() -> None:
    assert nlp.split_sentences("A headline line\n\nThe body starts here.") == [
        "A headline line",
        "The body starts here.",
    ]


def test_content_terms_stem_and_drop_stopwords_and_possessives() -> None:
    assert nlp.content_terms("The running dogs are barking at NATO’s chief") == [
        "run",
        "dog",
        "bark",
        "nato",
        "chief",
    ]


def test_stopwords_ship_with_the_package() -> None:
    stop = nlp.stopwords("en")
    assert {"the", "and", "of"} <= stop
    assert "budget" not in stop
