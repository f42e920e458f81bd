"""The import pages as a registrar and a triage officer use them: upload, map, dry run, start, verify, refuse."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from tests.factories import build_city, client_for, register
from xinfang.imports import services
from xinfang.imports.models import BatchStatus, ImportBatch, ImportItem, ImportSource, ItemStatus
from xinfang.org.models import Role

from .helpers import MAPPING, csv_bytes, good_row, hotline

pytestmark = pytest.mark.django_db



def test_registrar_maps_a_new_source_dry_runs_and_starts(django_capture_on_commit_callbacks):
    city = build_city()
    registrar = client_for(city.who(city.bureau, Role.REGISTRAR))
    response = registrar.post(
        "/work/imports/",
        {"name": "西地市12345热线", "kind": "hotline_12345", "channel": "phone", "default_region_code": ""},
    )
    assert response.status_code == 302
    source = ImportSource.objects.get()
    bad = good_row(2)
    bad[2] = ""
    upload = SimpleUploadedFile("12345.csv", csv_bytes([good_row(1), bad]))
    response = registrar.post(f"/work/imports/sources/{source.pk}/upload/", {"file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/work/imports/batches/{batch.pk}/"
    page = registrar.get(response["Location"]).content.decode()
    # The form proposes the columns whose names contain our labels: 诉求内容 for 诉求.
    assert '<option value="诉求内容" selected>' in page
    response = registrar.post(f"/work/imports/batches/{batch.pk}/", {"action": "mapping", **MAPPING})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.mapping == MAPPING
    page = registrar.get(f"/work/imports/batches/{batch.pk}/").content.decode()
    assert "将新建 1 件，重复 0 行，有误 1 行" in page
    assert "「诉求」不能为空" in page
    assert not ImportItem.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        registrar.post(f"/work/imports/batches/{batch.pk}/", {"action": "start"})
    assert len(callbacks) == 1
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [batch.pk] and task.task_path == "xinfang.imports.tasks.run_import"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED
    page = registrar.get(f"/work/imports/batches/{batch.pk}/").content.decode()
    assert 'data-testid="progress"' in page
    progress = registrar.get(f"/work/imports/batches/{batch.pk}/progress/").json()
    assert progress["status"] == "queued" and progress["total"] == 2


def test_triage_verifies_and_refuses_from_the_queue():
    city = build_city()
    source = hotline(city)
    registrar = city.who(city.bureau, Role.REGISTRAR)
    batch = services.upload_batch(
        source, file_name="a.csv", content=csv_bytes([good_row(1), good_row(2)]), actor=registrar
    )
    services.run_batch(batch.pk)
    triage = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    page = triage.get("/work/imports/queue/").content.decode()
    assert page.count('data-testid="import-item"') == 2
    first, second = ImportItem.objects.order_by("row_number")
    response = triage.post(f"/work/imports/items/{first.pk}/verify/", {})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.petition is not None
    assert first.status == ItemStatus.VERIFIED and first.petition.channel == "phone"
    triage.post(f"/work/imports/items/{second.pk}/refuse/", {f"r{second.pk}-reason": ""})
    second.refresh_from_db()
    assert second.status == ItemStatus.PENDING  # no reason, no refusal
    triage.post(f"/work/imports/items/{second.pk}/refuse/", {f"r{second.pk}-reason": "重复工单"})
    second.refresh_from_db()
    assert second.status == ItemStatus.REFUSED and second.refusal_reason == "重复工单"
    page = triage.get("/work/imports/queue/").content.decode()
    assert first.petition.number in page and "重复工单" in page


def test_other_organs_and_roles_see_nothing():
    city = build_city()
    source = hotline(city)
    batch = services.upload_batch(
        source, file_name="a.csv", content=csv_bytes([good_row(1)]), actor=city.who(city.bureau, Role.REGISTRAR)
    )
    services.run_batch(batch.pk)
    item = ImportItem.objects.get()
    outsider = client_for(city.who(city.county_bureau, Role.TRIAGE_OFFICER))
    assert "小区第1号楼" not in outsider.get("/work/imports/queue/").content.decode()
    assert outsider.post(f"/work/imports/items/{item.pk}/verify/").status_code == 404
    outsider_registrar = client_for(city.who(city.county_bureau, Role.REGISTRAR))
    assert outsider_registrar.get(f"/work/imports/batches/{batch.pk}/").status_code == 404
    handler = client_for(city.who(city.bureau, Role.HANDLER))
    assert handler.get("/work/imports/queue/").status_code == 404
    assert handler.get("/work/imports/").status_code == 404
    assert Client().get("/work/imports/queue/").status_code == 302  # to the login page


def _sheet(content: bytes) -> list[list[object]]:
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_batch_report_and_queue_export_to_excel_with_the_filters_on_top():
    city = build_city()
    source = hotline(city)
    bad = good_row(2)
    bad[6] = "99"
    batch = services.upload_batch(
        source,
        file_name="a.csv",
        content=csv_bytes([good_row(1), bad, good_row(1)]),
        actor=city.who(city.bureau, Role.REGISTRAR),
    )
    services.run_batch(batch.pk)
    registrar = client_for(city.who(city.bureau, Role.REGISTRAR))
    response = registrar.get(f"/work/imports/batches/{batch.pk}/report.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response.content)
    assert rows[0][0] == f"第{batch.pk}批未导入的行"
    assert rows[1][:2] == ["来源", "西地市12345热线"] and rows[2][:2] == ["文件", "a.csv"]
    assert rows[4][:2] == ["结果", "新建 1，重复 1，有误 1"]
    assert rows[6] == ["行号", "结果", "字段", "说明"]
    assert rows[7] == [3, "有误，未导入", "问题发生地", "「问题发生地」应为六位行政区划代码"]
    assert rows[8] == [4, "重复，未导入", "来源编号", "「来源编号」GD000001 与本文件第2行重复"]
    triage = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    rows = _sheet(triage.get("/work/imports/queue.xlsx?status=pending").content)
    assert rows[1][:2] == ["机关", "西地市信访局"] and rows[2][:2] == ["状态", "待核实"]
    header = rows.index(
        [
            "来源",
            "来源编号",
            "来源登记时间",
            "诉求",
            "姓名（名称）",
            "联系电话",
            "问题发生地",
            "导入时间",
            "信访件编号",
            "不予转为信访件的理由",
        ]
    )
    (item,) = rows[header + 1 :]
    assert item[1] == "GD000001" and item[5] == "13900000000" and item[8] is None
    outsider = client_for(city.who(city.county_bureau, Role.TRIAGE_OFFICER))
    rows = _sheet(outsider.get("/work/imports/queue.xlsx?status=pending").content)
    assert rows[-1][0] == "来源"  # the header and nothing under it
    assert outsider.get(f"/work/imports/batches/{batch.pk}/report.xlsx").status_code == 404


def test_queue_hints_at_repeats_and_verifying_joins_the_matter():
    city = build_city()
    earlier = register(city, request="小区第1号楼电梯停运三周，请求物业尽快维修", contact="13900000000", name="李某某")
    # A confidential accusation registered at a county bureau: the city bureau may know it exists, not read it.
    hidden = register(
        city, where=city.other_county_housing, request="小区第1号楼电梯停运三周，请求物业尽快维修", accusation=True
    )
    source = hotline(city)
    batch = services.upload_batch(
        source, file_name="a.csv", content=csv_bytes([good_row(1)]), actor=city.who(city.bureau, Role.REGISTRAR)
    )
    services.run_batch(batch.pk)
    triage = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    page = triage.get("/work/imports/queue/").content.decode()
    assert 'data-testid="repeat-hints"' in page and earlier.petition.number in page
    assert hidden.petition.number not in page
    item = ImportItem.objects.get()
    response = triage.post(
        f"/work/imports/items/{item.pk}/verify/", {f"v{item.pk}-matter": str(hidden.petition.matter_id)}
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING  # a matter that was not offered is refused
    triage.post(f"/work/imports/items/{item.pk}/verify/", {f"v{item.pk}-matter": str(earlier.petition.matter_id)})
    item.refresh_from_db()
    assert item.petition is not None
    assert item.petition.matter_id == earlier.petition.matter_id and item.petition.is_repeat
    assert response.status_code == 302
