"""newsaudit.models.vocab: idf and bag-of-words indices, shipped as a TSV with a source/licence header."""

import math

import pytest

from newsaudit.errors import ModelFileError
from newsaudit.models.vocab import Vocab, build_vocab


def test_models_vocab_build_idf_and_bow_by_hand():
    v = build_vocab([{"a": 1, "b": 2}, {"a": 1}, {"c": 1}], bow_size=1, min_df=1)
    assert v.idf["a"] == pytest.approx(math.log(4 / 3) + 1)
    assert v.idf["b"] == pytest.approx(math.log(4 / 2) + 1)
    assert v.bow_index == {"a": 0}
    assert v.weight("zzz") == pytest.approx(math.log(4 / 2) + 1)


def test_models_vocab_tfidf_is_unit_length():
    v = build_vocab([{"a": 1, "b": 2}, {"a": 1}], bow_size=2, min_df=1)
    w = v.tfidf({"a": 3, "b": 1})
    assert sum(x * x for x in w.values()) == pytest.approx(1.0)
    assert v.tfidf({}) == {}


def test_models_vocab_save_load_roundtrip(tmp_path):
    v = build_vocab([{"a": 1, "b": 2}, {"a": 1}], bow_size=1, min_df=1)
    v.save(tmp_path / "v.tsv", ["test vocab", "Licence: CC0-1.0"])
    back = Vocab.load(tmp_path / "v.tsv")
    assert back.bow_index == v.bow_index
    assert back.n_docs == 2
    assert back.idf == pytest.approx(v.idf, abs=1e-5)
    assert (tmp_path / "v.tsv").read_text().startswith("# test vocab")


@pytest.mark.parametrize(
    "text",
    ["# no counts\na\t1.0\t0\n", "# n_docs=2 default_idf=1.0\na\tnot-a-number\t0\n", "# n_docs=2 default_idf=1.0\na\t1.0\n"],
)
def test_models_vocab_bad_file_raises(tmp_path, text):
    (tmp_path / "v.tsv").write_text(text, encoding="utf-8")
    with pytest.raises(ModelFileError):
        Vocab.load(tmp_path / "v.tsv")
