"""The neural NER tagger run in numpy: it computes what the torch network computes, and batches change nothing."""

from pathlib import Path

import numpy as np
import pytest

from hadath.ner.features import word_shape
from hadath.ner.neural import N_FEATS, TAGS, NeuralTagger, stem_of
from hadath.text.normalize import normalize_ar

SENTENCES = [
    ["قال", "وزير", "الخارجية", "السعودي", "عادل", "الجبير", "في", "الرياض", "."],
    ["وأعلنت", "الأمم", "المتحدة", "."],
    ["محمد"],
    ["2015", "Reuters", "،", "ولبنان", "والعراق", "وسوريا", "؟"],
]


def test_stem_and_shape_read_words_as_the_crf_features_do():
    assert stem_of("والعراق") == ("العراق", "عراق")
    assert stem_of("2015") == ("2015", "2015")
    assert [word_shape(w) for w in ("2015", "،", "Reuters", "ف16", "لبنان")] == ["num", "pun", "lat", "mix", "ar"]


@pytest.fixture(scope="module")
def small_network(tmp_path_factory):
    """A small random network built and exported by the training code (torch needed)."""
    torch = pytest.importorskip("torch")
    from hadath.ner.train_neural import HYPER, build_network, export

    torch.manual_seed(7)
    words = sorted({w for s in SENTENCES for w in s} | {"العراق", "عراق"})
    vocab = ["<pad>", "<unk>", *words]
    chars = sorted({c for s in SENTENCES for w in s for c in w})
    hp = {**HYPER, "hidden": 12, "char_dim": 5, "char_filters": 7, "stack": True}
    net = build_network(len(vocab), 8, len(chars) + 2, hp)
    with torch.no_grad():  # CRF scores away from zero, so Viterbi has something to decide
        for p in (net.trans, net.start, net.end, net.emb.weight):
            p.normal_()
        net.emb.weight[0] = 0
    path = tmp_path_factory.mktemp("ner") / "neural.npz"
    export(net, vocab, chars, {"format": 1, "tags": list(TAGS), "max_chars": hp["max_chars"], "stack": True}, path)
    return net, path


def test_numpy_forward_pass_agrees_with_torch(small_network):
    import torch

    from hadath.ner.train_neural import _batch, _encode

    net, path = small_network
    tagger = NeuralTagger(path)
    rng = np.random.default_rng(3)
    extra = [rng.dirichlet(np.ones(len(TAGS)), size=len(s)).astype(np.float32) for s in SENTENCES]
    items = []
    for s, m in zip(SENTENCES, extra, strict=True):
        it = _encode(tagger.encoder, s, 0)
        it["extra"] = m
        items.append(it)
    net.eval()
    with torch.no_grad():
        wid, sid, cid, feats, _, _, lengths = _batch(items)
        expected = net.emissions(wid, sid, cid, feats, lengths).numpy()
    rows = [tagger.inputs([normalize_ar(t).text for t in s], 0, m) for s, m in zip(SENTENCES, extra, strict=True)]
    assert rows[0].shape[1] == 2 * 8 + 7 + N_FEATS + len(TAGS)
    got, got_lengths = tagger.emissions(rows)
    for k, s in enumerate(SENTENCES):
        np.testing.assert_allclose(got[k, : len(s)], expected[k, : len(s)], rtol=1e-4, atol=1e-4)
    assert list(got_lengths) == [len(s) for s in SENTENCES]


def test_viterbi_finds_the_best_path(small_network):
    import itertools

    _, path = small_network
    tagger = NeuralTagger(path)
    rng = np.random.default_rng(5)
    scores = rng.normal(size=(2, 4, len(TAGS))).astype(np.float32)
    lengths = np.array([4, 2])
    paths = tagger.viterbi(scores, lengths)
    for k, n in enumerate(lengths):
        def total(seq, k=k):
            return (tagger.start[seq[0]] + tagger.end[seq[-1]] + sum(scores[k, t, y] for t, y in enumerate(seq))
                    + sum(tagger.trans[a, b] for a, b in itertools.pairwise(seq)))
        best = max(itertools.product(range(len(TAGS)), repeat=int(n)), key=total)
        assert tuple(paths[k, :n]) == best


def test_batches_give_the_tags_of_sentences_one_by_one(small_network):
    _, path = small_network
    tagger = NeuralTagger(path)
    rng = np.random.default_rng(11)
    extra = [rng.dirichlet(np.ones(len(TAGS)), size=len(s)).astype(np.float32) for s in SENTENCES]
    together = tagger.tag_many(SENTENCES, extra=extra)
    alone = [tagger.tag_many([s], extra=[m])[0] for s, m in zip(SENTENCES, extra, strict=True)]
    assert together == alone
    assert [len(t) for t in together] == [len(s) for s in SENTENCES]
    assert tagger.tag_many([[], SENTENCES[2]], extra=[None, extra[2]])[0] == []


def test_shipped_model_tags_batches_as_sentences(monkeypatch):
    from hadath.ner import model as ner

    m = ner.default_model()
    assert ner.tag_many(SENTENCES) == [m.tag(s) for s in SENTENCES]
    assert ner.tag_many([[]]) == [[]]


def test_a_missing_network_file_is_a_clear_error(tmp_path):
    from hadath.errors import ResourceError

    with pytest.raises(ResourceError):
        NeuralTagger(Path(tmp_path) / "none.npz")
