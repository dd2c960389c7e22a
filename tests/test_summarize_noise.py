"""Summaries that no longer read captions: page furniture is noise before ranking, and
an opening whose referent is missing gives way to a later sentence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.models import Article
from briefing.nlp import language
from briefing.summarize import noise, summarize
from briefing.summarize.text import candidates
from tests.helpers import examples

LEAD = "The city council approved a new budget for the bus network on Tuesday evening."
REST = (
    "Fares will stay the same for two more years under the plan agreed by councillors. "
    "Officials said the money would pay for forty new electric buses by next spring."
)


def _texts(body: str) -> list[str]:
    return [c.text for c in candidates(body)]


def test_widgets_and_sentences_that_point_at_the_page_are_not_candidates() -> None:
    furniture = [
        "She wore it to dinner at Intermix in New York Topshop striped zip through "
        "skirt £29 Earn your style stripes!",
        "The results are shown in the plot above, which the team drew from the data.",
        "Scroll down to see the full list of the winners of the awards.",
        "Click here to read the full story of the council and its buses.",
        "West Bromwich Albion vs Leicester City (The Hawthorns) Team news West Brom "
        "Craig Dawson is set to return.",
        "Here is all the information you need for the home clash with Leicester.",
        "The couple pictured at the premiere of the film last night in London.",
    ]
    for line in furniture:
        assert noise.noise(line), line
        assert line not in _texts(f"{LEAD} {line} {REST}")
    assert noise.noise(LEAD) is None
    assert noise.noise("She was pictured leaving the court with her lawyer on Monday.") is None
    assert noise.noise("Temperatures fell below zero across the north overnight.") is None


def test_where_a_photo_is_said_inside_a_sentence_it_is_left_out() -> None:
    said = noise.strip_asides("Mr Smith, pictured with his wife in 2010, said he would stay.")
    assert said == "Mr Smith said he would stay."
    assert noise.strip_asides("The mayor (pictured left) opened the bridge.") == (
        "The mayor opened the bridge."
    )


def test_a_headline_or_caption_run_into_the_lead_is_cut_off() -> None:
    glued = (
        "David Cameron will say that high taxes are immoral as households receive a tax cut "
        "David Cameron will say today that high taxes and wasteful spending are immoral."
    )
    assert noise.split_glued(glued) == [
        "David Cameron will say that high taxes are immoral as households receive a tax cut",
        "David Cameron will say today that high taxes and wasteful spending are immoral.",
    ]
    texts = _texts(f"{glued} {REST}")
    assert texts[0].startswith("David Cameron will say today")
    caption = (
        "Police said the boy fell asleep in the car and was kidnapped when it was stolen "
        "An eight-year-old boy slept through his own kidnapping after the car was taken."
    )
    assert noise.split_glued(caption)[1].startswith("An eight-year-old boy")
    quote = "But he said: 'You should not say no.' The early favourite for the post is Vaughan."
    assert noise.split_glued(quote) == [
        "But he said: 'You should not say no.'",
        "The early favourite for the post is Vaughan.",
    ]


def test_a_sentence_run_into_the_next_without_a_space_is_cut_there() -> None:
    glued = "He was forced to stay, a court has heard.Shocking allegations were revealed."
    assert noise.split_glued(glued) == [
        "He was forced to stay, a court has heard.",
        "Shocking allegations were revealed.",
    ]
    assert noise.split_glued("He said no!Then he left.") == ["He said no!", "Then he left."]
    # Not the end of a sentence: a title glued to a name, initials, a web address.
    for whole in ("He met Mrs.Smith there.", "The U.S.Army came.", "See www.Example.com now."):
        assert noise.split_glued(whole) == [whole]
    texts = _texts(f"{glued} {REST}")
    assert not any("heard.Shocking" in t for t in texts)


def test_a_name_cut_at_its_initials_is_joined_again() -> None:
    body = "Blues legend B.B. King was in hospital for dehydration on Monday. " + REST
    assert _texts(body)[0].startswith("Blues legend B.B. King was in hospital")
    # Initials of a country end a sentence as usual.
    assert noise.join_initials(["He moved to the U.S.", "The next year he left."]) == [
        "He moved to the U.S.",
        "The next year he left.",
    ]


def test_an_opening_whose_referent_is_missing_gives_way_to_a_later_sentence() -> None:
    assert noise.no_referent("The quaint capital city has banned cars from its centre.")
    assert noise.no_referent("It's hard to believe that his famous song is 44 years old.")
    assert noise.no_referent("The Premier League side lost again at home on Saturday.") is False
    assert not noise.no_referent("The city of Leeds has banned cars from its centre.")
    assert not noise.no_referent("The country's biggest bank said profits rose.")
    assert not noise.no_referent("Economy passengers wish they were in first class.")
    assert not noise.no_referent("A schoolboy says he is allergic to sunlight.")
    body = (
        "The quaint capital city has banned cars from its old centre from next month. "
        "Vaduz, the capital of Liechtenstein, will close its main street to traffic in May. "
        "Shops in the centre said they welcomed the plan to bring more walkers."
    )
    story = summarize(Article("Cars banned", body), 2)
    assert story.sentences[0].startswith("Vaduz, the capital of Liechtenstein")


def test_a_story_whose_sentences_all_lean_back_is_still_told() -> None:
    body = (
        "The quaint capital city has banned cars from its old centre from next month. "
        "The small town will also close two car parks near the river in the spring."
    )
    assert summarize(Article("Cars banned", body), 2).sentences


def test_numbers_heavy_english_is_english() -> None:
    # Issue 18: an English cricket-statistics article was refused as not a language.
    scorecard = (
        "England v Australia, 1st Test, Edgbaston, day 4 of 5.\n"
        "England 1st inns: Burns c Paine b Cummins 133 (312b, 16x4), Roy c Warner b "
        "Siddle 10, Root c Smith b Pattinson 57 (130b, 5x4), Denly c Paine b Pattinson 18, "
        "Buttler b Siddle 5, Stokes lbw b Cummins 50 (77b, 5x4), Bairstow c Warner b Lyon "
        "8, Moeen Ali b Lyon 0, Woakes c Paine b Cummins 37, Broad not out 29. Extras 24. "
        "Total 374 (135.5 ov). FoW 1-22, 2-154, 3-189, 4-194, 5-282, 6-300, 7-300. "
        "Bowling Cummins 33-9-84-3, Pattinson 27-9-82-2, Siddle 25.5-2-86-2, Lyon "
        "43-8-112-3.\nSmith: 144 & 142, Test avg 62.96, 25 hundreds in 119 inns; Wade: "
        "110, first Test 100 since 2013. Lyon 6-49 in the 4th inns, 350 Test wkts, avg "
        "31.57, SR 64.1, econ 2.95."
    )
    assert language.detect(scorecard).code == "en"
    german = (
        "Die Mannschaft gewann das Spiel mit 3:1 und steht nun auf dem ersten Platz der "
        "Tabelle, nachdem sie in der zweiten Halbzeit zwei Tore erzielt hatte. 12 34 56."
    )
    assert language.detect(german).code == "de"


@settings(max_examples=examples(30), deadline=None)
@given(
    st.sampled_from(["a ", "( ", "The ", "B. ", "£1 ", "pictured ", "An a"]), st.integers(1, 4000)
)
def test_noise_finishes_on_pathological_input(piece: str, n: int) -> None:
    # Linear-time patterns: these finish at once (bench.normalize times the like).
    text = piece * n
    noise.noise(text)
    noise.no_referent(text)
    assert noise.strip_asides(text).split() == text.split() or "(" in text
    assert " ".join(noise.split_glued(text)).split() == text.split()
