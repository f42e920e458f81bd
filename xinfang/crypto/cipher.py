"""SM4-GCM for one field value: a random 96-bit nonce per value, the key id and the column as associated data.

Stored form: ``sm4gcm$<key id>$<base64url(nonce ‖ ciphertext ‖ tag)>``. The key id tells which key of the ring
decrypts it, so that keys can rotate; the column name bound in as associated data stops a value copied into
another column from decrypting there.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .keys import ENV_VAR, FieldKey, KeyRing

PREFIX = "sm4gcm"
NONCE = 12
TAG = 16


class DecryptionError(Exception):
    """A stored value that cannot be decrypted: tampered, truncated, or under a key not in the ring."""


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX + "$")


def key_id_of(token: str) -> str | None:
    parts = token.split("$")
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def _aad(key: FieldKey, context: str) -> bytes:
    return f"xinfang|{key.key_id}|{context}".encode()


def encrypt(key: FieldKey, plaintext: str, context: str) -> str:
    nonce = os.urandom(NONCE)
    encryptor = Cipher(algorithms.SM4(key.sm4), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_aad(key, context))
    body = encryptor.update(plaintext.encode()) + encryptor.finalize() + encryptor.tag
    return f"{PREFIX}${key.key_id}${base64.urlsafe_b64encode(nonce + body).decode().rstrip('=')}"


def decrypt(ring: KeyRing, token: str, context: str) -> str:
    key_id = key_id_of(token)
    if key_id is None:
        raise DecryptionError(f"{context}：存储的值不是本系统的密文格式")
    key = ring.by_id(key_id)
    if key is None:
        raise DecryptionError(
            f"{context}：密文使用的密钥（编号 {key_id}）不在环境变量 {ENV_VAR} 中，无法解密；"
            "请把该密钥加回密钥列表（放在当前密钥之后）"
        )
    try:
        text = token.split("$")[2]
        blob = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:
        raise DecryptionError(f"{context}：密文已损坏（编码无效）") from error
    if len(blob) < NONCE + TAG:
        raise DecryptionError(f"{context}：密文已损坏（长度不足）")
    nonce, body, tag = blob[:NONCE], blob[NONCE:-TAG], blob[-TAG:]
    decryptor = Cipher(algorithms.SM4(key.sm4), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_aad(key, context))
    try:
        data = decryptor.update(body) + decryptor.finalize()
    except InvalidTag as error:
        raise DecryptionError(f"{context}：密文校验失败，数据在数据库中被篡改或密钥不符") from error
    return data.decode()
