"""SM4 field encryption and HMAC-SM3: the `cryptography` package (OpenSSL) against gmssl (pure Python).

    .venv/bin/python bench/crypto.py                       # gmssl is measured when it can be imported
    .venv/bin/python -m pip install --target var/bench/gmssl gmssl
    PYTHONPATH=var/bench/gmssl .venv/bin/python bench/crypto.py

Prints microseconds per field value (encrypt, decrypt) for an ID number, a phone number and an address, the
cost of one blind index (HMAC-SM3 of a short value) and HMAC-SM3 throughput on 64 KiB. `cryptography` is
measured twice: the product's SM4-GCM (`xinfang.crypto.cipher`, base64 and key id included) and bare SM4-CBC,
the mode gmssl offers (gmssl has no GCM), so that the two libraries are compared on the same work.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import unicodedata
from collections.abc import Callable
from functools import partial
from pathlib import Path

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinfang.crypto.blind import blind_index
from xinfang.crypto.cipher import decrypt, encrypt
from xinfang.crypto.keys import parse_keys

VALUES = {"证件号码": "11010519491231002X", "联系电话": "13912345678", "住址": "西地市东城区城关镇幸福路1号3栋501室"}
BULK = os.urandom(64 * 1024)
KEY = bytes(range(16))
IV = os.urandom(16)
Row = tuple[str, str, float]


def per_call(fn: Callable[[], object], seconds: float) -> float:
    """Microseconds per call: the best of three runs of about ``seconds`` / 3 each."""
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds / 10:
        fn()
        n += 1
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / n)
    return best * 1e6


def sm4_cbc_encrypt(data: bytes, iv: bytes) -> bytes:
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.SM4(KEY), modes.CBC(iv)).encryptor()
    return encryptor.update(padder.update(data) + padder.finalize()) + encryptor.finalize()


def sm4_cbc_decrypt(data: bytes, iv: bytes) -> bytes:
    unpadder = padding.PKCS7(128).unpadder()
    decryptor = Cipher(algorithms.SM4(KEY), modes.CBC(iv)).decryptor()
    return unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()


def hmac_sm3(data: bytes) -> bytes:
    mac = crypto_hmac.HMAC(KEY, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def cryptography_rows(seconds: float) -> list[Row]:
    ring = parse_keys(KEY.hex())
    gcm, cbc, rows = "SM4-GCM（产品）", "SM4-CBC", []
    for label, value in VALUES.items():
        token, data = encrypt(ring.current, value, "bench.c"), value.encode()
        sealed = sm4_cbc_encrypt(data, IV)
        rows += [
            (gcm, f"{label} 加密", per_call(partial(encrypt, ring.current, value, "bench.c"), seconds)),
            (gcm, f"{label} 解密", per_call(partial(decrypt, ring, token, "bench.c"), seconds)),
            (cbc, f"{label} 加密", per_call(partial(sm4_cbc_encrypt, data, IV), seconds)),
            (cbc, f"{label} 解密", per_call(partial(sm4_cbc_decrypt, sealed, IV), seconds)),
        ]
    number, key = VALUES["证件号码"], ring.current
    rows.append(("HMAC-SM3", "盲索引（证件号码）", per_call(lambda: blind_index(key, "id_number", number), seconds)))
    rows.append(("HMAC-SM3", "64 KiB", per_call(lambda: hmac_sm3(BULK), seconds)))
    return rows


def gmssl_rows(seconds: float) -> list[Row] | None:
    try:
        from gmssl import sm3, sm4  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return None

    def hmac(data: bytes) -> str:
        # HMAC (GB/T 15852.2, RFC 2104) over gmssl's SM3: gmssl ships the hash only.
        key = KEY.ljust(64, b"\0")
        inner = bytes.fromhex(sm3.sm3_hash(list(bytes(b ^ 0x36 for b in key) + data)))
        return str(sm3.sm3_hash(list(bytes(b ^ 0x5C for b in key) + inner)))

    enc, dec = sm4.CryptSM4(), sm4.CryptSM4()
    enc.set_key(KEY, sm4.SM4_ENCRYPT)
    dec.set_key(KEY, sm4.SM4_DECRYPT)
    rows: list[Row] = []
    for label, value in VALUES.items():
        data = value.encode()
        sealed = enc.crypt_cbc(IV, data)
        assert sealed == sm4_cbc_encrypt(data, IV), "gmssl 与 cryptography 的 SM4-CBC 结果不一致"
        rows += [
            ("gmssl SM4-CBC", f"{label} 加密", per_call(partial(enc.crypt_cbc, IV, data), seconds)),
            ("gmssl SM4-CBC", f"{label} 解密", per_call(partial(dec.crypt_cbc, IV, sealed), seconds)),
        ]
    assert hmac(b"abc") == hmac_sm3(b"abc").hex(), "gmssl 的 HMAC-SM3 与 cryptography 不一致"
    number = VALUES["证件号码"].encode()
    rows.append(("gmssl HMAC-SM3", "盲索引（证件号码）", per_call(lambda: hmac(number), seconds)))
    rows.append(("gmssl HMAC-SM3", "64 KiB", per_call(lambda: hmac(BULK), seconds * 3)))
    return rows


def pad(text: str, width: int) -> str:
    """Left-aligned in ``width`` terminal columns, counting a Chinese character as two."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per figure (default 1 s)")
    args = parser.parse_args()
    import cryptography

    print(f"cryptography {cryptography.__version__}; Python {sys.version.split()[0]}")
    rows = cryptography_rows(args.seconds)
    gm = gmssl_rows(args.seconds)
    if gm is None:
        print("gmssl 未安装，只测 cryptography（安装方法见本文件开头）")
    else:
        import importlib.metadata

        print(f"gmssl {importlib.metadata.version('gmssl')}")
        rows += gm
    print(pad("库与算法", 20) + pad("操作", 22) + "   微秒/次      MB/s")
    for library, what, micros in rows:
        rate = f"{len(BULK) / micros:.1f}" if what == "64 KiB" else ""
        print(f"{pad(library, 20)}{pad(what, 22)}{micros:>10.2f}{rate:>10}")


if __name__ == "__main__":
    main()
