"""The pronunciation lexicon: whole-word, case-aware respelling; bad entries are warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.normalize import Lexicon, builtin_lexicon, load_lexicon, normalize_for_speech
from briefing.normalize.lexicon import check_entry, parse_lexicon
from tests.helpers import examples

ENTRIES = {
    "Niamey": "Nee-ah-may",
    "AU": "A.U",
    "Mahamadou Issoufou": "Mahama-doo Ee-soo-foo",
    "Mahamadou": "Mahama-doo",
    "sejm": "same",
    "U.S.": "United States",
}

APPLY = [
    ("Talks in Niamey ended.", "Talks in Nee-ah-may ended."),
    ("NIAMEY TALKS", "Nee-ah-may TALKS"),  # capitals of a capitalized key
    ("niamey", "niamey"),  # ... but not lower case: a key with a capital is case-aware
    ("Niamey's mayor, Niamey-based", "Nee-ah-may's mayor, Nee-ah-may-based"),
    ("Niameyan Niamey2 xNiamey", "Niameyan Niamey2 xNiamey"),  # whole words only
    ("The AU met; au revoir; AUs", "The A.U met; au revoir; AUs"),
    ("Mahamadou Issoufou spoke.", "Mahama-doo Ee-soo-foo spoke."),  # longest first
    ("Mahamadou spoke.", "Mahama-doo spoke."),
    ("Mahamadou  Issoufou", "Mahama-doo  Issoufou"),  # a phrase is matched as written
    ("The Sejm and the SEJM and the sejm.", "The Same and the Same and the same."),
    ("The U.S. said.", "The United States said."),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), APPLY)
def test_apply(text: str, expected: str) -> None:
    assert Lexicon(ENTRIES).apply(text) == expected


def test_merged_user_entries_win() -> None:
    mine = Lexicon({"Niamey": "Nyah-may", "Kyiv": "Keev"})
    both = Lexicon(ENTRIES).merged(mine)
    assert both.apply("Niamey, Kyiv, the AU") == "Nyah-may, Keev, the A.U"
    assert not Lexicon() and both


def test_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text('# mine\nNiamey = "Nee-ah-may"\n"Sinn Féin" = " Shin Fayn "\n', "utf-8")
    lexicon, problems = load_lexicon(path)
    assert problems == []
    assert lexicon.entries == {"Niamey": "Nee-ah-may", "Sinn Féin": "Shin Fayn"}


B_KOKORO = '{ say = "B", engine = ["kokoro"] }'
BAD_ENTRIES = [
    ("Kyiv = 3", "'Kyiv' is ignored: the respelling must be text in quotes, not int"),
    ("Kyiv = []", "the list is empty"),
    ("[Kyiv]\nx = 'y'", "a table must be { say"),
    ('Kyiv = ""', "the respelling is empty"),
    ('Kyiv = "   "', "the respelling is empty"),
    ('"" = "x"', "the word must start with a letter or digit"),
    ('"-x" = "x"', "the word must start with a letter or digit"),
    ('"x " = "x"', "must not start or end with a space"),
    (f'"{"k" * 101}" = "x"', "longer than 100 characters"),
    (f'Kyiv = "{"x" * 201}"', "one line of at most 200 characters"),
    ('Kyiv = "a\\nb"', "one line"),
    # A list gives engines their own respellings; a bad list is one problem like the rest.
    ('Kyiv = [["Keev"]]', "item 1 of the list: a list in a list"),
    ('Kyiv = ["Keev", 3]', "item 2 of the list: the respelling must be text in quotes, not int"),
    (f'Kyiv = [{{ say = "A", engine = "kokoro" }}, {B_KOKORO}]', "'kokoro' is named twice"),
    (
        f'Kyiv = [{{ say = "A", engine = ["piper", "kokoro"] }}, {B_KOKORO}]',
        "'kokoro' is named twice",
    ),
    ('Kyiv = [{ say = "A", engine = ["kokoro", "kokoro"] }]', "'kokoro' is named twice"),
    ('Kyiv = ["A", { say = "B" }]', "more than one respelling in the list is for every engine"),
    ('Kyiv = [{ say = "A", engine = "piper" }, { say = "", engine = "kokoro" }]', "empty"),
    ('Kyiv = [{ say = "A", engine = [] }]', "item 1 of the list: engine must be"),
    ('Kyiv = [{ say = "A", engines = "piper" }]', "item 1 of the list: a table must be"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "why"), BAD_ENTRIES)
def test_a_bad_entry_is_one_warning_and_the_rest_is_used(
    tmp_path: Path, line: str, why: str
) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(f'Niamey = "Nee-ah-may"\n{line}\n', "utf-8")
    lexicon, problems = load_lexicon(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: entry ") and why in problems[0]
    assert "\n" not in problems[0]
    assert lexicon.entries == {"Niamey": "Nee-ah-may"}


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'Niamey = "unterminated\n', "not valid TOML"),
        (b"Niamey\n", "not valid TOML"),
        (b'Niamey = "a"\nNiamey = "b"\n', "not valid TOML"),  # a key twice
        (b"\xff\xfe\x00", "cannot read the lexicon"),
    ],
)
def test_a_bad_file_is_one_warning_and_no_entries(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_bytes(content)
    lexicon, problems = load_lexicon(path)
    assert len(problems) == 1 and why in problems[0] and str(path) in problems[0]
    assert not lexicon


def test_a_missing_or_unreadable_file(tmp_path: Path) -> None:
    lexicon, problems = load_lexicon(tmp_path / "absent.toml")
    assert not lexicon and problems == [f"{tmp_path / 'absent.toml'}: no such lexicon file; "
                                        "no lexicon entries are used"]  # fmt: skip
    lexicon, problems = load_lexicon(tmp_path)  # a folder
    assert not lexicon and len(problems) == 1 and "cannot read" in problems[0]


def test_the_builtin_lexicon_is_clean() -> None:
    text = Path("briefing/data/lexicon-en.toml").read_text("utf-8")
    lexicon, problems = parse_lexicon(text, "builtin")
    assert problems == []
    assert builtin_lexicon().entries == lexicon.entries
    for key, value in lexicon.entries.items():
        assert check_entry(key, value) is None
        assert key != value


def test_normalize_applies_the_builtin_lexicon_for_english_only() -> None:
    entries = builtin_lexicon().entries
    if not entries:
        pytest.skip("the built-in lexicon has no entries")
    key, value = next(iter(entries.items()))
    sentence = f"They met {key} today."
    assert value.split()[0] in normalize_for_speech(sentence)
    assert key in normalize_for_speech(sentence, "en", lexicon=Lexicon())
    assert key in normalize_for_speech(sentence, "de")


def test_normalize_takes_a_user_lexicon_in_any_language() -> None:
    mine = Lexicon({"Niamey": "Nee-ah-may", "Dr": "Drive"})
    assert normalize_for_speech("Talks in Niamey.", "en", mine) == "Talks in Nee-ah-may."
    assert normalize_for_speech("Gespräche in Niamey.", "de", mine) == "Gespräche in Nee-ah-may."
    # Applied first: the respelling then goes through the other rules like any text.
    assert normalize_for_speech("Price: 5 Niamey", "en", mine) == "Price: five Nee-ah-may"


WORDS = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12)


@settings(max_examples=examples(300), deadline=None)
@given(st.dictionaries(WORDS, WORDS, max_size=8), st.text(max_size=200))
def test_any_lexicon_on_any_text_gives_text(entries: dict[str, str], text: str) -> None:
    usable = {k: v for k, v in entries.items() if check_entry(k, v) is None}
    lexicon = Lexicon(usable)
    out = lexicon.apply(text)
    assert isinstance(out, str)
    assert isinstance(normalize_for_speech(text, "en", lexicon), str)
    if not any(k.casefold() in text.casefold() for k in usable):
        assert out == text  # nothing to respell: nothing changes


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=300))
def test_any_file_content_gives_a_lexicon_and_problems(text: str) -> None:
    lexicon, problems = parse_lexicon(text, "x.toml")
    assert isinstance(lexicon, Lexicon) and all(isinstance(p, str) for p in problems)
    assert all(check_entry(k, v) is None for k, v in lexicon.entries.items())


def test_an_entry_can_be_for_one_engine_or_a_few() -> None:
    from briefing.normalize.lexicon import parse_lexicon

    lexicon, problems = parse_lexicon(
        'Merz = { say = "Mairts", engine = "piper" }\n'
        'Kyiv = { say = "Keev", engine = ["kokoro", "espeak-ng"] }\n'
        'Niamey = "Nee-ah-may"\n',
        "test.toml",
    )
    assert problems == []
    assert lexicon.for_engine("piper").apply("Merz in Niamey") == "Mairts in Nee-ah-may"
    assert lexicon.for_engine("kokoro").apply("Merz in Kyiv") == "Merz in Keev"
    assert lexicon.for_engine("espeak-ng").apply("Kyiv") == "Keev"
    assert lexicon.for_engine("festival").apply("Merz, Kyiv, Niamey") == "Merz, Kyiv, Nee-ah-may"


def test_a_users_entry_for_every_engine_overrides_a_builtin_one_for_some() -> None:
    from briefing.normalize.lexicon import parse_lexicon

    builtin, _ = parse_lexicon('Merz = { say = "Mairts", engine = "piper" }\n', "builtin")
    user, _ = parse_lexicon('Merz = "Mehrts"\n', "user")
    mine, _ = parse_lexicon('Merz = { say = "Merts", engine = "kokoro" }\n', "user")
    assert builtin.merged(user).for_engine("piper").apply("Merz") == "Mehrts"
    both = builtin.merged(mine)
    assert both.for_engine("piper").apply("Merz") == "Mairts"
    assert both.for_engine("kokoro").apply("Merz") == "Merts"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ('{ say = "X", engines = "kokoro" }', "not with engines"),
        ('{ engine = "kokoro" }', "say ="),
        ('{ say = "X", engine = [] }', "engine must be"),
        ('{ say = "X", engine = 3 }', "engine must be"),
        ('{ say = "", engine = "kokoro" }', "empty"),
    ],
)
def test_a_bad_table_entry_is_one_problem_and_skipped(value: str, why: str) -> None:
    from briefing.normalize.lexicon import parse_lexicon

    lexicon, problems = parse_lexicon(f'Merz = {value}\nKyiv = "Keev"\n', "mine.toml")
    assert len(problems) == 1 and why in problems[0] and "'Merz'" in problems[0]
    assert lexicon.for_engine("kokoro").apply("Merz in Kyiv") == "Merz in Keev"


def test_engines_can_say_one_name_differently() -> None:
    lexicon, problems = parse_lexicon(
        'Merz = [{ say = "Mairts", engine = ["piper", "espeak-ng"] },'
        ' { say = "Mertz", engine = "kokoro" }]\n'
        'Kyiv = ["Kee-yiv", { say = "Keev", engine = "kokoro" }]\n'
        'Niamey = [{ say = "Nee-ah-may" }]\n'
        '"Lomé" = { say = "Lowmay" }\n',  # a table without engine is for every engine
        "test.toml",
    )
    assert problems == []
    text = "Merz in Kyiv and Niamey"
    assert lexicon.for_engine("piper").apply(text) == "Mairts in Kee-yiv and Nee-ah-may"
    assert lexicon.for_engine("kokoro").apply(text) == "Mertz in Keev and Nee-ah-may"
    # An engine named in no table says the name as written, unless one is for every engine.
    assert lexicon.for_engine("festival").apply(text) == "Merz in Kee-yiv and Nee-ah-may"
    assert lexicon.entries["Lomé"] == "Lowmay"
    # A user's list for one engine leaves the built-in respellings of the others.
    mine, _ = parse_lexicon('Merz = [{ say = "Mehrts", engine = "kokoro" }]\n', "user")
    both = lexicon.merged(mine)
    assert both.for_engine("kokoro").apply("Merz") == "Mehrts"
    assert both.for_engine("piper").apply("Merz") == "Mairts"


def _toml(item: object) -> str:
    """A TOML inline value for `item` (str, int, list, or dict of those)."""
    import json

    if isinstance(item, str | int):
        return json.dumps(item)
    if isinstance(item, list):
        return "[" + ", ".join(_toml(i) for i in item) + "]"
    assert isinstance(item, dict)
    return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in item.items()) + " }"


NAME = st.sampled_from(["kokoro", "piper", "espeak-ng", "festival", "pyttsx3", "kokoro "])
SAY = st.sampled_from(["Mairts", "Mertz"])
TABLE = st.fixed_dictionaries(
    {"say": SAY, "engine": st.one_of(NAME, st.lists(NAME, min_size=1, max_size=2))}
)
BAD = st.one_of(
    st.sampled_from(["", "x" * 201]),
    st.integers(0, 3),
    st.fixed_dictionaries({"engine": NAME}),
    st.fixed_dictionaries({"say": SAY, "engine": st.sampled_from([" ", 1, []])}),
    st.lists(SAY, max_size=2),
)


@st.composite
def list_values(draw: st.DrawFn) -> list[object]:
    """Mostly good items (of which engines may be named twice), now and then a bad one."""
    items: list[object] = draw(st.lists(st.one_of(TABLE, TABLE, SAY), max_size=4))
    if draw(st.booleans()):
        items.insert(draw(st.integers(0, len(items))), draw(BAD))
    return items


@settings(max_examples=examples(300), deadline=None)
@given(list_values())
def test_any_list_value_is_used_or_one_problem_line(items: list[object]) -> None:
    lexicon, problems = parse_lexicon(f"Merz = {_toml(items)}\n", "x.toml")
    tables = [i for i in items if isinstance(i, dict) and isinstance(i.get("engine"), str | list)]
    named = [e.strip() for t in tables for e in _listed(t["engine"]) if isinstance(e, str)]
    if len(named) != len(set(named)):
        assert problems  # this, or another fault found first
    if problems:
        assert len(problems) == 1 and problems[0].startswith("x.toml: entry 'Merz' is ignored: ")
        assert "\n" not in problems[0] and not lexicon
        return
    # Used: each engine says its own respelling, one for every engine the others.
    for item in items:
        if isinstance(item, str):
            assert lexicon.for_engine("an-engine-not-named").apply("Merz") == item
        else:
            assert isinstance(item, dict)
            for engine in _listed(item["engine"]):
                assert lexicon.for_engine(engine.strip()).apply("Merz") == item["say"]


def _listed(engine: object) -> list[str]:
    return [engine] if isinstance(engine, str) else list(engine)  # type: ignore[call-overload]
