"""Model fields: personal data stored as SM4-GCM ciphertext, and blind indexes to find it by value."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import Exact, IsNull

from .blind import blind_index, normalise_id_number, normalise_phone
from .cipher import decrypt, encrypt
from .keys import ENV_VAR, FieldKey, KeyRing, parse_keys

# The test runner's fixed key (XINFANG_TESTING or pytest): never a key for real data.
TEST_KEY = "7e57" * 8

NORMALISERS: dict[str, Callable[[str], str]] = {"id_number": normalise_id_number, "phone": normalise_phone}


@functools.lru_cache(maxsize=8)
def _ring(value: str) -> KeyRing:
    return parse_keys(value)


def active_keyring() -> KeyRing:
    """The ring from ``XINFANG_FIELD_KEY``, read on each call so that a rotation in tests takes effect at once."""
    value = os.environ.get(ENV_VAR, "")
    if not value.strip() and getattr(settings, "TESTING", False):
        value = TEST_KEY
    return _ring(value)


class EmptyOnlyExact(Exact):
    """``field=""`` works (no value given); equality with a value cannot match ciphertext: use the blind index."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(f"加密字段「{self.lhs.target.verbose_name}」不能按内容查询，请使用盲索引")
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField):
    """A short text kept as ciphertext (a text column); ``max_length`` bounds the plaintext."""

    def get_internal_type(self) -> str:
        return "TextField"

    @property
    def context(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def get_lookup(self, lookup_name: str) -> Any:
        return {"exact": EmptyOnlyExact, "isnull": IsNull}.get(lookup_name)

    def from_db_value(self, value: str | None, expression: Any, connection: BaseDatabaseWrapper) -> str | None:
        if not value:
            return value
        return decrypt(active_keyring(), value, self.context)

    def get_db_prep_value(self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if not value:
            return value
        return encrypt(active_keyring().current, value, self.context)


class BlindIndexField(models.CharField):
    """HMAC-SM3 of the normalised value of ``source``, computed on every save under the current key."""

    def __init__(self, *args: Any, source: str, kind: str, **kwargs: Any) -> None:
        self.source, self.kind = source, kind
        kwargs.update(max_length=64, editable=False, blank=True, default="", db_index=True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "editable", "blank", "default", "db_index"):
            kwargs.pop(key, None)
        kwargs.update(source=self.source, kind=self.kind)
        return name, path, args, kwargs

    def normalise(self, value: str) -> str:
        return NORMALISERS[self.kind](value or "")

    def index_under(self, key: FieldKey, value: str) -> str:
        return blind_index(key, self.kind, self.normalise(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.index_under(active_keyring().current, getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
