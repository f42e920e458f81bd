"""RFC 4226 Appendix D and RFC 6238 Appendix B test vectors, copied from the RFCs."""

from __future__ import annotations

import base64

import pytest

from xinfang.accounts import totp

SEED = b"12345678901234567890"  # the RFCs' SHA-1 seed


@pytest.mark.parametrize(
    ("counter", "expected"),
    list(
        enumerate(["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"])
    ),
)
def test_hotp_rfc4226(counter: int, expected: str) -> None:
    assert totp.hotp(SEED, counter) == expected


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_rfc6238_sha1(unix_time: int, expected: str) -> None:
    assert totp.hotp(SEED, totp.step_of(unix_time), digits=8) == expected


def test_a_code_matches_within_one_step_and_never_twice() -> None:
    secret = base64.b32encode(SEED).decode()
    # RFC 6238: at T=59 the 6-digit code is the last six of 94287082.
    assert totp.code_at(secret, 59) == "287082"
    assert totp.matching_step(secret, "287082", 59) == 1
    assert totp.matching_step(secret, "287 082", 80) == 1  # the next step still accepts it (clock drift)
    assert totp.matching_step(secret, "287082", 59 + 61) is None  # two steps later: too old
    assert totp.matching_step(secret, "287082", 59, last_step=1) is None  # already used
    assert totp.matching_step(secret, "28708", 59) is None
    assert totp.matching_step(secret, "abcdef", 59) is None


def test_new_secrets_are_160_bits_and_the_uri_names_the_account() -> None:
    secret = totp.new_secret()
    assert len(base64.b32decode(secret)) == 20 and secret != totp.new_secret()
    uri = totp.provisioning_uri(secret, "registrar")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri and "registrar" in uri
