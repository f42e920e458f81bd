"""`classify train --csv TRAIN.csv --model DIR` and `classify predict --model DIR --csv TEST.csv --out PRED.csv`.

TRAIN.csv: `id,title,body,label` (`body` may be empty). TEST.csv: `id,title,body`. PRED.csv: `id,label,score`
for every input row, in input order (`score`: the calibrated confidence of the label). Bad input exits 2.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.textmining.classifier import ModelError, TextClassifier
from xinfang.textmining.features import Message
from xinfang.triage.csvfiles import CsvError, read_rows, require_values, write_rows

BATCH = 2000  # rows transformed at once: bounds memory on large files


class Command(BaseCommand):
    help = "训练或使用内容分类模型（CSV：id,title,body[,label]）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser("train", help="从带标签的 CSV 训练模型")
        train.add_argument("--csv", required=True, help="训练数据 CSV：id,title,body,label")
        train.add_argument("--model", required=True, help="模型保存目录")
        predict = actions.add_parser("predict", help="用模型给 CSV 中的每条信件分类")
        predict.add_argument("--model", required=True, help="模型目录（由 classify train 生成）")
        predict.add_argument("--csv", required=True, help="待分类 CSV：id,title,body")
        predict.add_argument("--out", required=True, help="输出 CSV：id,label,score")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "train":
                self.train(options["csv"], options["model"])
            else:
                self.predict(options["model"], options["csv"], options["out"])
        except (CsvError, ModelError) as error:
            raise CommandError(str(error), returncode=2) from error

    def train(self, csv_path: str, model_dir: str) -> None:
        rows = read_rows(csv_path, ("id", "title", "body", "label"))
        require_values(csv_path, rows, "label")
        if len({r["label"] for r in rows}) < 2:
            raise CsvError(f"文件 {csv_path} 的列 label 至少需要两个不同的类别")
        started = time.perf_counter()
        model = TextClassifier.train([Message(r["title"], r["body"]) for r in rows], [r["label"] for r in rows])
        model.save(model_dir)
        self.stdout.write(
            f"已训练：{len(rows)} 条，{len(model.labels)} 个类别，用时 {time.perf_counter() - started:.1f} 秒；"
            f"模型保存在 {model_dir}"
        )

    def predict(self, model_dir: str, csv_path: str, out_path: str) -> None:
        model = TextClassifier.load(model_dir)
        rows = read_rows(csv_path, ("id", "title", "body"))
        started = time.perf_counter()
        output: list[tuple[str, str, str]] = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            scores = model.scores([Message(r["title"], r["body"]) for r in chunk])
            for row, line in zip(chunk, scores, strict=True):
                best = int(line.argmax())
                output.append((row["id"], model.labels[best], f"{float(line[best]):.6f}"))
        elapsed = time.perf_counter() - started
        write_rows(out_path, ("id", "label", "score"), output)
        rate = len(rows) / elapsed if elapsed else float("inf")
        self.stdout.write(f"已分类：{len(rows)} 条，{rate:.0f} 条/秒；结果写入 {out_path}")
