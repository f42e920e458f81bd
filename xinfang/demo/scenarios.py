"""What happens to each demo petition: a catalogue of paths through the transition table.

A scenario is a line of steps, ``op:lo-hi`` meaning "operation ``op``, ``lo`` to ``hi`` calendar days
after the previous step" (``op`` alone: the same day, a little later). ``ENTRY`` stands for the way the
petition reaches the organ that handles it, picked per petition from ``entries``:

- ``direct``: the petitioner goes straight to the handling organ;
- ``transfer``: a petition bureau (the city's or the county's) registers, triages and transfers it;
- ``assign``: the bureau assigns it and waits for a completion report (交办);
- ``pl`` / ``disc``: the bureau routes it to a political-legal organ / to the 纪委监委;
- ``wrong``: the bureau first transfers it to the wrong department, which objects.

``slack`` is how many days before today the last step happened; it decides which cases are overdue.
Steps land on working days, so a step may slip by up to nine days over a long holiday: gaps that a
guard bounds (an extension inside the 60-day period, a request inside a 30-day window, an objection
inside 5 working days) leave room for that.
"""

from __future__ import annotations

from dataclasses import dataclass

from xinfang.intake.models import Category

G, S, A = Category.GRIEVANCE, Category.SUGGESTION, Category.ACCUSATION
PL_DEPTS = ("court", "police", "procuratorate", "justice")

ENTRY_STEPS = {
    "bureau": "register",  # the scenario's own steps follow at the bureau
    "direct": "register triage:0-3",
    "transfer": "register triage:0-2 transfer:0-3 triage:1-3",
    "assign": "register triage:0-2 assign:0-3 triage:1-3",
    "pl": "register triage:0-2 route_pl:0-3 triage:1-3",
    "disc": "register triage:0-2 route_disc:0-3 triage:1-3",
    "wrong": "register triage:0-2 transfer_wrong:0-2 triage:1-2",
}

HANDLE = "ENTRY accept:0-1 investigate:0-2"
OPINION = HANDLE + " opinion:20-40 serve:1-3"
SHORT_OPINION = HANDLE + " opinion:18-28 serve:1-3"


@dataclass(frozen=True)
class Scenario:
    name: str
    count: int
    category: str
    steps: str
    slack: tuple[int, int]
    entries: tuple[str, ...] = ("transfer", "direct")
    needs: tuple[str, ...] = ()  # template attributes that must be set (divert, duty, agreement…)
    depts: tuple[str, ...] = ()  # only templates of these departments
    county_level: bool = False  # handled by a county-level organ (a re-review needs two superiors)
    assign_days: int = 30

    def expanded(self, entry: str) -> list[tuple[str, int, int]]:
        """The steps with ENTRY replaced, as (operation, min gap, max gap)."""
        result = []
        for token in self.steps.replace("ENTRY", ENTRY_STEPS[entry]).split():
            op, _, gap = token.partition(":")
            lo, _, hi = gap.partition("-")
            result.append((op, int(lo or 0), int(hi or lo or 0)))
        return result


