"""The field keys, from one environment value: base64 or hex keys, comma-separated, the first is current."""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac

ENV_VAR = "XINFANG_FIELD_KEY"
KEY_SIZES = (16, 32)  # bytes of the master key; SM4 keys are 128 bits, derived from it


class KeyConfigError(Exception):
    """The key setting is missing or malformed; the message names the variable, in Chinese."""


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


@dataclass(frozen=True)
class FieldKey:
    master: bytes = field(repr=False)
    key_id: str = field(init=False)
    sm4: bytes = field(init=False, repr=False)
    index: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # One master key, three separated uses: an identifier that reveals nothing, the SM4 key, the index key.
        object.__setattr__(self, "key_id", hmac_sm3(self.master, b"xinfang key id").hex()[:8])
        object.__setattr__(self, "sm4", hmac_sm3(self.master, b"xinfang field encryption")[:16])
        object.__setattr__(self, "index", hmac_sm3(self.master, b"xinfang blind index"))


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[FieldKey, ...]

    @property
    def current(self) -> FieldKey:
        return self.keys[0]

    def by_id(self, key_id: str) -> FieldKey | None:
        return next((k for k in self.keys if hmac.compare_digest(k.key_id, key_id)), None)


def _decode(text: str, position: int) -> bytes:
    text = text.strip()
    raw: bytes | None = None
    if len(text) in (2 * n for n in KEY_SIZES):
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raw = None
    if raw is None:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) not in KEY_SIZES:
        raise KeyConfigError(
            f"环境变量 {ENV_VAR} 的第 {position} 个密钥无效：须为 16 或 32 字节的密钥，"
            "以十六进制（32 或 64 位）或 base64 书写"
        )
    return raw


def parse_keys(value: str | None) -> KeyRing:
    """The key ring from the environment value; refuses a missing, empty or malformed value."""
    parts = [p for p in (value or "").split(",") if p.strip()]
    if not parts:
        raise KeyConfigError(
            f"未设置环境变量 {ENV_VAR}（个人信息字段加密密钥）：系统拒绝启动。"
            "请设置一个 16 字节的随机密钥（十六进制或 base64），例如："
            f"{ENV_VAR}=$(python3 -c 'import secrets; print(secrets.token_hex(16))')；"
            "轮换密钥时以逗号分隔，第一个为当前密钥。"
        )
    keys = tuple(FieldKey(_decode(p, n)) for n, p in enumerate(parts, 1))
    ids = [k.key_id for k in keys]
    if len(set(ids)) != len(ids):
        raise KeyConfigError(f"环境变量 {ENV_VAR} 中有重复的密钥")
    return KeyRing(keys)
