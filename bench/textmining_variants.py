"""Feature and C variants of the classifier, 5-fold CV on the shared data (issue 13, H13's time-boxed search).

    .venv/bin/python bench/textmining_variants.py [VARIANT ...]

Each variant is scored with the shipped estimator (LinearSVC, balanced, sigmoid calibration on three folds,
one SVM) on the same five stratified folds (seed 20200101) as bench/textmining.py; mean ± sample sd.
The folds are the ones the figures are reported on: choosing among variants here is choosing on test folds.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.metrics import f1_score  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinfang.textmining.classifier import SEED, _estimator
from xinfang.textmining.data import labelled
from xinfang.textmining.features import Features


def _char(n: int, min_df: int = 2, sublinear: bool = True) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, n), sublinear_tf=sublinear, min_df=min_df)


def base() -> Features:
    return Features()


def whole_1_4() -> Features:
    features = Features()
    features.whole = _char(4)
    return features


def title_weight(w: float) -> Callable[[], Features]:
    return lambda: Features(title_weight=w)


def words_unigram() -> Features:
    features = Features()
    features.words.set_params(ngram_range=(1, 1))
    return features


def whole_min_df3() -> Features:
    features = Features()
    features.whole = _char(3, min_df=3)
    return features


VARIANTS: dict[str, tuple[Callable[[], Features], float]] = {
    "base_C1": (base, 1.0),
    "base_C0.5": (base, 0.5),
    "base_C0.3": (base, 0.3),
    "whole_char1-4_C1": (whole_1_4, 1.0),
    "whole_char1-4_C0.5": (whole_1_4, 0.5),
    "title0.3_C1": (title_weight(0.3), 1.0),
    "words_1gram_C1": (words_unigram, 1.0),
    "whole_min_df3_C1": (whole_min_df3, 1.0),
}


def main(names: list[str]) -> None:
    messages, labels = labelled()
    y = np.array(labels)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y))
    for name in names:
        make, c = VARIANTS[name]
        started = time.perf_counter()
        scores = []
        for train, test in folds:
            features = make()
            x_train = features.fit_transform([messages[i] for i in train])
            x_test = features.transform([messages[i] for i in test])
            estimator = _estimator(list(y[train]))
            estimator.set_params(estimator__C=c) if hasattr(estimator, "estimator") else estimator.set_params(C=c)
            predicted = estimator.fit(x_train, y[train]).predict(x_test)
            scores.append(f1_score(y[test], predicted, average="macro"))
        mean, sd = statistics.mean(scores), statistics.stdev(scores)
        folds_text = " ".join(f"{s:.4f}" for s in scores)
        print(
            f"{name:<22} macro-F1 {mean:.4f} ± {sd:.4f}  [{folds_text}]  {time.perf_counter() - started:.0f} s",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:] or list(VARIANTS))
