"""Fingerprints a petitioner can check: the SM3 digest of the petition as registered (the digest the event
chain covers, `intake.digest`) and the SM3 of each served document's PDF (recorded when it was issued).

`check` answers the public verification page: the fingerprint must be one the chain recorded for this
petition, the chain segment of the petition must verify, and the record must still produce the digest
the chain last recorded (or, for a document, the stored PDF must still hash to the recorded SM3).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from xinfang.audit.chain import sm3_hex
from xinfang.audit.models import Event
from xinfang.audit.segment import segment_problem
from xinfang.documents.models import Document
from xinfang.intake.digest import petition_digest
from xinfang.intake.models import Petition

from .selectors import served_documents

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def normalise(text: str) -> str:
    """The fingerprint as typed, without spaces or dashes, in lower case."""
    return re.sub(r"[\s\-－—]", "", text).lower()


def grouped(fingerprint: str) -> str:
    """For reading aloud and copying: eight groups of eight characters."""
    return " ".join(fingerprint[i : i + 8] for i in range(0, len(fingerprint), 8))


def _events(petition: Petition) -> list[Event]:
    return list(Event.objects.filter(petition_id=petition.pk).order_by("seq"))


def registered(petition: Petition) -> str:
    """The digest the chain recorded when the petition was received (its first recorded digest)."""
    event = Event.objects.filter(petition_id=petition.pk).exclude(petition_digest="").order_by("seq").first()
    return event.petition_digest if event else ""


@dataclass(frozen=True)
class DocumentPrint:
    title: str
    number: str
    fingerprint: str


def of_documents(petition: Petition) -> list[DocumentPrint]:
    return [
        DocumentPrint(d.get_kind_title(), d.number, d.pdf_sm3) for d in served_documents(petition) if d.pdf_sm3
    ]


class Outcome(enum.Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    UNKNOWN = "unknown"  # not a fingerprint of this petition or of its served documents


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    subject: str  # "信访件" or the document's title and number


def _issued_sm3(events: list[Event], document_id: int) -> str:
    for event in events:
        if event.action == "issue_document" and event.payload.get("document") == document_id:
            return str(event.payload.get("pdf_sm3", ""))
    return ""


def check(petition: Petition, fingerprint: str) -> Answer:
    events = _events(petition)
    recorded = [e.petition_digest for e in events if e.petition_digest]
    intact = segment_problem(events) is None
    if fingerprint in recorded:
        unchanged = intact and petition_digest(petition) == recorded[-1]
        return Answer(Outcome.UNCHANGED if unchanged else Outcome.CHANGED, "信访件")
    for document in served_documents(petition):
        issued = _issued_sm3(events, document.pk)
        if fingerprint not in (issued, document.pdf_sm3) or not fingerprint:
            continue
        pdf = Document.objects.filter(pk=document.pk).values_list("pdf", flat=True).first()
        unchanged = intact and issued == fingerprint == document.pdf_sm3 and sm3_hex(bytes(pdf or b"")) == issued
        subject = f"{document.get_kind_title()}（{document.number}）"
        return Answer(Outcome.UNCHANGED if unchanged else Outcome.CHANGED, subject)
    return Answer(Outcome.UNKNOWN, "")
