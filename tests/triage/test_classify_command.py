"""`classify train` and `classify predict` with the issue's interface, on small hand-written CSVs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .csvs import TEST, read, train_csv, write

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("classify")
    call_command("classify", "train", "--csv", str(train_csv(directory)), "--model", str(directory / "model"))
    return directory / "model"


def test_predict_writes_every_row_in_input_order_with_the_obvious_label(model_dir: Path, tmp_path: Path) -> None:
    test_csv = write(tmp_path / "test.csv", ("id", "title", "body"), TEST)
    out = tmp_path / "out" / "pred.csv"
    call_command("classify", "predict", "--model", str(model_dir), "--csv", str(test_csv), "--out", str(out))
    rows = read(out)
    assert out.read_text("utf-8").splitlines()[0] == "id,label,score"
    assert [r["id"] for r in rows] == ["t3", "t1", "t2"]
    assert [r["label"] for r in rows] == ["环境保护", "教育文体", "劳动和社会保障"]
    assert all(1 / 3 < float(r["score"]) <= 1 for r in rows)  # the best of three calibrated scores


def test_predict_accepts_an_empty_body_and_a_bom(model_dir: Path, tmp_path: Path) -> None:
    test_csv = tmp_path / "test.csv"
    test_csv.write_text("\ufeffid,title,body\na,学校食堂不卫生,\nb,,\n", "utf-8")
    out = tmp_path / "pred.csv"
    call_command("classify", "predict", "--model", str(model_dir), "--csv", str(test_csv), "--out", str(out))
    rows = read(out)
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["label"] == "教育文体"


def _error(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("classify", *args)
    return caught.value


def test_unknown_model_dir_exits_2_naming_the_dir(tmp_path: Path) -> None:
    test_csv = write(tmp_path / "test.csv", ("id", "title", "body"), TEST)
    missing = tmp_path / "no-such-model"
    error = _error("predict", "--model", str(missing), "--csv", str(test_csv), "--out", str(tmp_path / "p.csv"))
    assert error.returncode == 2
    assert str(missing) in str(error)
    assert not (tmp_path / "p.csv").exists()


def test_training_file_without_label_column_exits_2_naming_file_and_column(tmp_path: Path) -> None:
    bad = write(tmp_path / "train.csv", ("id", "title", "body"), [("1", "学校", "学校")])
    error = _error("train", "--csv", str(bad), "--model", str(tmp_path / "m"))
    assert error.returncode == 2
    assert str(bad) in str(error) and "label" in str(error) and "缺少列" in str(error)


def test_empty_and_header_only_files_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", "utf-8")
    header_only = write(tmp_path / "header.csv", ("id", "title", "body", "label"), [])
    for path in (empty, header_only):
        error = _error("train", "--csv", str(path), "--model", str(tmp_path / "m"))
        assert error.returncode == 2
        assert str(path) in str(error)


def test_an_empty_label_exits_2_naming_the_line(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "train.csv", ("id", "title", "body", "label"), [("1", "学校", "", "教育文体"), ("2", "工资", "", "")]
    )
    error = _error("train", "--csv", str(bad), "--model", str(tmp_path / "m"))
    assert error.returncode == 2
    assert "第 3 行" in str(error) and "label" in str(error)


def test_missing_body_column_exits_2_from_the_shell(model_dir: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "test.csv", ("id", "title"), [("1", "学校食堂")])
    command = [sys.executable, "manage.py", "classify", "predict", "--model", str(model_dir), "--csv", str(bad)]
    result = subprocess.run(
        [*command, "--out", str(tmp_path / "p.csv")], cwd=REPO, env=dict(os.environ), capture_output=True, text=True
    )
    assert result.returncode == 2
    assert str(bad) in result.stderr and "body" in result.stderr
