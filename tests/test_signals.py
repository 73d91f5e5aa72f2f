"""newsaudit_signals: scare quotes, hedges, loaded and labelling words."""

from __future__ import annotations

import pytest

from newsaudit.components.signals import SignalsComponent, classify_quotes, load_signal_lexicons
from newsaudit.extensions import register_extensions
from newsaudit.lexicons import LEXICON_DIR, header, read_lines
from newsaudit.text.quotes import quote_pairs
from newsaudit.types import HEDGE, LABEL, LOADED, SCARE_QUOTE

# Sentences of the founding example (shared/samples/seed-article.txt), embedded
# so the test does not depend on ../shared.
SEED = (
    "US Special Forces are helping Jihadists in Syria to orchestrate a \u201cchemical weapons attack\u201d "
    "to provoke Western airstrikes against the Syrian government.\n\n"
    "\u201cOur intelligence confirmed by three independent Syrian sources says that commanders of the "
    "so-called \u2018Free Syrian Army\u2019, backed by the American Special Forces operators, are preparing a "
    "serious provocation involving chemical warfare agents in Deir ez-Zor province,\u201d the Russian "
    "Defense Ministry said in a statement.\n\n"
    "Rt.com reports: The military alleged the FSA militants are likely to employ chlorine to orchestrate "
    "the chemical incident. \u201cTo imitate yet another \u2018chemical attack by the regime against peaceful "
    "civilians\u2019, the rebels brought canisters filled with chlorine,\u201d it said.\n\n"
    "The planned \u201cprovocation,\u201d the Russian military said, is also to justify an FSA offensive "
    "against Syrian troops on eastern bank of the Euphrates River.\n\n"
    "News of an alleged chemical attack in the Syrian town of Douma broke on April 7, with dramatic "
    "footage depicting people dousing crying children with water \u2013 leading to swift accusations that "
    "Syrian President Bashar Assad had ordered yet another \u201catrocity.\u201d\n\n"
    "Two weeks later, however, a reporter from German public broadcaster ZDF spoke to locals who told him "
    "the whole event was \u201cstaged.\u201d\n\n"
    "Eventually, a boy from the Douma \u201cattack\u201d video, who was initially believed to be a victim, "
    "testified at a Russia-backed conference at The Hague. They revealed that members of the "
    "controversial White Helmets group poured cold water over kids after prompting panic over a fake "
    "\u201cchemical attack.\u201d"
)


@pytest.fixture(scope="module")
def signals(bare_nlp):
    register_extensions()
    component = SignalsComponent(bare_nlp, "newsaudit_signals")

    def run(text: str):
        return component(bare_nlp(text))

    return run


def _texts(doc, kind):
    return [s.span.text for s in doc._.signals if s.kind == kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry called it a \u201cprovocation\u201d in a statement.", ["provocation"]),
        ("Locals told him the whole event was \u201cstaged.\u201d", ["staged"]),
        ("The planned \u201cprovocation,\u201d the Russian military said, is also a pretext.", ["provocation"]),
        ("The so-called 'experts' disagreed with the findings.", ["experts"]),
        ('Critics dismissed the "peace plan" as theatre.', ["peace plan"]),
        ("It was a \u00abpeace\u00bb deal only in name.", ["peace"]),
        ("They placed \u201chermetically sealed containers,\u201d which could contain poison.", ["hermetically sealed containers"]),
        ("\u201cWe will never allow a chemical attack in this province,\u201d the minister said.", []),
        ("He said: \u201cNo.\u201d", []),
        ("\u201cYes,\u201d he said.", []),
        ("\u201cNever.\u201d", []),
        ("The government\u2019s plan was announced on Monday.", []),
        ("Rock 'n' roll isn't dead, the singer's fans say.", []),
        (
            "\u201cTo imitate yet another \u2018chemical attack by the regime against peaceful civilians\u2019, "
            "the rebels brought canisters filled with chlorine,\u201d it said.",
            ["chemical attack by the regime against peaceful civilians"],
        ),
    ],
)
def test_signals_scare_quotes_vs_speech(signals, text, expected):
    assert _texts(signals(text), SCARE_QUOTE) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He called it \u201cstaged and left.",
        "\u201dOdd\u201d quotes \u201d everywhere \u201c",
        "'",
        "\u201c",
        "\u2018\u2019",
        '"""',
        "She said \u201cno\n\nand then \u201d nothing.",
        "",
    ],
)
def test_signals_unbalanced_quotes_do_not_crash(signals, text):
    doc = signals(text)
    for sig in doc._.signals:
        assert doc.text[sig.span.start : sig.span.end] == sig.span.text


