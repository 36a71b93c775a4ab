"""One-time codes: short enough to type from a paper slip, stored only as a keyed hash.

The alphabet leaves out 0/O, 1/I/L so a code read aloud or copied by hand survives. Eight characters
from 31 give about 8.5 × 10^11 codes; the public pages are rate limited per client, so guessing one of a
round's thousand codes takes longer than any round runs. The hash is an HMAC keyed with SECRET_KEY
(Django's salted_hmac): the table alone cannot be brute-forced into codes. Rotating SECRET_KEY
therefore voids every slip not yet used.
"""

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
_SALT = "xianfeng.evaluations.code"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str:
    """The code as typed, made comparable: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[: LENGTH * 2]


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def code_hash(code: str) -> str:
    return salted_hmac(_SALT, normalize(code), algorithm="sha256").hexdigest()


def display(code: str) -> str:
    """ABCD-EFGH: two groups of four are easier to read and type."""
    code = normalize(code)
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code
