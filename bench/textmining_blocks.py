"""Variants of the classifier on cached feature blocks (issue 13, H13's second search), 5-fold CV.

    .venv/bin/python bench/textmining_blocks.py [VARIANT ...]

Each feature block (whole-text char 1-3, title char 1-3, rjieba words 1-2, ...) is fitted inside each of the
five stratified folds (seed 20200101, the folds of bench/textmining.py; FOLD_SEED=0 for a second split) once
and cached in /tmp/xinfang_blocks<seed>.pkl; variants reweight the blocks and change the estimator. Prints
macro-F1 mean ± sample sd and per-class F1. Choosing among variants here is choosing on the test folds
(said in textmining.md).
"""

import os
import pickle
import statistics
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from xinfang.textmining.classifier import SEED, _estimator
from xinfang.textmining.data import labelled
from xinfang.textmining.nbsvm import NBSVC
from xinfang.textmining.tokens import normalise, words

messages, labels = labelled()
y = np.array(labels)
whole = [normalise(m.text) for m in messages]
titles = [normalise(m.title) for m in messages]
toks = [" ".join(words(t)) for t in whole]
FOLD_SEED = int(os.environ.get("FOLD_SEED", SEED))
folds = list(StratifiedKFold(5, shuffle=True, random_state=FOLD_SEED).split(np.zeros(len(y)), y))
CACHE = f"/tmp/xinfang_blocks{FOLD_SEED}.pkl"


def vec(kind, n=3, min_df=2, sub=True, **kw):
    if kind == "char":
        return TfidfVectorizer(analyzer="char", ngram_range=(1, n), sublinear_tf=sub, min_df=min_df, **kw)
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=r"\S+",
        lowercase=False,
        ngram_range=(1, n),
        sublinear_tf=sub,
        min_df=min_df,
        **kw,
    )


SPECS = {
    "whole": (whole, lambda: vec("char")),
    "title": (titles, lambda: vec("char")),
    "words": (toks, lambda: vec("word", 2)),
    "whole24": (
        whole,
        lambda: TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True, min_df=2, max_features=300000),
    ),
    "wordsc": (
        toks,
        lambda: TfidfVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            lowercase=False,
            ngram_range=(1, 1),
            min_df=1,
            use_idf=False,
            norm=None,
        ),
    ),
}
cache: dict = {}
if os.path.exists(CACHE):
    with open(CACHE, "rb") as handle:
        cache = pickle.load(handle)


def blocks(name):
    if name not in cache:
        out = []
        col, make = SPECS[name]
        for tr, te in folds:
            v = make()
            a = v.fit_transform([col[i] for i in tr])
            b = v.transform([col[i] for i in te])
            out.append((a.tocsr(), b.tocsr()))
        cache[name] = out
        with open(CACHE, "wb") as handle:
            pickle.dump(cache, handle)
    return cache[name]


def X(weights, f):
    tr = sp.hstack([blocks(n)[f][0] * w for n, w in weights.items()], format="csr")
    te = sp.hstack([blocks(n)[f][1] * w for n, w in weights.items()], format="csr")
    return tr, te


