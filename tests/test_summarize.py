from briefing.models import Article
from briefing.summarize import summarize
from tests.helpers import BODY


def test_summary_keeps_document_order_and_size() -> None:
    story = summarize(Article("Council passes budget", BODY, source="Daily"), max_sentences=3)
    assert len(story.sentences) == 3
    positions = [BODY.index(s) for s in story.sentences]
    assert positions == sorted(positions)
    assert story.sources == ("Daily",)


def test_lead_sentence_is_chosen() -> None:
    story = summarize(Article("Council passes budget", BODY), max_sentences=2)
    assert story.sentences[0].startswith("The city council approved")


def test_short_article_returns_what_it_has() -> None:
    story = summarize(Article("H", "Only one sentence here about the news."), max_sentences=3)
    assert story.sentences == ("Only one sentence here about the news.",)


def test_empty_body_gives_empty_story() -> None:
    assert summarize(Article("H", "   "), 3).sentences == ()


def test_near_duplicate_sentences_are_not_both_chosen() -> None:
    body = (
        "The council approved the budget on Monday night. "
        "The council approved the budget on Monday night, officials said. "
        "Bus fares will fall next year under the plan."
    )
    story = summarize(Article("Council approves budget", body), max_sentences=2)
    assert len(story.sentences) == 2
    assert story.sentences[1] == "Bus fares will fall next year under the plan."
