"""Imports: dry run names each row's outcome, the run is idempotent on the source's id, and resumes after a crash."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from tests.factories import at, build_city
from xinfang.audit.models import Event
from xinfang.imports import services, tasks
from xinfang.imports.models import BatchStatus, ImportBatch, ImportItem, ItemStatus, RowNote
from xinfang.imports.selectors import dry_run
from xinfang.imports.tasks import run_import
from xinfang.org.models import Role, Staff

from .helpers import HEADERS, csv_bytes, good_row, hotline, xlsx_bytes

pytestmark = pytest.mark.django_db
NOW = at("2026-03-03")


def _upload(source, content: bytes, name: str = "12345.csv"):
    registrar = next(s for s in Staff.objects.filter(organ=source.organ) if Role.REGISTRAR in s.roles)
    return services.upload_batch(source, file_name=name, content=content, actor=registrar, now=NOW)


def test_dry_run_names_the_field_and_writes_nothing():
    city = build_city()
    source = hotline(city)
    bad_region = good_row(2)
    bad_region[6] = "9901"
    no_request = good_row(3)
    no_request[2] = ""
    bad_time = good_row(4)
    bad_time[1] = "三月二日"
    batch = _upload(source, csv_bytes([good_row(1), bad_region, no_request, bad_time, good_row(1)]))
    run = dry_run(batch, now=NOW)
    assert run.mapping_problems == []
    outcomes = {r.row_number: (outcome, note) for r, outcome, note in run.rows}
    assert outcomes[2] == ("create", "")
    assert outcomes[3][0] == "refused" and "「问题发生地」应为六位行政区划代码" in outcomes[3][1]
    assert outcomes[4][0] == "refused" and "「诉求」不能为空" in outcomes[4][1]
    assert outcomes[5][0] == "refused" and "「来源登记时间」无法识别：“三月二日”" in outcomes[5][1]
    assert outcomes[6] == ("duplicate", "「来源编号」GD000001 与本文件第2行重复")
    assert run.counts == {"create": 1, "duplicate": 1, "refused": 3}
    assert not ImportItem.objects.exists() and not RowNote.objects.exists()


def test_a_bad_identity_number_is_refused_naming_the_field():
    city = build_city()
    source = hotline(city)
    headers = [*HEADERS, "身份证号"]
    services.save_mapping(
        source, {**source.mapping, "id_number": "身份证号"}, actor=city.who(city.bureau, Role.REGISTRAR)
    )
    row = [*good_row(1), "110101199003071234"]  # 18 digits whose check digit does not match (GB 11643)
    batch = _upload(source, csv_bytes([row], headers))
    ((_result, outcome, note),) = dry_run(batch, now=NOW).rows
    assert outcome == "refused"
    assert "「证件号码」" in note and "校验位" in note


def test_mapping_problems_name_the_missing_column():
    city = build_city()
    source = hotline(city, mapped=False)
    batch = _upload(source, csv_bytes([good_row(1)]))
    problems = dry_run(batch, now=NOW).mapping_problems
    assert "「来源编号」必须对应文件中的一列" in problems
    assert "「诉求」必须对应文件中的一列" in problems
    with pytest.raises(ValidationError):
        tasks.start_batch(batch, actor=city.who(city.bureau, Role.REGISTRAR))


def test_run_is_idempotent_on_the_source_id_across_files():
    city = build_city()
    source = hotline(city)
    first = _upload(source, xlsx_bytes([good_row(1), good_row(2)]), "a.xlsx")
    services.run_batch(first.pk, now=lambda: NOW)
    second = _upload(source, xlsx_bytes([good_row(2), good_row(3)]), "b.xlsx")
    services.run_batch(second.pk, now=lambda: NOW)
    services.run_batch(second.pk, now=lambda: NOW)  # running a finished batch again does nothing
    assert sorted(ImportItem.objects.values_list("external_id", flat=True)) == ["GD000001", "GD000002", "GD000003"]
    second.refresh_from_db()
    assert (second.status, second.created_count, second.duplicate_count, second.refused_count) == ("done", 1, 1, 0)
    note = RowNote.objects.get(batch=second)
    assert note.row_number == 2 and note.message == f"「来源编号」GD000002 已导入过（第{first.pk}批），不重复导入"


def test_excel_dates_and_numbers_are_read_as_written():
    city = build_city()
    source = hotline(city)
    row: list[object] = list(good_row(1))
    row[1] = dt.datetime(2026, 3, 2, 9, 15)
    row[6] = 990102  # a number cell
    batch = _upload(source, xlsx_bytes([row]), "a.xlsx")
    services.run_batch(batch.pk, now=lambda: NOW)
    item = ImportItem.objects.get()
    assert item.data["received_at"] == "2026-03-02T09:15:00+08:00"
    assert item.data["region_code"] == "990102"


def test_gbk_csv_is_read():
    city = build_city()
    source = hotline(city)
    batch = _upload(source, csv_bytes([good_row(1)], encoding="gbk"))
    assert dry_run(batch, now=NOW).counts["create"] == 1


def test_unreadable_file_is_refused_naming_the_field():
    city = build_city()
    source = hotline(city)
    with pytest.raises(ValidationError) as err:
        _upload(source, b"PK\x03\x04 not really", "x.xlsx")
    assert err.value.message_dict["file"][0].startswith("「文件」Excel 文件无法打开")
    with pytest.raises(ValidationError) as err:
        _upload(source, b"a,b", "x.txt")
    assert err.value.message_dict["file"] == ["「文件」只能导入 Excel（.xlsx）或 CSV（.csv）文件"]


class Crash(Exception):
    pass


def _rows_with_bad(total: int, every: int) -> tuple[list[list[str]], set[int]]:
    rows, bad = [], set()
    for n in range(1, total + 1):
        row = good_row(n)
        if n % every == 0:
            row[2] = ""  # no request: must be reported, never created
            bad.add(n + 1)  # spreadsheet row number
        rows.append(row)
    return rows, bad


def test_crash_half_way_and_resume_creates_each_good_row_once(monkeypatch):
    city = build_city()
    source = hotline(city)
    rows, bad = _rows_with_bad(1000, 20)  # 5% bad
    batch = _upload(source, csv_bytes(rows))
    calls = {"n": 0}

    def crash_on_third_chunk(locked):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Crash  # inside the chunk's transaction: its writes must vanish

    monkeypatch.setattr(services, "_after_chunk", crash_on_third_chunk)
    with pytest.raises(Crash):
        services.run_batch(batch.pk, chunk_size=200, now=lambda: NOW)
    batch.refresh_from_db()
    assert batch.processed_rows == 400 and batch.status == BatchStatus.RUNNING
    assert ImportItem.objects.count() == 380
    monkeypatch.setattr(services, "_after_chunk", lambda locked: None)
    services.run_batch(batch.pk, chunk_size=200, now=lambda: NOW)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    ids = list(ImportItem.objects.values_list("external_id", flat=True))
    assert len(ids) == len(set(ids)) == 950
    assert {int(r) for r in RowNote.objects.values_list("row_number", flat=True)} == bad
    assert RowNote.objects.count() == 50
    assert (batch.created_count, batch.duplicate_count, batch.refused_count) == (950, 0, 50)
    assert Event.objects.filter(action="import_done").count() == 1


def test_verify_registers_a_petition_with_the_channel_and_refuse_records_why():
    city = build_city()
    source = hotline(city)
    batch = _upload(source, csv_bytes([good_row(1), good_row(2)]))
    services.run_batch(batch.pk, now=lambda: NOW)
    triage = city.who(city.bureau, Role.TRIAGE_OFFICER)
    first, second = ImportItem.objects.order_by("row_number")
    case = services.verify_item(first, actor=triage, now=NOW)
    assert case.petition.channel == "phone"
    assert case.petition.request == "小区第1号楼电梯停运三周，请求物业尽快维修"
    assert case.organ == city.bureau
    assert case.petition.received_at == at("2026-03-02", 9).replace(minute=15)
    first.refresh_from_db()
    assert first.status == ItemStatus.VERIFIED and first.petition == case.petition
    event = Event.objects.get(action="import_verified")
    assert event.payload["external_id"] == "GD000001" and event.payload["source"] == "西地市12345热线"
    with pytest.raises(ValidationError):
        services.verify_item(first, actor=triage, now=NOW)
    with pytest.raises(ValidationError) as err:
        services.refuse_item(second, actor=triage, reason="  ", now=NOW)
    assert err.value.message_dict["reason"] == ["「不予转为信访件的理由」不能为空"]
    services.refuse_item(second, actor=triage, reason="属于政务咨询，已由热线直接答复", now=NOW)
    second.refresh_from_db()
    assert second.status == ItemStatus.REFUSED and second.refusal_reason == "属于政务咨询，已由热线直接答复"
    assert second.petition is None


def test_verified_accusation_is_confidential_from_registration():
    city = build_city()
    source = hotline(city)
    batch = _upload(source, csv_bytes([good_row(1)]))
    services.run_batch(batch.pk, now=lambda: NOW)
    case = services.verify_item(
        ImportItem.objects.get(), actor=city.who(city.bureau, Role.TRIAGE_OFFICER), accusation=True, now=NOW
    )
    assert case.petition.accusation is True


def test_identity_fields_are_encrypted_at_rest_like_the_petition():
    city = build_city()
    source = hotline(city)
    batch = _upload(source, csv_bytes([good_row(1)]))
    services.run_batch(batch.pk, now=lambda: NOW)
    item = ImportItem.objects.get()
    assert (item.contact, item.address) == ("13900000000", "甲县城关镇和平路2号")
    with connection.cursor() as cursor:
        cursor.execute("SELECT data, contact, address FROM imports_importitem")
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert "13900000000" not in raw and "和平路" not in raw
    case = services.verify_item(item, actor=city.who(city.bureau, Role.TRIAGE_OFFICER), now=NOW)
    assert (case.petition.contact, case.petition.address) == ("13900000000", "甲县城关镇和平路2号")


def test_values_longer_than_the_petition_holds_are_refused_naming_the_field():
    city = build_city()
    source = hotline(city)
    row = good_row(1)
    row[4] = "1" * 51
    batch = _upload(source, csv_bytes([row]))
    ((_result, outcome, note),) = dry_run(batch, now=NOW).rows
    assert (outcome, note) == ("refused", "「联系电话」不能超过50个字符")


def test_a_failed_background_run_is_marked_and_resumed_by_the_command(monkeypatch):
    city = build_city()
    source = hotline(city)
    rows, _ = _rows_with_bad(600, 20)
    batch = _upload(source, csv_bytes(rows))
    monkeypatch.setattr(services, "CHUNK_SIZE", 200)
    calls = {"n": 0}

    def crash_on_second_chunk(locked):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Crash("磁盘已满")

    monkeypatch.setattr(services, "_after_chunk", crash_on_second_chunk)
    with pytest.raises(Crash):
        run_import.call(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.processed_rows) == (BatchStatus.FAILED, 200)
    assert batch.error == "Crash: 磁盘已满"
    monkeypatch.setattr(services, "_after_chunk", lambda locked: None)
    out = io.StringIO()
    call_command("resume_imports", "--now", stdout=out)
    assert out.getvalue() == f"第{batch.pk}批：已继续导入\n"
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.refused_count) == (BatchStatus.DONE, 570, 30)
    assert ImportItem.objects.count() == 570


def test_a_batch_left_running_by_a_dead_worker_can_be_started_again(django_capture_on_commit_callbacks):
    city = build_city()
    source = hotline(city)
    batch = _upload(source, csv_bytes([good_row(1), good_row(2)]))
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, processed_rows=1)
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.start_batch(batch, actor=city.who(city.bureau, Role.REGISTRAR))
    assert len(callbacks) == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED
    services.run_batch(batch.pk, now=lambda: NOW)
    assert list(ImportItem.objects.values_list("external_id", flat=True)) == ["GD000002"]  # from the offset
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.DONE)
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.start_batch(batch, actor=city.who(city.bureau, Role.REGISTRAR))
    assert callbacks == []  # a finished batch is never run again
