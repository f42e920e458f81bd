"""Text-mining benchmark on the shared development data (read at run time, never copied).

    .venv/bin/python bench/textmining.py            # everything (about 5 minutes on 2 cores)
    .venv/bin/python bench/textmining.py --skip-cv  # only training time, latency, size and repeats

Prints: 5-fold stratified CV macro-F1 and accuracy (mean ± sd, per class) of the shipped classifier and of
plain LinearSVC on the same features; training time on all rows; prediction latency one at a time and in
batch; model size; repeat search figures (see bench/textmining.md for the protocols). Deterministic.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinfang.textmining.classifier import SEED, TextClassifier, _estimator
from xinfang.textmining.data import labelled, rows
from xinfang.textmining.features import Features, Message
from xinfang.textmining.repeats import Record, RepeatIndex, similarity
from xinfang.textmining.tokens import normalise


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def cross_validate(messages: list[Message], labels: list[str]) -> None:
    y = np.array(labels)
    classes = sorted(set(labels))
    results: dict[str, dict[str, list[float]]] = {"calibrated": {}, "plain": {}}
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y)
    for fold, (train, test) in enumerate(folds, start=1):
        started = time.perf_counter()
        features = Features()
        x_train = features.fit_transform([messages[i] for i in train])
        x_test = features.transform([messages[i] for i in test])
        for name, estimator in (
            ("calibrated", _estimator(list(y[train]))),
            ("plain", LinearSVC(C=1.0, class_weight="balanced", random_state=SEED)),
        ):
            predicted = estimator.fit(x_train, y[train]).predict(x_test)
            scores = results[name]
            scores.setdefault("macro_f1", []).append(f1_score(y[test], predicted, average="macro"))
            scores.setdefault("accuracy", []).append(accuracy_score(y[test], predicted))
            per_class = f1_score(y[test], predicted, average=None, labels=classes)
            for label, value in zip(classes, per_class, strict=True):
                scores.setdefault(label, []).append(value)
        print(f"  fold {fold}: {time.perf_counter() - started:.1f} s", flush=True)
    for name, scores in results.items():
        print(f"\n{name}: 5-fold stratified CV, n={len(y)}, seed={SEED}")
        for key, values in scores.items():
            print(f"  {key:<10} {statistics.mean(values):.4f} ± {statistics.stdev(values):.4f}")


def classifier_costs(messages: list[Message], labels: list[str]) -> None:
    started = time.perf_counter()
    model = TextClassifier.train(messages, labels)
    print(f"\ntraining on all {len(messages)} rows: {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as directory:
        model.save(directory)
        size = sum(p.stat().st_size for p in Path(directory).iterdir())
        started = time.perf_counter()
        TextClassifier.load(directory)
        print(f"model size: {size / 1e6:.1f} MB on disk; load {time.perf_counter() - started:.2f} s")
    sample = messages[:1000]
    started = time.perf_counter()
    model.predict(sample)
    batch = time.perf_counter() - started
    print(f"batch prediction: {len(sample) / batch:.0f} messages/s ({len(sample)} messages)")
    one = []
    for message in sample[:300]:
        started = time.perf_counter()
        model.suggest(message)
        one.append(time.perf_counter() - started)
    one.sort()
    print(f"one at a time (suggest, top 3): p50 {ms(one[len(one) // 2])}, p95 {ms(one[int(0.95 * len(one))])}")


_SENTENCE = re.compile(r"(?<=[。！？!?；;])")
_PUNCT = re.compile(r"[，。！？、；：,.!?;:“”\"'（）()\s]")


def perturb(text: str, kind: str, rng: random.Random) -> str:
    if kind == "truncation":  # the first 60 %
        return text[: max(1, int(len(text) * 0.6))]
    if kind == "punctuation":
        return _PUNCT.sub("", text)
    if kind == "reordered":
        parts = [p for p in _SENTENCE.split(text) if p]
        return "".join(reversed(parts)) if len(parts) > 1 else text
    chars = list(text)  # typos: 5 % of the characters replaced by another character of the text
    for i in rng.sample(range(len(chars)), max(1, len(chars) // 20)):
        chars[i] = rng.choice(chars)
    return "".join(chars)


def repeats() -> None:
    table = rows("messages_with_votes.csv")
    texts = {r["id"]: f"{r['title']}。{r['body']}" for r in table}
    index = RepeatIndex()
    started = time.perf_counter()
    for r in table:
        index.add(Record(r["id"], texts[r["id"]], r["user"]))
    print(f"\nrepeat index: {len(index)} messages indexed in {time.perf_counter() - started:.1f} s")

    rng = random.Random(SEED)
    sample = rng.sample(sorted(texts), 300)
    times = []
    for kind in ("truncation", "punctuation", "reordered", "typos"):
        found = 0
        for rid in sample:
            started = time.perf_counter()
            hits = index.query(perturb(texts[rid], kind, rng))
            times.append(time.perf_counter() - started)
            found += rid in [h.id for h in hits]
        print(f"  recall@5 of the original, {kind:<11}: {found / len(sample):.3f} ({found}/{len(sample)})")
    times.sort()
    print(
        f"  query latency over {len(index)}: p50 {ms(times[len(times) // 2])}, p95 {ms(times[int(0.95 * len(times))])}"
    )

    known = {normalise(t) for t in texts.values()}
    others = [r for r in rows("messages_labelled.csv") if normalise(f"{r['title']}。{r['body']}") not in known]
    unrelated = rng.sample(others, 300)
    with_hit = sum(bool(index.query(f"{r['title']}。{r['body']}")) for r in unrelated)
    print(f"  unrelated messages (labelled file, text not in the index) with a hit: {with_hit}/{len(unrelated)}")

    # Same-user proxy: exhaustive similarity over all pairs of one user's messages gives the proxy positives.
    by_user: dict[str, list[str]] = {}
    for r in table:
        by_user.setdefault(r["user"], []).append(r["id"])
    users = {r["id"]: r["user"] for r in table}
    truth = set()
    for ids in by_user.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if similarity(texts[a], texts[b]) >= index.threshold:
                    truth.add(frozenset((a, b)))
    predicted, cross_user = set(), Counter[str]()
    for rid, text in texts.items():
        for hit in index.query(text, exclude=rid):  # person_key withheld: text only
            pair = frozenset((rid, hit.id))
            predicted.add(pair)
            if users[hit.id] != users[rid]:
                cross_user[pair] += 1  # type: ignore[index]
    same_user = {p for p in predicted if p not in cross_user}
    recall = len(truth & predicted) / len(truth) if truth else float("nan")
    print(f"  same-user proxy: {len(truth)} same-user pairs with similarity ≥ {index.threshold}")
    print(f"    found by the text-only search (top 5): {len(truth & predicted)} (recall {recall:.3f})")
    print(f"    pairs proposed: {len(predicted)}, of them same user: {len(same_user)}, other users: {len(cross_user)}")
    share = len(same_user) / len(predicted)
    print(f"    share of proposed pairs by the same user (a lower bound on precision): {share:.3f}")
    wide = {frozenset((rid, h.id)) for rid, text in texts.items() for h in index.query(text, k=100, exclude=rid)}
    print(f"    recall with k=100 instead of 5: {len(truth & wide) / len(truth):.3f} (what top 5 and LSH each cost)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-cv", action="store_true")
    args = parser.parse_args()
    messages, labels = labelled()
    print(f"labelled messages: {len(messages)}; classes: {dict(sorted(Counter(labels).items()))}")
    if not args.skip_cv:
        cross_validate(messages, labels)
    classifier_costs(messages, labels)
    repeats()


if __name__ == "__main__":
    main()
