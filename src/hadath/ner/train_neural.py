"""Training of the neural NER tagger (torch, CPU) and its export to the numpy archive `neural.py` runs.

    pip install -e '.[train]'     # torch, gensim: for training only; tagging needs numpy alone

The word vectors come from `scripts/build_ner_vectors.py` (word2vec on SaudiNewsNet); the network
(see `hadath.ner.neural`) is trained on ANERcorp's training part and NewsFANE, with a fixed seed,
one thread and deterministic kernels, and the epoch with the best dev macro F1 is kept (early
stopping on the development split, which is never trained on).
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from hadath.ner.neural import FORMAT_VERSION, N_FEATS, PAD, TAGS, UNK, Encoder, NeuralTagger
from hadath.ner.train import SEED, TYPES, Sentence, conll_score, load_corpora
from hadath.text.normalize import normalize_ar

NEURAL_FOLDS = 5  # CRFs trained to give the training sentences held-out marginals

HYPER = {
    "words": 100_000,  # rows of the word-vector table kept (most frequent first)
    "char_dim": 30,
    "char_filters": 50,
    "char_width": 3,
    "max_chars": 20,
    "hidden": 100,  # per direction
    "dropout": 0.5,
    "word_dropout": 0.05,  # training words read as unknown, so the rest of the network learns to cope
    "lr": 2e-3,
    "batch": 16,
    "epochs": 30,
    "patience": 5,
    "clip": 5.0,
    "finetune": False,  # train the word vectors too (they ship either way)
    "newsfane": True,  # train on NewsFANE as well as ANERcorp
    "emb_scale": 10.0,  # unit word vectors times this: inputs of about unit spread
    "stack": False,  # the CRF's tag marginals as inputs too (held-out marginals for the training sentences)
}


def build_network(n_words: int, dim: int, n_chars: int, hp: dict):
    n_extra = len(TAGS) if hp.get("stack") else 0
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(n_words, dim, padding_idx=PAD)
            self.emb.weight.requires_grad = bool(hp["finetune"])
            self.char_emb = nn.Embedding(n_chars, hp["char_dim"], padding_idx=PAD)
            self.conv = nn.Conv1d(hp["char_dim"], hp["char_filters"], hp["char_width"], padding=hp["char_width"] // 2)
            self.drop = nn.Dropout(hp["dropout"])
            self.lstm = nn.LSTM(2 * dim + hp["char_filters"] + N_FEATS + n_extra, hp["hidden"], batch_first=True,
                                bidirectional=True)
            # one output layer per corpus (each annotates its own way); run time reads as ANERcorp (0)
            self.out = nn.Linear(2 * hp["hidden"], 2 * len(TAGS))
            self.trans = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
            self.start = nn.Parameter(torch.zeros(len(TAGS)))
            self.end = nn.Parameter(torch.zeros(len(TAGS)))

        def emissions(self, wid, sid, cid, feats, lengths, domain=None):
            b, t, c = cid.shape
            ce = self.char_emb(cid.view(b * t, c)).transpose(1, 2)  # (bt, dim, c)
            conv = torch.relu(self.conv(ce))
            conv = conv.masked_fill((cid.view(b * t, 1, c) == PAD), 0.0)  # relu ≥ 0: padding never wins the max
            chars = conv.max(dim=2).values.view(b, t, -1)
            # dropout on the learned inputs; the 0/1 marks and the CRF marginals are read as they are
            x = torch.cat([self.drop(torch.cat([self.emb(wid), self.emb(sid), chars], dim=2)), feats], dim=2)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=t)
            out = self.out(self.drop(h)).view(b, t, 2, len(TAGS))
            if domain is None:
                return out[:, :, 0]
            return out.gather(2, domain.view(b, 1, 1, 1).expand(b, t, 1, len(TAGS))).squeeze(2)

        def nll(self, scores, tags, mask):
            """Negative log-likelihood of the gold sequences under the linear-chain CRF (summed over the batch)."""
            b, t, n = scores.shape
            alpha = self.start + scores[:, 0]
            gold = self.start[tags[:, 0]] + scores[:, 0].gather(1, tags[:, :1]).squeeze(1)
            for k in range(1, t):
                m = mask[:, k]
                nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None], dim=1) + scores[:, k]
                alpha = torch.where(m[:, None], nxt, alpha)
                step = self.trans[tags[:, k - 1], tags[:, k]] + scores[:, k].gather(1, tags[:, k : k + 1]).squeeze(1)
                gold = gold + step * m
            last = tags.gather(1, (mask.sum(1) - 1)[:, None]).squeeze(1)
            gold = gold + self.end[last]
            return (torch.logsumexp(alpha + self.end, dim=1) - gold).sum()

    return Net()


def _encode(encoder: Encoder, sentence: Sentence | list[str], domain: int) -> dict:
    tokens = [t for t, _ in sentence] if sentence and isinstance(sentence[0], tuple) else sentence
    words = [normalize_ar(t).text for t in tokens]
    info = [encoder.word(w) for w in words]
    return {"wid": [i[0] for i in info], "sid": [i[1] for i in info], "cid": [i[2] for i in info],
            "feats": encoder.feats(words, info, domain)}


def _batch(items: list[dict], word_dropout: float = 0.0, rng: random.Random | None = None):
    import torch

    b, t = len(items), max(len(it["wid"]) for it in items)
    c = max(len(x) for it in items for x in it["cid"])
    wid = torch.zeros(b, t, dtype=torch.long)
    sid = torch.zeros(b, t, dtype=torch.long)
    cid = torch.zeros(b, t, c, dtype=torch.long)
    n_extra = items[0]["extra"].shape[1] if "extra" in items[0] else 0
    feats = torch.zeros(b, t, N_FEATS + n_extra)
    tags = torch.zeros(b, t, dtype=torch.long)
    mask = torch.zeros(b, t, dtype=torch.bool)
    for k, it in enumerate(items):
        n = len(it["wid"])
        w = it["wid"]
        if word_dropout and rng is not None:
            w = [UNK if rng.random() < word_dropout else x for x in w]
        wid[k, :n] = torch.tensor(w)
        sid[k, :n] = torch.tensor(it["sid"])
        for j, ch in enumerate(it["cid"]):
            cid[k, j, : len(ch)] = torch.tensor(ch)
        feats[k, :n] = torch.from_numpy(it["feats"] if "extra" not in it
                                        else np.concatenate([it["feats"], it["extra"]], axis=1))
        if "tags" in it:
            tags[k, :n] = torch.tensor(it["tags"])
        mask[k, :n] = True
    return wid, sid, cid, feats, tags, mask, mask.sum(1)


def _batches(items: list[dict], size: int, rng: random.Random, pool: int = 50) -> list[list[int]]:
    """Shuffled batches of sentences of about one length: each pool of `pool` batches' worth of shuffled
    sentences is sorted by length and cut into batches, and the batches are shuffled (less padding: the
    recurrence and the CRF run as long as a batch's longest sentence)."""
    order = list(range(len(items)))
    rng.shuffle(order)
    batches = []
    for lo in range(0, len(order), size * pool):
        chunk = sorted(order[lo : lo + size * pool], key=lambda k: len(items[k]["wid"]))
        batches += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def load_vectors(path: Path, words: int) -> tuple[list[str], np.ndarray]:
    """The `words` most frequent words of a gensim KeyedVectors file and their vectors, unit length."""
    if path.suffix == ".npz":  # words and vectors saved by scripts/build_ner_vectors.py
        with np.load(path, allow_pickle=False) as z:
            vocab = str(z["words"]).split("\n")[:words]
            vectors = z["vectors"][: len(vocab)].astype(np.float32)
    else:
        from gensim.models import KeyedVectors

        kv = KeyedVectors.load(str(path))
        vocab = kv.index_to_key[:words]
        vectors = kv.vectors[: len(vocab)].astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vocab, vectors


def train_neural(data_dir: Path, vectors: Path, out: Path, *, hyper: dict | None = None, seed: int = SEED,
                 log=print, device: str = "cpu", extra: dict | None = None) -> dict:
    """Train, keep the best epoch on the dev split, export to `out`. `extra` ({"train": [...], "dev": [...]},
    one (n, tags) array a sentence, training sentences in the order ANERcorp then NewsFANE) are the CRF
    marginals a stacked network reads."""
    import torch

    hp = {**HYPER, **(hyper or {})}
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if device == "cpu":  # the shipped model: one thread, the same weights every run
        torch.set_num_threads(1)
        torch.use_deterministic_algorithms(True)
    began = time.perf_counter()

    from hadath.ner.features import gazetteer

    aner, dev, fane = load_corpora(data_dir)
    words, vecs = load_vectors(vectors, hp["words"])
    vocab = ["<pad>", "<unk>", *words]
    emb = np.concatenate([np.zeros((2, vecs.shape[1]), np.float32), vecs * hp["emb_scale"]]).astype(np.float16)
    counts = Counter(ch for s in aner + fane for t, _ in s for ch in normalize_ar(t).text)
    chars = sorted(ch for ch, n in counts.items() if n >= 3)
    encoder = Encoder(vocab, chars, gazetteer(), hp["max_chars"])
    tag_id = {t: i for i, t in enumerate(TAGS)}
    train_items = []
    for domain, group in ((0, aner), (1, fane if hp["newsfane"] else [])):
        for s in group:
            it = _encode(encoder, s, domain)
            it["tags"] = [tag_id[t] for _, t in s]
            it["domain"] = domain
            train_items.append(it)
    dev_items = [_encode(encoder, s, 0) for s in dev]
    if hp["stack"]:
        if extra is None:
            raise ValueError("a stacked network needs the CRF marginals (extra=)")
        for it, m in zip(train_items, extra["train"], strict=False):
            it["extra"] = m
        for it, m in zip(dev_items, extra["dev"], strict=True):
            it["extra"] = m
    dev_gold = [[t for _, t in s] for s in dev]
    log(f"encoded {len(train_items)} training sentences ({time.perf_counter() - began:.0f} s)")

    net = build_network(len(vocab), emb.shape[1], len(chars) + 2, hp)
    net.emb.weight.data.copy_(torch.from_numpy(emb.astype(np.float32)))
    net.to(device)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=hp["lr"])
    rng = random.Random(seed)

    best, best_state, best_epoch, history = -1.0, None, 0, []
    for epoch in range(1, hp["epochs"] + 1):
        net.train()
        total = 0.0
        for batch in _batches(train_items, hp["batch"], rng):
            items = [train_items[k] for k in batch]
            wid, sid, cid, feats, tags, mask, lengths = _batch(items, hp["word_dropout"], rng)
            wid, sid, cid, feats, tags, mask = (x.to(device) for x in (wid, sid, cid, feats, tags, mask))
            domain = torch.tensor([it["domain"] for it in items], device=device)
            scores = net.emissions(wid, sid, cid, feats, lengths, domain)
            loss = net.nll(scores, tags, mask) / len(items)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), hp["clip"])
            opt.step()
            total += float(loss.detach()) * len(items)
        pred = predict(net, dev_items, device=device)
        sc = conll_score(dev_gold, pred)
        f1s = {t: round(sc[t].f1, 4) for t in TYPES}
        history.append({"epoch": epoch, "loss": round(total, 1), "macro": round(sc["macro"], 4), **f1s})
        log(f"epoch {epoch}: loss {total:.0f} dev macro {sc['macro']:.4f} {f1s} micro {sc['micro'].f1:.4f} "
            f"({time.perf_counter() - began:.0f} s)")
        if sc["macro"] > best:
            best, best_epoch = sc["macro"], epoch
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        elif epoch - best_epoch >= hp["patience"]:
            break
    net.load_state_dict(best_state)
    summary = {"format": FORMAT_VERSION, "tags": list(TAGS), "max_chars": hp["max_chars"], "stack": hp["stack"],
               "crf_weight": 1.0,  # joined with the CRF: the network's scores plus the CRF's log marginals
               "hyper": hp, "seed": seed,
               "best_epoch": best_epoch, "history": history, "train_seconds": round(time.perf_counter() - began, 1)}
    export(net, vocab, chars, summary, out)
    return summary


