"""Form fields shared by the staff registration form and the portal's submission form."""

from __future__ import annotations

from typing import Any

from django import forms

from .validation import resident_id_error


class ResidentIdField(forms.CharField):
    """证件号码: stripped and upper-cased; an 18-digit resident ID must pass the GB 11643 checksum."""

    def clean(self, value: Any) -> str:
        cleaned: str = super().clean(value).strip().upper()
        problem = resident_id_error(cleaned)
        if problem:
            raise forms.ValidationError(problem)
        return cleaned
