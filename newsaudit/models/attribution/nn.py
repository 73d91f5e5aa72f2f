"""The two small networks of the model, evaluated with numpy (no torch at inference).

Both networks are multi-layer perceptrons whose first layer is written as a sum
of looked-up rows (one table per categorical input, already projected to the
hidden width) plus a dense block times a matrix; this is the same function as
"embed, concatenate, multiply" and costs one gather per input.

* the cue classifier (:func:`cue_hidden`, a BiLSTM over each sentence by
  :func:`bilstm`, :func:`cue_output`): P(token heads an attribution cue) for
  every token;
* the window tagger (:func:`token_part`, :func:`cue_part`, :func:`tag_hidden`,
  a BiLSTM over each window, :func:`tag_output`): per window token,
  log-probabilities of the role tags :data:`TAGS` for one cue;
  :func:`viterbi_batch` decodes them under BIO constraints, which forbid an
  inside tag after a foreign tag.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy

#: Role tags of the window tagger (BIO over content and source).
TAGS = ("O", "B-C", "I-C", "B-S", "I-S")
Params = Mapping[str, numpy.ndarray]
#: Rows (tokens of sentences or cue windows) run through :func:`bilstm` together, at most (whole sequences).
ROW_CHUNK = 65536


def relu(x: numpy.ndarray) -> numpy.ndarray:
    return numpy.maximum(x, 0.0, out=x)


def _gather_sum(params: Params, prefix: str, columns: tuple[str, ...], cats: numpy.ndarray) -> numpy.ndarray:
    out = params[f"{prefix}{columns[0]}"][cats[:, 0]].astype(numpy.float32)
    for k, name in enumerate(columns[1:], start=1):
        out += params[f"{prefix}{name}"][cats[:, k]]
    return out


def cue_hidden(params: Params, columns: tuple[str, ...], dense: numpy.ndarray, bag: numpy.ndarray, cats: numpy.ndarray) -> numpy.ndarray:
    """The cue classifier's first hidden layer."""
    return relu(dense @ params["cue.dense"] + bag @ params["cue.bag"] + _gather_sum(params, "cue.tab.", columns, cats) + params["cue.b1"])


def cue_output(params: Params, h: numpy.ndarray) -> numpy.ndarray:
    """P(cue head) from the first hidden layer (joined with the LSTM states)."""
    h = relu(h @ params["cue.w2"] + params["cue.b2"])
    logit = h @ params["cue.w3"] + params["cue.b3"]
    return sigmoid(logit[..., 0])


def token_part(params: Params, columns: tuple[str, ...], dense: numpy.ndarray, cats: numpy.ndarray) -> numpy.ndarray:
    """The window-token half of the tagger's first layer, for every token of a doc."""
    return dense @ params["tag.tok_dense"] + _gather_sum(params, "tag.tok.", columns, cats)


def cue_part(
    params: Params, columns: tuple[str, ...], dense: numpy.ndarray, cats: numpy.ndarray, cue_lemma: numpy.ndarray
) -> numpy.ndarray:
    """The cue half of the tagger's first layer, for the given cue tokens."""
    return dense @ params["tag.cue_dense"] + _gather_sum(params, "tag.cue.", columns, cats) + params["tag.cue_lemma"][cue_lemma]


def sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    return 0.5 * (numpy.tanh(0.5 * x) + 1.0)


def lstm_packed(xw: numpy.ndarray, whh: numpy.ndarray, active: numpy.ndarray) -> numpy.ndarray:
    """Both directions of an LSTM over packed sequences: ``xw`` (2, N, 4H) input projections (bias included),
    time-major, step ``k`` being rows ``offsets[k] : offsets[k] + active[k]`` where the sequences are sorted
    longest first (so the sequences still running at step ``k`` are the first ``active[k]``); the second
    direction's rows are already reversed.  ``whh`` (2, H, 4H); torch's gate order i, f, g, o.  One time step
    is one batched matrix product over the running sequences of both directions only: no padding is computed."""
    four = xw.shape[2]
    hsz = four // 4
    h = numpy.zeros((2, int(active[0]) if len(active) else 0, hsz), dtype=numpy.float32)
    c = numpy.zeros_like(h)
    out = numpy.empty((2, xw.shape[1], hsz), dtype=numpy.float32)
    at = 0
    for n in active.tolist():
        if n < h.shape[1]:
            h, c = h[:, :n], c[:, :n]
        g = xw[:, at : at + n] + numpy.matmul(h, whh)
        s = sigmoid(g)
        c = s[..., hsz : 2 * hsz] * c + s[..., :hsz] * numpy.tanh(g[..., 2 * hsz : 3 * hsz])
        h = s[..., 3 * hsz :] * numpy.tanh(c)
        out[:, at : at + n] = h
        at += n
    return out


