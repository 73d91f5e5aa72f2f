"""Reading PTC folders and TC templates; clear errors on bad lines."""

from pathlib import Path

import pytest

from newsaudit.errors import EvalError, InputError
from newsaudit.eval.ptc import format_si, format_tc, load_corpus, read_articles, read_template


def _corpus(tmp_path: Path) -> Path:
    arts = tmp_path / "train-articles"
    arts.mkdir()
    (arts / "article1.txt").write_text("Title here\n\nThey are evil traitors.\nWe must act now!\n", encoding="utf-8")
    (arts / "article2.txt").write_text("Another title\n\nNothing to see.\n", encoding="utf-8")
    si = tmp_path / "train-labels-task1-span-identification"
    tc = tmp_path / "train-labels-task2-technique-classification"
    si.mkdir()
    tc.mkdir()
    (si / "article1.task1-SI.labels").write_text("1\t21\t34\n", encoding="utf-8")
    (tc / "article1.task2-TC.labels").write_text("1\tName_Calling,Labeling\t21\t34\n1\tLoaded_Language\t21\t25\n", encoding="utf-8")
    return tmp_path


def test_semeval_load_corpus(tmp_path):
    arts = load_corpus(_corpus(tmp_path))
    assert [a.id for a in arts] == ["1", "2"]
    assert arts[0].si == [(21, 34)]
    assert arts[0].text[21:34] == "evil traitors"
    assert arts[0].tc[1] == ("Loaded_Language", 21, 25)


def test_semeval_load_corpus_missing(tmp_path):
    with pytest.raises(EvalError, match="train-articles"):
        load_corpus(tmp_path)


def test_semeval_unknown_technique(tmp_path):
    root = _corpus(tmp_path)
    (root / "train-labels-task2-technique-classification" / "article2.task2-TC.labels").write_text("2\tNope\t0\t3\n")
    with pytest.raises(EvalError, match="unknown technique"):
        load_corpus(root)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1\t?\t21\t34\n1\t?\t0\t999\n", "line 2|:2:.*outside article 1"),
        ("1\t?\t21\n", ":1: expected"),
        ("1\t?\tx\t34\n", ":1: start/end are not integers"),
        ("7\t?\t0\t3\n", ":1: article '7' is not in"),
        ("1\t?\t5\t5\n", ":1: span 5-5 is outside"),
    ],
)
def test_semeval_template_errors(tmp_path, text, expected):
    root = _corpus(tmp_path)
    template = tmp_path / "template.txt"
    template.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        read_template(template, read_articles(root / "train-articles"))


def test_semeval_template_read_and_format(tmp_path):
    root = _corpus(tmp_path)
    template = tmp_path / "template.txt"
    template.write_text("1\t?\t21\t34\n\n2\t?\t15\t29\n", encoding="utf-8")
    lines = read_template(template, read_articles(root / "train-articles"))
    assert [(ln.lineno, ln.article_id, ln.start, ln.end) for ln in lines] == [(1, "1", 21, 34), (3, "2", 15, 29)]
    assert format_si([("1", 2, 5)]) == "1\t2\t5\n"
    assert format_tc([("1", "Doubt", 2, 5)]) == "1\tDoubt\t2\t5\n"