SCENARIOS: tuple[Scenario, ...] = (
    # At the petition bureau.
    Scenario("registered", 6, G, "register", (0, 9), entries=("bureau",)),
    Scenario("registered_suggestion", 1, S, "register", (0, 9), entries=("bureau",)),
    Scenario("registered_overdue", 2, G, "register supervise:18-20", (0, 6), entries=("bureau",)),
    Scenario("registered_direct", 5, G, "register", (0, 22), entries=("direct",)),
    Scenario("triaged", 4, G, "register triage:0-3", (0, 8), entries=("bureau",)),
    Scenario("triaged_overdue", 2, G, "register triage:1-3", (15, 25), entries=("bureau",)),
    Scenario(
        "escalated", 3, G, "register triage:0-2 escalate:0-1", (1, 20), entries=("bureau",), needs=("collective",)
    ),
    Scenario(
        "escalated_then_assigned",
        3,
        G,
        "register triage:0-1 escalate:0-1 assign:2-6 triage:1-2 accept:0-1 investigate:0-2 leader_case:3-10"
        " opinion:20-40 serve:1-3 report:1-3 report_accept:1-5",
        (0, 30),
        entries=("bureau",),
        needs=("collective", "finding"),
    ),
    # Objections to a transfer (Art. 23(3)).
    Scenario("objection_pending", 3, G, "ENTRY object:0-2", (0, 6), entries=("wrong",), needs=("wrong",)),
    Scenario(
        "objection_upheld",
        3,
        G,
        "ENTRY object:0-2 approve_objection:1-3 transfer:0-1 triage:1-2 accept:0-1 investigate:0-2",
        (0, 40),
        entries=("wrong",),
        needs=("wrong", "finding"),
    ),
    Scenario(
        "objection_rejected",
        2,
        G,
        "ENTRY object:0-2 reject_objection:1-3 notice:0-1 investigate:0-2 opinion:25-45 serve:1-3",
        (0, 20),
        entries=("transfer",),
        needs=("finding",),
        county_level=True,
    ),
    # Not accepted, not re-accepted, referred out.
    Scenario(
        "not_accepted",
        4,
        G,
        HANDLE + " repeat_pending:10-25",
        (0, 15),
        entries=("transfer",),
        needs=("finding",),
    ),
    Scenario("referred_out", 4, G, "register triage:0-3 refer_out:0-2", (0, 60), entries=("direct",), needs=("refer",)),
    # Political-legal organs and the 纪委监委.
    Scenario("pl_registered", 2, G, "register triage:0-2 route_pl:0-2", (0, 2), entries=("bureau",), depts=PL_DEPTS),
    Scenario("pl_diverted", 4, G, "ENTRY accept:0-1 divert:2-10", (0, 60), ("pl",), ("divert",), PL_DEPTS),
    Scenario("pl_duty_done", 2, G, "ENTRY accept:0-1 duty:0-3 duty_done:10-30", (0, 40), ("pl",), ("duty",), PL_DEPTS),
    Scenario("pl_duty", 2, G, "ENTRY accept:0-1 duty:0-3", (0, 20), ("pl",), ("duty",), PL_DEPTS),
    Scenario("pl_investigating", 1, G, HANDLE, (5, 40), ("pl",), ("finding",), PL_DEPTS),
    Scenario(
        "disc_handling", 4, A, "ENTRY accept:0-1 acc_handling:1-5", (0, 40), ("disc", "direct"), (), ("discipline",)
    ),
    Scenario(
        "disc_concluded",
        5,
        A,
        "ENTRY accept:0-1 acc_handling:1-5 acc_conclude:20-60",
        (0, 50),
        ("disc", "direct"),
        (),
        ("discipline",),
    ),
    Scenario("accusation_handling", 2, A, "ENTRY accept:0-1 acc_handling:0-3", (0, 30), needs=("not_discipline",)),
    Scenario(
        "accusation_concluded",
        4,
        A,
        "ENTRY accept:0-1 acc_handling:0-3 acc_conclude:10-40",
        (0, 60),
        needs=("not_discipline",),
    ),
    # Suggestions (Art. 29).
    Scenario("suggestion_review", 6, S, "ENTRY accept:0-1 sugg_review:1-5", (0, 25)),
    Scenario("suggestion_concluded", 7, S, "ENTRY accept:0-1 sugg_review:1-5 sugg_conclude:10-40", (0, 80)),
    # Grievances (Art. 31–36).
    Scenario("accepted", 5, G, "ENTRY accept:0-1", (0, 5), needs=("finding",)),
    Scenario(
        "late_receipt_notice",
        2,
        G,
        "ENTRY accept_quiet:0-1 investigate:0-2 notice:18-25",
        (0, 20),
        needs=("finding",),
    ),
    Scenario("diverted", 6, G, "ENTRY accept:0-1 divert:1-10", (0, 90), needs=("divert", "not_pl")),
    Scenario("duty", 3, G, "ENTRY accept:0-1 duty:0-3", (0, 20), needs=("duty", "not_pl")),
    Scenario("duty_done", 5, G, "ENTRY accept:0-1 duty:0-3 duty_done:7-30", (0, 90), needs=("duty", "not_pl")),
    Scenario("investigating", 9, G, HANDLE, (3, 45), needs=("finding",)),
    Scenario("investigating_overdue", 2, G, HANDLE + " supervise:63-70", (3, 40), needs=("finding",)),
    Scenario(
        "investigating_leader",
        2,
        G,
        HANDLE + " supervise:63-70 leader_case:2-6",
        (3, 30),
        needs=("finding",),
        county_level=True,
    ),
    Scenario("extended", 3, G, HANDLE + " extend:38-46", (0, 25), needs=("finding",)),
    Scenario("extended_overdue", 2, G, HANDLE + " extend:38-46 supervise:55-62", (0, 20), needs=("finding",)),
    Scenario("hearing", 4, G, HANDLE + " hearing:20-40", (0, 10), needs=("finding",)),
    Scenario("mediation", 3, G, HANDLE + " mediation:5-20", (0, 10), needs=("agreement",)),
    Scenario("settled", 6, G, HANDLE + " mediation:5-20 settle:3-15", (0, 90), needs=("agreement",)),
    Scenario(
        "mediation_failed",
        2,
        G,
        HANDLE + " mediation:5-15 mediation_fail:5-10 opinion:10-25 serve:1-3",
        (0, 25),
        needs=("agreement", "finding"),
    ),
    Scenario("opinion_issued", 3, G, HANDLE + " opinion:20-45", (0, 3), needs=("finding",)),
    Scenario("opinion_delivered", 6, G, OPINION, (0, 25), needs=("finding",)),
    Scenario("closed_no_review", 12, G, OPINION, (42, 125), needs=("finding",)),
    Scenario(
        "closed_after_extension",
        2,
        G,
        HANDLE + " extend:38-46 hearing:5-10 hearing_end:1-3 opinion:10-20 serve:1-3",
        (42, 60),
        needs=("finding",),
    ),
    Scenario("review_requested", 4, G, OPINION + " review:5-25", (0, 20), needs=("finding",)),
    Scenario("review_overdue", 1, G, OPINION + " review:5-20 supervise:33-36", (0, 8), needs=("finding",)),
    Scenario("review_delivered", 4, G, OPINION + " review:5-25 review_decide:15-28", (0, 20), needs=("finding",)),
    Scenario("closed_no_re_review", 2, G, OPINION + " review:5-25 review_decide:15-28", (42, 55), needs=("finding",)),
    Scenario(
        "re_review_requested",
        3,
        G,
        SHORT_OPINION + " review:5-20 review_decide:15-25 re_review:5-20",
        (0, 20),
        needs=("finding",),
        county_level=True,
    ),
    Scenario(
        "re_review_hearing",
        3,
        G,
        SHORT_OPINION + " review:5-20 review_decide:15-25 re_review:5-20 rr_hearing:3-10",
        (0, 12),
        needs=("finding",),
        county_level=True,
    ),
    Scenario(
        "final",
        2,
        G,
        SHORT_OPINION + " review:5-15 review_decide:15-25 re_review:5-15 rr_hearing:3-8 rr_hearing_end:2-4 final:5-12",
        (0, 20),
        needs=("finding",),
        county_level=True,
    ),
    Scenario(
        "final_then_repeat",
        3,
        G,
        SHORT_OPINION + " review:5-15 review_decide:15-25 re_review:5-15 final:10-20 repeat_final:7-20",
        (0, 10),
        needs=("finding",),
        county_level=True,
    ),
    # Assignments with a completion report (Art. 22(1)(3)).
    Scenario(
        "assigned_overdue", 2, G, HANDLE + " supervise_parent:25-30", (0, 15), ("assign",), ("finding",), assign_days=20
    ),
    Scenario(
        "assigned_reported", 2, G, HANDLE + " opinion:10-20 serve:1-3 report:1-3", (0, 8), ("assign",), ("finding",)
    ),
    Scenario(
        "assigned_closed",
        5,
        G,
        HANDLE + " opinion:10-25 serve:1-3 report:1-3 report_accept:1-5",
        (0, 80),
        ("assign",),
        ("finding",),
    ),
    Scenario(
        "assigned_report_returned",
        2,
        G,
        HANDLE + " opinion:10-20 serve:1-3 report:1-3 report_reject:1-4 report:5-12 report_accept:1-4",
        (0, 60),
        ("assign",),
        ("finding",),
    ),
    Scenario(
        "assigned_duty",
        2,
        G,
        "ENTRY accept:0-1 duty:0-3 duty_done:5-15 report:1-3 report_accept:1-5",
        (0, 60),
        ("assign",),
        ("duty", "not_pl"),
    ),
)
