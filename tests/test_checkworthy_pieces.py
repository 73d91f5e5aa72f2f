"""The word-piece part of the check-worthiness model: a static MiniLM table and a logistic regression."""

from __future__ import annotations

import numpy as np
import pytest

from newsaudit.errors import ModelFileError
from newsaudit.models.checkworthy.pieces import PieceLR, PieceTable, quantise
from newsaudit.train.checkworthy import fit_pieces

PIECES = ["[UNK]", "taxes", "rose", "percent", "thank", "you", "4", ".", "good", "evening"]
TEXTS = ["Taxes rose 4 percent.", "Thank you.", "Taxes rose.", "Good evening.", "4 percent", "Thank you, good evening."]
LABELS = [1, 0, 1, 0, 1, 0]


def _table() -> PieceTable:
    rng = np.random.default_rng(7)
    return PieceTable.from_float(PIECES, rng.normal(size=(len(PIECES), 6)))


def test_checkworthy_pieces_quantise_keeps_rows():
    table = np.array([[0.5, -1.0, 0.25], [0.0, 0.0, 0.0], [3.0, 1.5, -0.75]])
    q, scale = quantise(table)
    assert q.dtype == np.int8
    assert np.abs(q).max() == 127
    assert np.allclose(q * scale[:, None], table, atol=np.abs(table).max() / 254 + 1e-9)


@pytest.mark.parametrize(("text", "expected"), [("Taxes rose.", ["taxes", "rose", "."]), ("", []), ("Zebra", ["[UNK]"])])
def test_checkworthy_pieces_unit_means(text, expected):
    table = _table()
    U, ids, inv = table.unit_means([text])
    assert [PIECES[i] for i in ids[0]] == expected
    if expected:
        v = (table.q[ids[0]] * table.row_scale[ids[0], None]).mean(axis=0)
        assert np.allclose(U[0], v / np.linalg.norm(v))
        assert inv[0] == pytest.approx(1 / np.linalg.norm(v))
    else:
        assert not U[0].any()
        assert inv[0] == 0


def test_checkworthy_pieces_fit_is_standardised_logistic_regression():
    """The fit is scikit-learn's lbfgs logistic regression over the standardised unit vectors (C = 1 / (penalty n))."""
    from sklearn.linear_model import LogisticRegression

    table = _table()
    part = fit_pieces(table, TEXTS, LABELS, penalty=0.1)
    U, _ids, _inv = table.unit_means(TEXTS)
    Z = (U - U.mean(0)) / U.std(0)
    ref = LogisticRegression(C=1 / (0.1 * len(TEXTS)), solver="lbfgs", max_iter=5000, tol=1e-8).fit(Z, LABELS)
    test = ["Taxes rose 4 percent again.", "Good evening to you.", ""]
    Ut, _ids, _inv = table.unit_means(test)
    expected = ref.decision_function((Ut - U.mean(0)) / U.std(0))
    assert np.allclose(part.logits(test)[:2], expected[:2], atol=1e-6)
    assert part.logits([""])[0] == pytest.approx(part.bias)  # no pieces: the zero vector
    assert np.mean(part.logits(TEXTS)[[0, 2, 4]]) > np.mean(part.logits(TEXTS)[[1, 3, 5]])


@pytest.mark.parametrize("text", ["Taxes rose 4 percent", "thank good evening", "taxes taxes"])
def test_checkworthy_pieces_contributions_sum_to_the_logit(text):
    """Without punctuation or function words the words' shares add up to the logit less that of an
    average training sentence."""
    part = fit_pieces(_table(), TEXTS, LABELS)
    shares = part.contributions(text)
    assert set(shares) == set(text.lower().split())
    assert sum(shares.values()) == pytest.approx(part.logits([text])[0] - part.bias - part.centre, abs=1e-9)


@pytest.mark.parametrize(("text", "expected"), [("Taxes rose.", {"taxes", "rose"}), ("...", set()),
                                                ("Thank you, good evening.", {"thank", "good", "evening"})])
def test_checkworthy_pieces_punctuation_and_function_words_left_out_of_reasons(text, expected):
    part = fit_pieces(_table(), TEXTS, LABELS)
    assert set(part.contributions(text)) == expected


def test_checkworthy_pieces_folder_round_trip_same_bytes(tmp_path):
    part = fit_pieces(_table(), TEXTS, LABELS)
    part.save(tmp_path / "a")
    part.save(tmp_path / "b")
    assert (tmp_path / "a" / "pieces.npz").read_bytes() == (tmp_path / "b" / "pieces.npz").read_bytes()
    back = PieceLR.load(tmp_path / "a")
    assert back.table.pieces == PIECES
    assert np.array_equal(back.logits(TEXTS), part.logits(TEXTS))


@pytest.mark.parametrize("damage", ["missing", "not a zip", "no coef", "short coef"])
def test_checkworthy_pieces_bad_file_raises(tmp_path, damage):
    part = fit_pieces(_table(), TEXTS, LABELS)
    part.save(tmp_path)
    path = tmp_path / "pieces.npz"
    if damage == "missing":
        path.unlink()
    elif damage == "not a zip":
        path.write_bytes(b"not a zip")
    else:
        with np.load(path) as z:
            arrays = {k: z[k] for k in z.files}
        if damage == "no coef":
            del arrays["coef"]
        else:
            arrays["coef"] = arrays["coef"][:3]
        np.savez(path, **arrays)
    with pytest.raises(ModelFileError):
        PieceLR.load(tmp_path)


def test_checkworthy_pieces_unit_means_in_chunks_as_at_once(monkeypatch):
    """Gathering a few pieces at a time (bounded memory on long documents) gives the same vectors."""
    from newsaudit.models.checkworthy import pieces

    table = _table()
    texts = TEXTS * 5 + ["", "Zebra", "Taxes rose 4 percent. " * 30]
    whole, ids, inv = table.unit_means(texts)
    monkeypatch.setattr(pieces, "CHUNK_PIECES", 3)
    chunked, ids2, inv2 = table.unit_means(texts)
    assert ids == ids2
    assert np.allclose(whole, chunked, atol=1e-12)
    assert np.allclose(inv, inv2, atol=1e-12)


def test_checkworthy_pieces_table_stored_uncompressed(tmp_path):
    """Deflate saves little on an int8 table and costs time at every load: the part is stored as it is."""
    import zipfile

    fit_pieces(_table(), TEXTS, LABELS).save(tmp_path)
    with zipfile.ZipFile(tmp_path / "pieces.npz") as z:
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_STORED}
