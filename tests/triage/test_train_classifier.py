"""`train_classifier`: from confirmed categories of closed cases or a CSV; versioned, one model active."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.test import Client

from tests.factories import at, build_city, register, staff
from xinfang.audit.models import Event
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role
from xinfang.triage.models import ClassifierModel, Suggestion

from .csvs import TRAIN, train_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings: object, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def test_from_a_csv_with_who_trained_it_and_metrics(var_dir: Path, tmp_path: Path) -> None:
    city = build_city()
    analyst = staff(city.bureau, Role.ANALYST)
    call_command("train_classifier", "--csv", str(train_csv(tmp_path)), "--by", analyst.user.username)
    model = ClassifierModel.objects.get()
    assert (model.version, model.active, model.n_train, model.trained_by) == (1, True, len(TRAIN), analyst)
    assert model.directory == str(var_dir / "models" / "v1")
    assert json.loads((var_dir / "models" / "v1" / "meta.json").read_text("utf-8"))["model_hash"] == model.model_hash
    # Six rows per class: a stratified 20 % held out is four messages, measured before training on all.
    assert model.metrics["holdout"] == 4 and 0 <= model.metrics["macro_f1"] <= 1
    assert Event.objects.filter(action="triage.model_trained").count() == 1


def test_a_second_training_is_the_next_version_and_the_only_active_one(tmp_path: Path) -> None:
    path = str(train_csv(tmp_path))
    call_command("train_classifier", "--csv", path, "--no-eval")
    call_command("train_classifier", "--csv", path, "--no-eval")
    assert list(ClassifierModel.objects.order_by("version").values_list("version", "active")) == [
        (1, False),
        (2, True),
    ]


def test_from_the_categories_staff_confirmed_on_closed_cases(tmp_path: Path) -> None:
    city = build_city()
    officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    for number, (title, body, label) in enumerate(TRAIN):
        case = register(city, request=f"{title}。{body}", facts="", summary=title, when="2026-03-02")
        Suggestion.objects.create(
            case=case, staff=officer, at=at("2026-03-02"), decided_label=label, decided_at=at("2026-03-03")
        )
        if number % 6 != 0:  # one case of each class is still open: its category is not yet confirmed
            Case.objects.filter(pk=case.pk).update(state="closed")
    call_command("train_classifier", "--no-eval")
    model = ClassifierModel.objects.get()
    assert model.n_train == len(TRAIN) - 3 and model.source == "已办结案件中确认的类别"
    assert sorted(model.labels) == sorted({label for *_, label in TRAIN})


def test_no_confirmed_categories_and_an_unknown_trainer_exit_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("train_classifier")
    assert caught.value.returncode == 2
    with pytest.raises(CommandError) as caught:
        call_command("train_classifier", "--csv", str(train_csv(tmp_path)), "--by", "nobody")
    assert caught.value.returncode == 2 and "--by" in str(caught.value)


def test_the_admin_lists_the_models_with_the_active_one_in_chinese(admin_client: Client, tmp_path: Path) -> None:
    call_command("train_classifier", "--csv", str(train_csv(tmp_path)), "--no-eval")
    assert ClassifierModel in site._registry
    page = admin_client.get("/admin/triage/classifiermodel/").content.decode()
    assert "分类模型" in page and "当前使用" in page and "训练人（记录）" in page
    call_command("train_classifier", "--csv", str(train_csv(tmp_path)), "--no-eval")
    first = ClassifierModel.objects.get(version=1)
    admin_client.post("/admin/triage/classifiermodel/", {"action": "make_active", "_selected_action": [str(first.pk)]})
    assert list(ClassifierModel.objects.filter(active=True).values_list("version", flat=True)) == [1]
