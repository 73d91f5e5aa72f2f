"""Why a technique span was flagged: definitions file, lexicon cues, the reason text."""

import pytest

from newsaudit.errors import ModelError
from newsaudit.models.techniques import TECHNIQUES
from newsaudit.models.techniques.explain import Finding, lexicon_cues, load_definitions, reason


def test_techniques_explain_defines_every_technique():
    definitions = load_definitions()
    assert sorted(definitions) == sorted(TECHNIQUES)
    assert all(d.endswith(".") and len(d) > 20 for d in definitions.values())


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Loaded_Language\n", "expected 'technique<TAB>definition'"),
        ("Loaded_Language\t \n", "expected 'technique<TAB>definition'"),
        ("Propaganda\tanything.\n", "unknown technique 'Propaganda'"),
        ("Loaded_Language\tStrong words.\n", "no definition for Appeal_to_Authority"),
    ],
)
def test_techniques_explain_bad_definitions_file_names_it(tmp_path, body, expected):
    path = tmp_path / "definitions.tsv"
    path.write_text("# header\n" + body, encoding="utf-8")
    with pytest.raises(ModelError, match=r"definitions\.tsv") as err:
        load_definitions(str(path))
    assert expected in str(err.value)


def test_techniques_explain_missing_definitions_file(tmp_path):
    with pytest.raises(ModelError, match=r"unreadable: .*nope\.tsv"):
        load_definitions(str(tmp_path / "nope.tsv"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("these evil bureaucrats", [("evil", "loaded")]),
        ("Evil, evil men", [("evil", "loaded")]),
        ("the alleged idiots", [("alleged", "doubt"), ("idiots", "name_calling")]),
        ("a quiet afternoon", []),
    ],
)
def test_techniques_explain_lexicon_cues(text, expected):
    assert lexicon_cues(text) == expected


def test_techniques_explain_reason_gives_definition_and_evidence():
    text = "They are evil jihadists."
    f = Finding("Name_Calling,Labeling", 9, 23, 0.36, 0.6, 0.6, "Loaded_Language", 0.3)
    why = reason(f, text)
    assert why.startswith(load_definitions()["Name_Calling,Labeling"])
    assert "propaganda probability 0.60 x technique probability 0.60 = score 0.36" in why
    assert "next most likely technique: Loaded_Language (0.30)" in why
    assert "cue words: 'evil' (loaded lexicon), 'jihadists' (loaded, name calling lexicons))" in why


def test_techniques_explain_reason_without_cues():
    f = Finding("Doubt", 0, 5, 0.2, 0.5, 0.4, "Slogans", 0.1)
    assert "cue words" not in reason(f, "Maybe so.")
