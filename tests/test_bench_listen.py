"""The listen-ability checker flags each kind of defect, and not a clean summary."""

from bench import listen
from bench.summarize import Example

ARTICLE = (
    "Rand Paul launched his campaign for president on Tuesday in Louisville, Kentucky. "
    "On Friday, the 52-year-old libertarian lawmaker from Kentucky shared a video of himself "
    "shredding the tax code. Paul promised to cut taxes for every family in the country. "
    "Celtic were awarded a 3-0 walkover after Rangers failed to field a team on Saturday. "
    "Rangers were deemed to have lost the game 3-0 by the league's panel."
)


def kinds(summary: list[str], article: str = ARTICLE) -> list[str]:
    return [d.kind for d in listen.check(summary, article)]


def test_a_clean_lead_has_no_defect() -> None:
    assert kinds([ARTICLE.split(". ")[0] + "."]) == []


def test_an_opener_about_someone_not_yet_named_is_a_reference_defect() -> None:
    opener = (
        "On Friday, the 52-year-old libertarian lawmaker from Kentucky shared a video of "
        "himself shredding the tax code."
    )
    assert kinds([opener]) == ["reference"]
    assert kinds(["As a consequence, the match was awarded to the home side."]) == ["reference"]
    # A surname alone, after the article gave the full name.
    assert kinds(["Paul promised to cut taxes for every family in the country."]) == ["reference"]
    # A pronoun out of place later on; right after its sentence it is fine.
    lead = "Rand Paul launched his campaign for president on Tuesday in Louisville, Kentucky."
    later = "Rangers were deemed to have lost the game 3-0 by the league's panel."
    assert kinds([lead, "He promised to cut taxes for every family in the country."]) == [
        "reference"
    ]
    assert kinds([lead, later]) == []


def test_captions_and_credits_are_flagged() -> None:
    article = (
        "Eugenie Bouchard lost in the second round in Charleston on Tuesday. Eugenie "
        "Bouchard reacts after losing a point at the Family Circle Cup Bouchard shows her "
        "frustrations during her straight-sets defeat in Charleston on Tuesday afternoon "
        "The Canadian has now lost six of her last seven matches on the tour this season."
    )
    glued = article.split("Tuesday. ")[1]
    assert kinds([glued], article) == ["caption"]
    assert kinds(["Haul: The cherry picker collecting parcels from the prison roof."]) == [
        "caption"
    ]
    # A sentence the article does not end, although the summary added a full stop.
    unended = "Eugenie Bouchard reacts after losing a point at the Family Circle Cup."
    assert kinds([unended], article.replace(" Bouchard shows", ". Bouchard shows")) == []
    assert kinds(["Eugenie Bouchard lost in the second round."], "Eugenie Bouchard lost in the "
                 "second round Bouchard shows her frustrations.") == ["caption"]  # fmt: skip
    credit = "(The Hollywood Reporter)Stan Freberg, the satirist, has died at 88."
    assert kinds([credit], credit) == ["credit"]
    assert kinds(["Kathmandu, Nepal (CNN)Rescuers pulled a man from the rubble."]) == ["credit"]


def test_the_same_fact_twice_and_a_cut_sentence_are_flagged() -> None:
    walkover = [
        "Celtic were awarded a 3-0 walkover after Rangers failed to field a team on Saturday.",
        "Rangers were deemed to have lost the game 3-0 by the league's panel.",
    ]
    assert kinds(walkover) == ["repeat"]
    assert kinds(["an insider told the site on Monday night."]) == ["cut"]
    assert kinds(['A reporter told the man: "I am on television and you are not.']) == ["cut"]


def test_report_counts_defects_per_100_summaries_for_both_methods() -> None:
    examples = [
        Example("", ARTICLE, "Rand Paul runs for president."),
        Example("", "(CNN)" + ARTICLE, "Rand Paul runs for president."),
    ]
    results = listen.run(examples)
    assert set(results) == {(m, s) for m in listen.METHODS for _, _, s in listen.SETTINGS}
    # Lead-3 reads "(CNN)" in the second article; ours strips it.
    assert any(d.kind == "credit" for d in results["Lead-3 / Lead", "3 sent"][1])
    assert not any(d.kind == "credit" for d in results["briefing (ours)", "3 sent"][1])
    markdown = listen.report(results, [0, 1])
    credit_row = next(r for r in markdown.splitlines() if r.startswith("| credit"))
    assert credit_row.split("|")[2:6] == [" 0 ", " 0 ", " 50 ", " 50 "]
