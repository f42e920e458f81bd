"""The law as data: statutory periods loaded from dated, cited YAML files.

This package imports nothing from Django or from the rest of xinfang; everything else may import it.
"""

from .calendar import HolidayCalendar
from .counting import Deadline, Pause, effective_deadline
from .errors import NoValueInForce, PeriodInputError, RuleFileError, RulesError, UnknownRule
from .loader import RuleBook, default_rulebook, load_rulebook
from .model import Citation, Nature, Party, RegionProfile, Rule, RuleValue, Unit, ValueKind
from .words import Term, all_period_words, period_days, period_words, term

__all__ = [
    "Citation",
    "Deadline",
    "HolidayCalendar",
    "Nature",
    "NoValueInForce",
    "Party",
    "Pause",
    "PeriodInputError",
    "RegionProfile",
    "Rule",
    "RuleBook",
    "RuleFileError",
    "RuleValue",
    "RulesError",
    "Term",
    "Unit",
    "UnknownRule",
    "ValueKind",
    "all_period_words",
    "default_rulebook",
    "effective_deadline",
    "load_rulebook",
    "period_days",
    "period_words",
    "term",
]