def softmax(d):
    e = np.exp(d - d.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def run(name, weights, fit_score):
    t = time.time()
    s = []
    per = []
    for f, (tr, te) in enumerate(folds):
        a, b = X(weights, f)
        classes, sc = fit_score(a, y[tr], b, f)
        pred = classes[sc.argmax(1)]
        s.append(f1_score(y[te], pred, average="macro"))
        per.append(f1_score(y[te], pred, average=None, labels=sorted(set(labels))))
    per = np.array(per)
    print(
        f"{name:<40} {statistics.mean(s):.4f} ± {statistics.stdev(s):.4f} "
        f"[{' '.join(f'{x:.4f}' for x in s)}] {time.time() - t:.0f}s",
        flush=True,
    )
    print(
        "   per-class "
        + " ".join(
            f"{c}:{m:.4f}±{d:.4f}" for c, m, d in zip(sorted(set(labels)), per.mean(0), per.std(0, ddof=1), strict=True)
        ),
        flush=True,
    )


def svc(C=1.0, cw="balanced"):
    def fs(a, ya, b, f):
        m = LinearSVC(C=C, class_weight=cw, random_state=SEED).fit(a, ya)
        return m.classes_, m.decision_function(b)

    return fs


def cnb(alpha=0.3):
    def fs(a, ya, b, f):
        m = ComplementNB(alpha=alpha).fit(a, ya)
        return m.classes_, m.predict_log_proba(b) if False else m.decision_function(b) if hasattr(
            m, "decision_function"
        ) else m.predict_joint_log_proba(b)

    return fs


def ens(C=1.0, wnb=0.5, alpha=0.3, nbw=None):
    def fs(a, ya, b, f):
        m = LinearSVC(C=C, class_weight="balanced", random_state=SEED).fit(a, ya)
        d = m.decision_function(b)
        if nbw:
            a2, b2 = X(nbw, f)
        else:
            a2, b2 = a, b
        n = ComplementNB(alpha=alpha).fit(a2, ya)
        j = n.predict_joint_log_proba(b2)
        j = j - j.mean(1, keepdims=True)
        j = j / (j.std(1, keepdims=True) + 1e-9)
        dd = d - d.mean(1, keepdims=True)
        dd = dd / (dd.std(1, keepdims=True) + 1e-9)
        return m.classes_, dd + wnb * j

    return fs


def lr(C=20):
    def fs(a, ya, b, f):
        m = LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(a, ya)
        return m.classes_, m.predict_log_proba(b)

    return fs


def sgd():
    def fs(a, ya, b, f):
        m = SGDClassifier(
            loss="modified_huber", alpha=2e-5, class_weight="balanced", random_state=SEED, max_iter=50, tol=None
        ).fit(a, ya)
        return m.classes_, m.decision_function(b)

    return fs


base = {"whole": 1.0, "title": 0.5, "words": 1.0}
V = {
    "base_svc_C1": (base, svc()),
    "base_svc_C0.5": (base, svc(0.5)),
    "base_svc_nocw": (base, svc(1.0, None)),
    "words0.7": ({"whole": 1.0, "title": 0.5, "words": 0.7}, svc()),
    "whole0.8_words1.2": ({"whole": 0.8, "title": 0.5, "words": 1.2}, svc()),
    "title0.7": ({"whole": 1.0, "title": 0.7, "words": 1.0}, svc()),
    "cnb_words": ({"wordsc": 1.0}, cnb(0.3)),
    "ens_svc_cnbwords_0.5": (base, ens(1.0, 0.5, 0.3, {"wordsc": 1.0})),
    "ens_svc_cnbwords_0.3": (base, ens(1.0, 0.3, 0.3, {"wordsc": 1.0})),
    "ens_svc_cnbwords_1.0": (base, ens(1.0, 1.0, 0.3, {"wordsc": 1.0})),
    "ens_svc_cnbtfidf_0.5": (base, ens(1.0, 0.5, 0.1, None)),
    "plus_whole24_0.5": ({"whole": 1.0, "title": 0.5, "words": 1.0, "whole24": 0.5}, svc()),
    "sgd_mhuber": (base, sgd()),
}


def shipped(C=1.0):
    def fs(a, ya, b, f):
        m = _estimator(list(ya))
        m.set_params(estimator__C=C)
        m.fit(a, ya)
        return m.classes_, m.predict_proba(b)

    return fs


def t(w, wd=1.0):
    return {"whole": 1.0, "title": w, "words": wd}


V.update(
    {
        "title0.6": (t(0.6), svc()),
        "title0.8": (t(0.8), svc()),
        "title1.0": (t(1.0), svc()),
        "title0.7_C0.7": (t(0.7), svc(0.7)),
        "title0.7_C1.5": (t(0.7), svc(1.5)),
        "shipped_title0.5": (t(0.5), shipped()),
        "shipped_title0.7": (t(0.7), shipped()),
        "shipped_title0.8": (t(0.8), shipped()),
        "title0.7_words0.8": (t(0.7, 0.8), svc()),
    }
)


def nbsvc(alpha=0.1, C=1.0):
    def fs(a, ya, b, f):
        m = NBSVC(C=C, alpha=alpha, random_state=SEED).fit(a, ya)
        return m.classes_, m.decision_function(b)

    return fs


def svc_calibrated():
    """The estimator shipped until textmining 0.3.0: one LinearSVC, sigmoid calibration on three folds."""

    def fs(a, ya, b, f):
        folds3 = StratifiedKFold(3, shuffle=True, random_state=SEED)
        m = CalibratedClassifierCV(
            LinearSVC(C=1.0, class_weight="balanced", random_state=SEED), method="sigmoid", cv=folds3, ensemble=False
        ).fit(a, ya)
        return m.classes_, m.predict_proba(b)

    return fs


# Third search (3 December 2026): NB-scaled SVM per class (textmining 0.3.0 ships nbsvm0.1 calibrated).
V.update(
    {
        "svc_calibrated_title0.7": (t(0.7), svc_calibrated()),
        "nbsvm0.1": (t(0.7), nbsvc(0.1)),
        "nbsvm0.03": (t(0.7), nbsvc(0.03)),
        "nbsvm0.3": (t(0.7), nbsvc(0.3)),
        "nbsvm1": (t(0.7), nbsvc(1.0)),
        "nbsvm0.1_C0.5": (t(0.7), nbsvc(0.1, 0.5)),
        "nbsvm0.1_C2": (t(0.7), nbsvc(0.1, 2.0)),
        "nbsvm0.1_title0.5": (t(0.5), nbsvc(0.1)),
        "nbsvm0.1_title1.0": (t(1.0), nbsvc(0.1)),
    }
)
for name in sys.argv[1:] or V:
    w, fs = V[name]
    run(name, w, fs)