def test_signals_find_quotes_nested_single_inside_double():
    text = "\u201cThe so-called \u2018Free Army\u2019 is here,\u201d he said."
    pairs = quote_pairs(text)
    assert [(text[p.open], text[p.close]) for p in pairs] == [("\u201c", "\u201d"), ("\u2018", "\u2019")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The minister reportedly resigned on Monday.", "reportedly"),
        ("The alleged attack took place at dawn.", "alleged"),
        ("The strike was likely carried out by drones.", "likely"),
        ("The rebels may have used chlorine.", "may"),
        ("About 30 people were injured in the blast.", "About"),
        ("The company purportedly paid the fine.", "purportedly"),
        ("Officials claimed the ship was hit.", "claimed"),
        ("It is possible that the fire was set deliberately.", "possible"),
        ("The footage could show the aftermath.", "could"),
        ("The report appears to contradict the statement.", "appears"),
        ("The report was published in May.", None),
        ("The book is about the war.", None),
        ("He would arrive at noon.", None),
        ("He was supposed to arrive at noon.", None),
        ("The suspect appeared in court.", None),
    ],
)
def test_signals_hedges(signals, text, expected):
    hedges = _texts(signals(text), HEDGE)
    if expected is None:
        assert hedges == []
    else:
        assert expected in hedges


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The fake video spread quickly online.", "fake"),
        ("Witnesses described a massacre in the village.", "massacre"),
        ("The acclaimed director spoke to reporters.", "acclaimed"),
        ("Officials denied that the notorious prison existed.", "notorious"),
        ("The lies spread across social media.", "lies"),
        ("The town lies near the river.", None),
        ("The council met on Tuesday to discuss the budget.", None),
    ],
)
def test_signals_loaded_words(signals, text, expected):
    loaded = _texts(signals(text), LOADED)
    if expected is None:
        assert loaded == []
    else:
        assert expected in loaded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The regime shelled the suburbs overnight.", "regime"),
        ("Terrorists attacked the checkpoint at night.", "Terrorists"),
        ("Thugs beat the protesters in the square.", "Thugs"),
        ("The so-called experts disagreed.", "so-called"),
        ("Militants seized the town on Sunday.", "Militants"),
        ("US Special Forces are helping Jihadists in Syria.", "Jihadists"),
        ("The pseudoscience of the report was criticised.", "pseudoscience"),
        ("The government raised taxes on Monday.", None),
        ("The new tax regime starts in April.", None),
    ],
)
def test_signals_labels(signals, text, expected):
    labels = _texts(signals(text), LABEL)
    if expected is None:
        assert labels == []
    else:
        assert expected in labels


def test_signals_seed_article_scare_quotes(signals):
    doc = signals(SEED)
    scare = [s for s in doc._.signals if s.kind == SCARE_QUOTE]
    texts = [s.span.text for s in scare]
    for term in ("chemical weapons attack", "provocation", "atrocity", "staged", "attack", "chemical attack"):
        assert term in texts, term
    assert any("regime" in t for t in texts)
    # The headline's scare quote lies in the headline.
    assert scare[0].span.text == "chemical weapons attack"
    assert scare[0].span.end < SEED.index("\n\n")
    # Long quoted speech is never a scare quote.
    assert all(len(t.split()) <= 10 for t in texts)
    assert not any(t.startswith("Our intelligence") or t.startswith("To imitate") for t in texts)
    for sig in scare:
        assert "distanc" in sig.reason


