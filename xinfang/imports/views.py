"""Staff pages for imports: sources, upload, mapping and dry run, progress, and the verification queue.

These pages read no case: an item becomes a case only when verified, and its link leads to the case page, which
applies `lifecycle.visibility` itself.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.org.access import staff_required
from xinfang.org.models import Staff

from . import selectors, services, tasks
from .export import XLSX, workbook
from .forms import MappingForm, RefuseForm, SourceForm, UploadForm, VerifyForm
from .mapping import LABELS, suggest_mapping
from .models import BatchStatus, ImportBatch, ImportItem, ItemStatus
from .reading import UnreadableFile

DRY_RUN_ROWS_SHOWN = 200


def _staff(request: HttpRequest, *, verify: bool = False) -> Staff:
    staff: Staff = request.staff  # type: ignore[attr-defined]
    allowed = selectors.may_verify(staff) if verify else selectors.may_import(staff)
    if not allowed:
        raise Http404
    return staff


def _errors(exc: ValidationError) -> list[str]:
    return [m for messages_ in exc.message_dict.values() for m in messages_]


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_source(organ=staff.organ, actor=staff, **form.cleaned_data)
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, "已添加导入来源")
            return redirect("imports:index")
    context = {
        "sources": selectors.sources_for(staff),
        "batches": selectors.batches_for(staff)[:20],
        "form": form,
        "upload_form": UploadForm(),
        "pending": selectors.queue_for(staff).count(),
    }
    return render(request, "imports/index.html", context)


@staff_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    source = get_object_or_404(selectors.sources_for(staff), pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的文件")
        return redirect("imports:index")
    upload_file = form.cleaned_data["file"]
    try:
        batch = services.upload_batch(source, file_name=upload_file.name, content=upload_file.read(), actor=staff)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("imports:index")
    return redirect("imports:batch", batch.pk)


def _batch(request: HttpRequest, pk: int) -> tuple[Staff, ImportBatch]:
    staff = _staff(request)
    return staff, get_object_or_404(selectors.batches_for(staff).defer(None), pk=pk)


@staff_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    staff, the_batch = _batch(request, pk)
    try:
        # Once the batch has started, the page shows its progress or result; the rows need not be checked again.
        run = selectors.dry_run(the_batch, rows=the_batch.status == BatchStatus.UPLOADED)
    except UnreadableFile as exc:
        raise Http404(str(exc)) from exc
    source = the_batch.source
    mapping_form = MappingForm(
        request.POST if request.POST.get("action") == "mapping" else None,
        headers=run.table.headers,
        initial=suggest_mapping(run.table.headers, source.mapping),
    )
    if request.method == "POST":
        if request.POST.get("action") == "mapping" and mapping_form.is_valid():
            services.save_mapping(source, mapping_form.cleaned_data, actor=staff)
            messages.success(request, "已保存列对应关系；该来源以后的文件将沿用")
            return redirect("imports:batch", the_batch.pk)
        if request.POST.get("action") == "start":
            try:
                tasks.start_batch(the_batch, actor=staff)
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
            else:
                messages.success(request, "已开始导入；可离开本页，导入在后台进行")
            return redirect("imports:batch", the_batch.pk)
    notes = the_batch.notes.all()[:500] if the_batch.processed_rows else []
    context = {
        "batch": the_batch,
        "run": run,
        "shown": run.rows[:DRY_RUN_ROWS_SHOWN],
        "problem_rows": [row for row in run.rows[DRY_RUN_ROWS_SHOWN:] if row[1] != "create"][:500],
        "outcomes": selectors.OUTCOMES,
        "mapping_form": mapping_form,
        "notes": notes,
    }
    return render(request, "imports/batch.html", context)


@staff_required
def progress(request: HttpRequest, pk: int) -> JsonResponse:
    _, the_batch = _batch(request, pk)
    return JsonResponse(
        {
            "status": the_batch.status,
            "status_display": the_batch.get_status_display(),
            "total": the_batch.total_rows,
            "processed": the_batch.processed_rows,
            "percent": the_batch.percent,
            "created": the_batch.created_count,
            "duplicates": the_batch.duplicate_count,
            "refused": the_batch.refused_count,
        }
    )


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    staff = _staff(request, verify=True)
    items = list(selectors.queue_for(staff)[:100])
    decided = selectors.queue_for(staff, ItemStatus.VERIFIED).order_by("-decided_at")[:10]
    refused = selectors.queue_for(staff, ItemStatus.REFUSED).order_by("-decided_at")[:10]
    rows = []
    for item in items:
        hints = selectors.repeat_hints(staff, item)
        # A partner may have marked the item as an accusation (Open311 attribute): ticked for the officer.
        initial = {"accusation": item.data.get("accusation") == "yes"}
        verify_form = VerifyForm(prefix=f"v{item.pk}", initial=initial, hints=hints)
        rows.append((item, verify_form, RefuseForm(prefix=f"r{item.pk}"), hints))
    return render(request, "imports/queue.html", {"rows": rows, "decided": decided, "refused": refused})


def _item(request: HttpRequest, pk: int) -> tuple[Staff, ImportItem]:
    staff = _staff(request, verify=True)
    return staff, get_object_or_404(selectors.queue_for(staff), pk=pk)


@staff_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    staff, item = _item(request, pk)
    hints = selectors.repeat_hints(staff, item)
    form = VerifyForm(request.POST, prefix=f"v{item.pk}", hints=hints)
    if not form.is_valid():
        messages.error(request, f"来源编号 {item.external_id}：所选「重复信访」的信访事项不在提示之列")
        return redirect("imports:queue")
    try:
        case = services.verify_item(
            item, actor=staff, accusation=bool(form.cleaned_data["accusation"]), matter_id=form.cleaned_data["matter"]
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, f"来源编号 {item.external_id}：{message}")
        return redirect("imports:queue")
    messages.success(request, f"来源编号 {item.external_id} 已登记为信访件 {case.petition.number}")
    return redirect("imports:queue")


@staff_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    staff, item = _item(request, pk)
    form = RefuseForm(request.POST, prefix=f"r{item.pk}")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.refuse_item(item, actor=staff, reason=reason)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, f"来源编号 {item.external_id}：{message}")
        return redirect("imports:queue")
    messages.success(request, f"来源编号 {item.external_id} 不予转为信访件，理由已记录")
    return redirect("imports:queue")


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@staff_required
def batch_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows of a batch that created nothing, with the field and the reason."""
    _, the_batch = _batch(request, pk)
    filters = [
        ("来源", the_batch.source.name),
        ("文件", the_batch.file_name),
        ("上传时间", timezone.localtime(the_batch.uploaded_at).strftime("%Y-%m-%d %H:%M")),
        ("结果", f"新建 {the_batch.created_count}，重复 {the_batch.duplicate_count}，有误 {the_batch.refused_count}"),
    ]
    rows = (
        (n.row_number, n.get_kind_display(), LABELS.get(n.field, n.field), n.message) for n in the_batch.notes.all()
    )
    content = workbook(f"第{the_batch.pk}批未导入的行", filters, ("行号", "结果", "字段", "说明"), rows)
    return _xlsx(content, f"导入第{the_batch.pk}批_未导入的行.xlsx")


@staff_required
def queue_export(request: HttpRequest) -> HttpResponse:
    """The queue (pending, verified or refused items) of the staff member's organ."""
    staff = _staff(request, verify=True)
    status = request.GET.get("status", ItemStatus.PENDING)
    if status not in ItemStatus.values:
        raise Http404
    items = selectors.queue_for(staff, status)
    filters = [
        ("机关", staff.organ.name),
        ("状态", ItemStatus(status).label),
        ("导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    header = (
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
    )
    rows = (
        (
            item.source.name,
            item.external_id,
            item.data.get("received_at", ""),
            item.data.get("request", ""),
            item.data.get("name", ""),
            item.contact,
            item.data.get("region_code", ""),
            timezone.localtime(item.imported_at).strftime("%Y-%m-%d %H:%M"),
            item.petition.number if item.petition else "",
            item.refusal_reason,
        )
        for item in items
    )
    content = workbook(f"导入事项（{ItemStatus(status).label}）", filters, header, rows)
    return _xlsx(content, f"导入事项_{ItemStatus(status).label}.xlsx")