def predict(net, items: list[dict], batch: int = 128, device: str = "cpu") -> list[list[str]]:
    import torch

    net.eval()
    crf = SimpleNamespace(start=net.start.detach().cpu().numpy(), trans=net.trans.detach().cpu().numpy(),
                          end=net.end.detach().cpu().numpy())
    out: list[list[str]] = []
    with torch.no_grad():
        for lo in range(0, len(items), batch):
            chunk = items[lo : lo + batch]
            wid, sid, cid, feats, _, _, lengths = _batch(chunk)
            wid, sid, cid, feats = (x.to(device) for x in (wid, sid, cid, feats))
            scores = net.emissions(wid, sid, cid, feats, lengths).cpu().numpy()
            paths = NeuralTagger.viterbi(crf, scores, lengths.numpy())
            out += [[TAGS[j] for j in paths[k, : len(it["wid"])]] for k, it in enumerate(chunk)]
    return out


def export(net, vocab: list[str], chars: list[str], meta: dict, out: Path) -> None:
    """Every weight into one `.npz` (float16 word vectors, float32 the rest) that `NeuralTagger` loads."""
    sd = {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}
    arrays = {
        "emb": sd["emb.weight"].astype(np.float16),
        "char_emb": sd["char_emb.weight"], "conv_w": sd["conv.weight"], "conv_b": sd["conv.bias"],
        "w_ih_f": sd["lstm.weight_ih_l0"], "w_hh_f": sd["lstm.weight_hh_l0"],
        "b_ih_f": sd["lstm.bias_ih_l0"], "b_hh_f": sd["lstm.bias_hh_l0"],
        "w_ih_b": sd["lstm.weight_ih_l0_reverse"], "w_hh_b": sd["lstm.weight_hh_l0_reverse"],
        "b_ih_b": sd["lstm.bias_ih_l0_reverse"], "b_hh_b": sd["lstm.bias_hh_l0_reverse"],
        "out_w": sd["out.weight"][: len(TAGS)], "out_b": sd["out.bias"][: len(TAGS)],  # ANERcorp's layer
        "trans": sd["trans"], "start": sd["start"], "end": sd["end"],
        "vocab": np.array("\n".join(vocab)), "chars": np.array("".join(chars)),
        "meta": np.array(json.dumps(meta, ensure_ascii=False)),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as f:
        np.savez(f, **arrays)