def test_signals_seed_article_labels_and_hedges(signals):
    doc = signals(SEED)
    labels = _texts(doc, LABEL)
    for term in ("so-called", "militants", "regime", "Jihadists", "controversial"):
        assert term in labels, term
    assert {"alleged", "likely"} <= set(_texts(doc, HEDGE))
    regime = next(s for s in doc._.signals if s.kind == LABEL and s.span.text == "regime")
    assert "inside quoted speech" in regime.reason
    jihadists = next(s for s in doc._.signals if s.span.text == "Jihadists")
    assert "inside quoted speech" not in jihadists.reason


def test_signals_doc_spans_and_order(signals):
    doc = signals(SEED)
    sigs = doc._.signals
    assert isinstance(sigs, tuple)
    assert sigs
    assert [s.span.start for s in sigs] == sorted(s.span.start for s in sigs)
    group = doc.spans["signals"]
    assert len(group) == len(sigs)
    assert {sp.label_ for sp in group} <= {SCARE_QUOTE, HEDGE, LOADED, LABEL}
    for sig in sigs:
        assert SEED[sig.span.start : sig.span.end] == sig.span.text
        assert sig.reason
        if sig.kind != SCARE_QUOTE:
            assert sig.lexicon


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry called it a \u201cprovocation\u201d in a statement.", "distances the writer"),
        ("Locals told him the whole event was \u201cstaged.\u201d", "reported speech"),
        ("He gave a \u201cHungary First\u201d speech on Friday.", "name or title"),
        ("\u201cThe so-called \u2018Free Army\u2019 is here,\u201d he said.", "inside quoted speech"),
    ],
)
def test_signals_scare_quote_reasons(signals, text, expected):
    scare = [s for s in signals(text)._.signals if s.kind == SCARE_QUOTE]
    assert len(scare) == 1
    assert expected in scare[0].reason


def test_signals_classify_quotes_on_hand_made_doc(bare_nlp):
    doc = bare_nlp.make_doc("He called it a \u201ctragedy\u201d.")
    analysis = classify_quotes(doc, quote_pairs(doc.text))
    assert [doc.text[s:e] for _, s, e, _ in analysis.scare] == ["tragedy"]


@pytest.mark.parametrize(
    ("name", "minimum"),
    [
        ("hedges_hyland2005.txt", 80),
        ("bias_lexicon_recasens2013.txt", 654),
        ("subjective_huliu2004_negative.txt", 4700),
        ("subjective_huliu2004_positive.txt", 2000),
        ("hedges_doubt.tsv", 5),
        ("label_words.tsv", 40),
        ("loaded_words.tsv", 50),
        ("hedge_rules.tsv", 20),
    ],
)
def test_signals_lexicons_are_documented(name, minimum):
    path = LEXICON_DIR / name
    head = " ".join(header(path)).lower()
    assert "source" in head
    assert "licence" in head
    rows = [line for line in read_lines(path) if not line.startswith(";")]
    assert len(rows) >= minimum
    assert name in (LEXICON_DIR / "README.md").read_text(encoding="utf-8")


def test_signals_lexicons_load_once():
    assert load_signal_lexicons() is load_signal_lexicons()


def test_signals_scare_quote_inside_attribution_content(bare_nlp):
    from newsaudit.types import Attribution, Span

    register_extensions()
    component = SignalsComponent(bare_nlp, "newsaudit_signals")
    text = "The planned \u201cprovocation\u201d is a pretext for airstrikes, the ministry said."
    doc = bare_nlp(text)
    end = text.index(", the ministry")
    doc._.attributions = (Attribution(id="a1", kind="indirect", content=Span.of(text, 0, end)),)
    scare = [s for s in component(doc)._.signals if s.kind == SCARE_QUOTE]
    assert [s.span.text for s in scare] == ["provocation"]
    assert "reported speech" in scare[0].reason
