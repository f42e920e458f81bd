"""Where the predict path spends its time, in wall and CPU time (one process, BLAS threads 1).

    OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python bench/textmining_speed.py MODEL_DIR TEST.csv [N]

MODEL_DIR from `manage.py classify train`; TEST.csv with `id,title,body`; the first N rows (2,000).
CPU time is what one quiet core would take; wall time on a shared machine includes waiting for it.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinfang.textmining.classifier import TextClassifier
from xinfang.textmining.features import Message


def main(model_dir: str, test_csv: str, n: int = 2000) -> None:
    with open(test_csv, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))[:n]
    messages = [Message(r["title"], r["body"]) for r in rows]
    model = TextClassifier.load(model_dir)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("normalise + rjieba", lambda: model.features._columns(messages)),
        ("features", lambda: model.features.transform(messages)),
        ("scores (features + calibrated SVM)", lambda: model.scores(messages)),
    ]
    for name, step in steps:
        wall, cpu = time.perf_counter(), time.process_time()
        step()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{name}: wall {len(messages) / wall:.0f}/s, CPU {len(messages) / cpu:.0f}/s ({len(messages)} messages)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2000)
