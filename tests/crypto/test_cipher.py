"""The Django-free core: SM4-GCM per value, key ring parsing, blind indexes."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from xinfang.crypto.blind import blind_index, candidates, normalise_id_number, normalise_phone
from xinfang.crypto.cipher import DecryptionError, decrypt, encrypt, key_id_of
from xinfang.crypto.keys import KeyConfigError, parse_keys

ROOT = Path(__file__).resolve().parent.parent.parent
OLD, NEW = "11" * 16, "22" * 16
ID = "11010519491231002X"


def test_the_cipher_is_sm4_by_the_standards_example() -> None:
    # GB/T 32907-2016, Appendix A, example 1: key = plaintext = 0123456789abcdeffedcba9876543210.
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_round_trip_with_a_fresh_nonce_per_value() -> None:
    ring = parse_keys(OLD)
    first, second = encrypt(ring.current, ID, "t.c"), encrypt(ring.current, ID, "t.c")
    assert first != second and ID not in first
    assert first.startswith(f"sm4gcm${ring.current.key_id}$")
    assert decrypt(ring, first, "t.c") == ID == decrypt(ring, second, "t.c")
    assert decrypt(ring, encrypt(ring.current, "西地市东城区幸福路1号", "t.c"), "t.c") == "西地市东城区幸福路1号"


def flip_a_bit(token: str) -> str:
    prefix, key_id, body = token.split("$")
    blob = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    blob[14] ^= 0x01  # a ciphertext byte, after the 12-byte nonce
    return f"{prefix}${key_id}${base64.urlsafe_b64encode(bytes(blob)).decode().rstrip('=')}"


def test_tampered_value_is_refused_with_a_clear_error() -> None:
    ring = parse_keys(OLD)
    with pytest.raises(DecryptionError, match="密文校验失败，数据在数据库中被篡改或密钥不符"):
        decrypt(ring, flip_a_bit(encrypt(ring.current, ID, "t.c")), "t.c")


def test_value_moved_to_another_column_does_not_decrypt() -> None:
    ring = parse_keys(OLD)
    with pytest.raises(DecryptionError, match="被篡改"):
        decrypt(ring, encrypt(ring.current, ID, "intake_petition.id_number"), "intake_petition.contact")


def test_value_under_a_key_not_in_the_ring_names_the_key_and_the_variable() -> None:
    token = encrypt(parse_keys(OLD).current, ID, "t.c")
    with pytest.raises(DecryptionError, match=f"密钥（编号 {key_id_of(token)}）不在环境变量 XINFANG_FIELD_KEY 中"):
        decrypt(parse_keys(NEW), token, "t.c")


def test_a_ring_reads_values_under_every_key_it_holds() -> None:
    token = encrypt(parse_keys(OLD).current, ID, "t.c")
    assert decrypt(parse_keys(f"{NEW},{OLD}"), token, "t.c") == ID


def test_keys_in_hex_or_base64() -> None:
    raw = bytes(range(16))
    assert parse_keys(raw.hex()).current.key_id == parse_keys(base64.b64encode(raw).decode()).current.key_id
    assert len(parse_keys(" " + "ab" * 32 + " ").keys) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "未设置环境变量 XINFANG_FIELD_KEY"),
        (" , ", "未设置环境变量 XINFANG_FIELD_KEY"),
        ("abc", "XINFANG_FIELD_KEY 的第 1 个密钥无效"),
        (OLD + ",zz", "XINFANG_FIELD_KEY 的第 2 个密钥无效"),
        (OLD + "," + OLD, "XINFANG_FIELD_KEY 中有重复的密钥"),
    ],
)
def test_missing_or_malformed_keys_are_refused(value: str | None, message: str) -> None:
    with pytest.raises(KeyConfigError, match=message):
        parse_keys(value)


def test_blind_index_is_keyed_and_normalised() -> None:
    old, new = parse_keys(OLD).current, parse_keys(NEW).current
    assert normalise_id_number(" 11010519491231002x ") == ID
    assert normalise_phone(" 138-0000 0000 ") == "13800000000"
    index = blind_index(old, "id_number", ID)
    assert len(index) == 64 and index != blind_index(new, "id_number", ID)
    assert index != blind_index(old, "phone", ID)  # the purpose separates columns
    assert blind_index(old, "id_number", "") == ""
    assert candidates(parse_keys(f"{NEW},{OLD}"), "id_number", ID)[1] == index


def test_the_core_does_not_import_django() -> None:
    code = (
        "import sys, xinfang.crypto.cipher, xinfang.crypto.blind, xinfang.crypto.keys; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