def bilstm(
    params: Params, prefix: str, x: numpy.ndarray, owner: numpy.ndarray, pos: numpy.ndarray, lengths: numpy.ndarray
) -> numpy.ndarray:
    """A bidirectional LSTM over many sequences given as rows: ``x`` (N, D), row ``r`` at position ``pos[r]`` of
    sequence ``owner[r]`` (``lengths`` per sequence, each at least 1; rows grouped by sequence, in order);
    returns the (N, 2H) states of the rows.  The input projections are computed on the rows themselves, then
    packed time-major with the sequences sorted longest first for :func:`lstm_packed`, so each step runs only
    the sequences not yet ended."""
    if len(x) == 0:
        return numpy.zeros((0, 2 * params[f"{prefix}whh_f"].shape[0]), dtype=numpy.float32)
    if len(x) > ROW_CHUNK and len(lengths) > 1:
        # whole sequences, about ROW_CHUNK rows at a time, so that memory stays bounded
        ends = numpy.cumsum(lengths)
        parts = []
        first = 0
        while first < len(lengths):
            done = int(ends[first - 1]) if first else 0
            cut = max(first + 1, int(numpy.searchsorted(ends, done + ROW_CHUNK, side="right")))
            lo, hi = done, int(ends[cut - 1])
            parts.append(_bilstm(params, prefix, x[lo:hi], owner[lo:hi] - first, pos[lo:hi], lengths[first:cut]))
            first = cut
        return numpy.concatenate(parts)
    return _bilstm(params, prefix, x, owner, pos, lengths)


def _bilstm(
    params: Params, prefix: str, x: numpy.ndarray, owner: numpy.ndarray, pos: numpy.ndarray, lengths: numpy.ndarray
) -> numpy.ndarray:
    order = numpy.argsort(-lengths, kind="stable")
    rank = numpy.empty_like(order)
    rank[order] = numpy.arange(len(order))
    # active[k]: sequences longer than k; offsets[k]: where step k starts in the packed rows
    active = len(lengths) - numpy.searchsorted(numpy.sort(lengths), numpy.arange(int(lengths.max())), side="right")
    offsets = numpy.r_[0, numpy.cumsum(active)[:-1]]
    rev = lengths[owner] - 1 - pos
    at_f = offsets[pos] + rank[owner]
    at_r = offsets[rev] + rank[owner]
    xw = numpy.empty((2, len(x), params[f"{prefix}wih_f"].shape[1]), dtype=numpy.float32)
    xw[0, at_f] = x @ params[f"{prefix}wih_f"] + params[f"{prefix}b_f"]
    xw[1, at_r] = x @ params[f"{prefix}wih_r"] + params[f"{prefix}b_r"]
    states = lstm_packed(xw, numpy.stack([params[f"{prefix}whh_f"], params[f"{prefix}whh_r"]]), active)
    return numpy.concatenate([states[0, at_f], states[1, at_r]], axis=1)


def tag_hidden(
    params: Params, pair_columns: tuple[str, ...], tok: numpy.ndarray, cue: numpy.ndarray, pairs: numpy.ndarray
) -> numpy.ndarray:
    """The tagger's first hidden layer for window rows: ``tok`` (L, H) token parts, ``cue`` (L, H) cue parts,
    ``pairs`` (L, P) relation ids."""
    return relu(tok + cue + _gather_sum(params, "tag.pair.", pair_columns, pairs) + params["tag.b1"])


def tag_output(params: Params, h: numpy.ndarray) -> numpy.ndarray:
    """Tag log-probabilities from the first hidden layer (joined with the LSTM states)."""
    h = relu(h @ params["tag.w2"] + params["tag.b2"])
    z = h @ params["tag.w3"] + params["tag.b3"]
    z -= z.max(axis=-1, keepdims=True)
    return z - numpy.log(numpy.exp(z).sum(axis=-1, keepdims=True))


def allowed_transitions() -> numpy.ndarray:
    """(from, to) mask of BIO transitions: I-X only after B-X or I-X."""
    n = len(TAGS)
    ok = numpy.ones((n, n), dtype=bool)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            kind = tag[2:]
            for i, prev in enumerate(TAGS):
                ok[i, j] = prev in (f"B-{kind}", f"I-{kind}")
    return ok


def start_allowed() -> numpy.ndarray:
    return numpy.array([not t.startswith("I-") for t in TAGS])


def viterbi_batch(
    emissions: numpy.ndarray, lengths: numpy.ndarray, trans: numpy.ndarray, start: numpy.ndarray, end: numpy.ndarray
) -> numpy.ndarray:
    """The best tag sequences of a padded batch of emissions (B, L, T), under transitions (T, T) and start
    and end scores; padded positions get tag 0."""
    b, n, t = emissions.shape
    out = numpy.zeros((b, n), dtype=numpy.int64)
    if b == 0 or n == 0:
        return out
    neg = -1e9
    trans = numpy.where(allowed_transitions(), trans, neg)
    score = emissions[:, 0] + numpy.where(start_allowed(), start, neg)
    back = numpy.zeros((b, n, t), dtype=numpy.int64)
    final = numpy.where(lengths[:, None] == 1, score + end, 0.0)
    for i in range(1, n):
        cand = score[:, :, None] + trans[None]
        back[:, i] = cand.argmax(axis=1)
        new = cand.max(axis=1) + emissions[:, i]
        active = (i < lengths)[:, None]
        score = numpy.where(active, new, score)
        final = numpy.where((lengths == i + 1)[:, None], score + end, final)
    last = final.argmax(axis=1)
    rows = numpy.arange(b)
    cur = numpy.zeros(b, dtype=numpy.int64)
    for i in range(n - 1, -1, -1):
        # sequences whose last position is i start their path here; longer ones follow their back-pointers
        cur = numpy.where(lengths - 1 == i, last, cur)
        out[:, i] = numpy.where(i < lengths, cur, 0)
        if i > 0:
            cur = back[rows, i, cur]
    return out
