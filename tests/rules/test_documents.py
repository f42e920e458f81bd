"""Document kinds: every required item carries its citation; a missing item is refused, naming the article."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from xinfang.rules import RuleFileError
from xinfang.rules.documents import load_document_kinds, missing_items, refusal
from xinfang.rules.loader import DATA_DIR

KINDS = sorted(p.stem for p in (DATA_DIR / "documents").glob("*.yaml"))
EXPECTED = {
    "receipt_notice",
    "not_accepted_notice",
    "not_reaccepted_notice",
    "transfer_letter",
    "transfer_notice",
    "assignment_slip",
    "referral_notice",
    "diversion_notice",
    "objection_letter",
    "extension_notice",
    "handling_opinion",
    "review_opinion",
    "re_review_opinion",
    "hearing_notice",
    "completion_report",
    "warning_notice",
    "supervision_letter",
    "recommendation_letter",
    "mediation_agreement",
    "settlement_agreement",
}


def test_all_twenty_kinds_load_with_cited_items() -> None:
    kinds = load_document_kinds()
    assert set(kinds) == EXPECTED
    for kind in kinds.values():
        for item in kind.versions[-1].items:
            assert item.citation.article.startswith("第") and item.citation.quote


def test_the_opinion_requires_the_article_32_content_and_the_review_right() -> None:
    opinion = load_document_kinds()["handling_opinion"].versions[-1]
    assert [i.key for i in opinion.items] == [
        "request",
        "facts_and_reasons",
        "opinion",
        "legal_basis",
        "outcome",
        "review_right",
    ]
    assert opinion.approval_required and opinion.starts_on_service == ("review_request",)
    complete = {
        "request": "请求付清补偿款",
        "facts_and_reasons": "经查……",
        "opinion": "不予支持",
        "legal_basis": "第二十五条",
        "outcome": "不予支持",
        "review_right": "如不服，可自收到本意见书之日起30日内向东城区人民政府请求复查。",
    }
    assert refusal(opinion, complete) is None
    without_right = {**complete, "review_right": " "}
    message = refusal(opinion, without_right)
    assert message is not None and "缺少「请求复查的权利、期限和复查机关」" in message and "第三十五条" in message
    message = refusal(opinion, {**complete, "legal_basis": ""})
    assert message is not None and "法律法规依据" in message and "第三十二条第一款" in message
    assert [i.key for i in missing_items(opinion, {**complete, "outcome": "部分支持"})] == ["outcome"]


@pytest.mark.parametrize("name", KINDS)
def test_a_kind_without_a_citation_is_refused_naming_the_file(tmp_path: Path, name: str) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    path = tmp_path / "data" / "documents" / f"{name}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["versions"][0]["items"][0]["citation"]["quote"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_document_kinds(tmp_path / "data")
    assert caught.value.file == f"{name}.yaml" and "items 第1项" in caught.value.entry
