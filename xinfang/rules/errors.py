"""Errors raised by the rules package. Messages are in Chinese and name the file and entry."""


class RulesError(Exception):
    """Base class for every refusal of the rules package."""


class RuleFileError(RulesError):
    """A rule or profile file is malformed, uncited or looser than the law allows."""

    def __init__(self, file: str, entry: str, message: str) -> None:
        self.file = file
        self.entry = entry
        self.message = message
        super().__init__(f"规则文件 {file}，条目 {entry}：{message}")


class UnknownRule(RulesError):
    pass


class NoValueInForce(RulesError):
    pass


class PeriodInputError(RulesError):
    """Bad input to a period computation: a pause outside the period, a missing --days…"""
