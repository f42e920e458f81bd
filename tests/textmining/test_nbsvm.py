"""The NB-scaled SVM of the category classifier (`xinfang.textmining.nbsvm`), on hand-made matrices."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

from xinfang.textmining.nbsvm import NBSVC

# Columns: 0 only in 甲 rows, 1 only in 乙 rows, 2 only in 丙 rows, 3 in every row alike.
ROWS = [
    ([1.0, 0, 0, 1.0], "甲"),
    ([0.8, 0, 0, 1.0], "甲"),
    ([0.9, 0.1, 0, 1.0], "甲"),
    ([0, 1.0, 0, 1.0], "乙"),
    ([0, 0.7, 0, 1.0], "乙"),
    ([0.1, 0.9, 0, 1.0], "乙"),
    ([0, 0, 1.0, 1.0], "丙"),
    ([0, 0, 0.6, 1.0], "丙"),
    ([0, 0.1, 0.9, 1.0], "丙"),
]
X = sp.csr_matrix(np.array([r for r, _ in ROWS]))
Y = np.array([y for _, y in ROWS])


def test_each_class_is_recognised_by_the_column_only_it_uses() -> None:
    model = NBSVC(random_state=1).fit(X, Y)
    probe = sp.csr_matrix(np.array([[0.5, 0, 0, 1.0], [0, 0.5, 0, 1.0], [0, 0, 0.5, 1.0]]))
    assert list(model.predict(probe)) == ["甲", "乙", "丙"]


def test_a_column_spread_alike_over_all_classes_gets_no_weight() -> None:
    # Its share of a class's mass equals its share of the rest's only roughly (rows differ in their other
    # columns), so its log-ratio, and with it its weight, is small beside the class's own column.
    model = NBSVC(random_state=1).fit(X, Y)
    for k in range(3):
        assert abs(model.coef_[k, 3]) < 0.25 * abs(model.coef_[k, k])


def test_scaling_then_weighing_is_one_linear_map() -> None:
    alpha = 0.1
    model = NBSVC(alpha=alpha, random_state=1).fit(X, Y)
    dense = X.toarray()
    for k, label in enumerate(["丙", "乙", "甲"]):  # classes_ are sorted by code point: U+4E19, U+4E59, U+7532
        assert model.classes_[k] == label
        positive = np.equal(Y, label)
        p = dense[positive].sum(axis=0) + alpha
        q = dense[~positive].sum(axis=0) + alpha
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        svm = LinearSVC(class_weight="balanced", random_state=1).fit(dense * ratio, positive)
        expected = svm.decision_function(dense * ratio)
        assert model.decision_function(X)[:, k] == pytest.approx(expected, abs=1e-6)


def test_two_classes_give_one_score_a_row_positive_for_the_second() -> None:
    two = Y != "丙"
    model = NBSVC(random_state=1).fit(X[two], Y[two])
    scores = model.decision_function(X[two])
    assert scores.shape == (two.sum(),)
    assert list(model.classes_) == ["乙", "甲"]
    assert all((scores > 0) == (Y[two] == "甲"))


def test_one_class_is_refused() -> None:
    with pytest.raises(ValueError, match="两个不同的类别"):
        NBSVC().fit(X[:3], Y[:3])
