r"""Which encoding a CSV file (or ``engagement.toml``) was saved in: detected, named, or refused.

Excel saves "CSV" in the encoding of the Windows it runs on: UTF-8 ("CSV UTF-8", with a
BOM), GB18030/GBK on Simplified Chinese Windows, Big5 on Traditional Chinese Windows,
Windows-1252 on Western European ones; "Unicode Text" is UTF-16 with a BOM. Bytes that are
valid UTF-8 are UTF-8 (other text is practically never valid UTF-8); a BOM names UTF-16.
Anything else is decoded by each legacy candidate that accepts the bytes (charset-normalizer
proposes them and measures how messy each reading is), and the reading with the fewest
unlikely characters wins: in GB18030, characters outside GB2312's 6,763 common ones; in Big5,
characters outside its frequent level 1; in Windows-1252, letters run together with other
non-ASCII characters (Chinese bytes read as Latin) and symbols. A tie is refused, naming what
each candidate would read, rather than guessed.

Examples
--------
>>> decode_bytes("name\nMüller\n".encode("cp1252"))[:2]
('name\nMüller\n', 'Windows-1252')
>>> decode_bytes("name\n华信\n".encode("gbk"))[1:]
('GB18030/GBK', '')
>>> decode_bytes("name\n華信工業\n".encode("big5"))[1:]
('Big5', '')
>>> decode_bytes("name\n华信\n".encode("utf-16"))[:2]
('name\n华信\n', 'UTF-16')
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

#: Encodings a file may be in: name shown -> Python codec, in the order ties are listed.
ENCODINGS = {
    "UTF-8": "utf-8-sig",
    "UTF-16": "utf-16",
    "GB18030/GBK": "gb18030",
    "Big5": "big5",
    "Windows-1252": "cp1252",
}
#: The legacy (not Unicode) candidates, tried when the bytes are not UTF-8: name -> codec.
LEGACY = {"GB18030/GBK": "gb18030", "Big5": "big5", "Windows-1252": "cp1252"}

ENCODING_EXPECTED = (
    "text encoded as UTF-8 (with or without BOM), UTF-16, GB18030/GBK, Big5 or Windows-1252"
)
SAVE_AS = 'save it as "CSV UTF-8"'

#: Symbols a Western text holds besides letters (Windows-1252's typographic characters).
_LATIN_SYMBOLS = set("€£¥°–—‘’‚“”„•·×…§©®™«»±½¼¾²³µ¿¡")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def decode_bytes(data: bytes) -> tuple[str | None, str | None, str]:
    r"""Decode text; return ``(text, encoding name, "")`` or ``(None, None, what was found)``.

    Examples
    --------
    >>> decode_bytes(b"a,b\n\x00\x01,2\n")
    (None, None, 'binary data (NUL bytes): not a CSV file')
    >>> print(decode_bytes(b"a\n\x81 \n")[2].replace("; ", ";\n"))
    bytes that no candidate encoding reads (GB18030/GBK: illegal multibyte sequence at byte 2;
    Big5: illegal multibyte sequence at byte 2;
    Windows-1252: character maps to <undefined> at byte 2)
    >>> decode_bytes("n\n貌\n".encode("big5"))[2]
    'text that reads differently as GB18030/GBK ("华") and Big5 ("貌"): save it as "CSV UTF-8"'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data):
        codec = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else _utf16_without_bom(data)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            return None, None, f"broken UTF-16 text ({exc.reason} at byte {exc.start})"
        return _no_nul(text, "UTF-16")
    try:
        return _no_nul(data.decode("utf-8-sig"), "UTF-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        return None, None, "binary data (NUL bytes): not a CSV file"
    readings: dict[str, str] = {}
    reasons = []
    for name, codec in LEGACY.items():
        try:
            readings[name] = data.decode(codec)
        except UnicodeDecodeError as exc:
            reasons.append(f"{name}: {exc.reason} at byte {exc.start}")
    if not readings:
        return None, None, "bytes that no candidate encoding reads (" + "; ".join(reasons) + ")"
    if len(readings) == 1:
        ((name, text),) = readings.items()
        return text, name, ""
    scores = {name: _unlikely(name, text) for name, text in readings.items()}
    mess = _chaos(data, readings)
    ranked = sorted(readings, key=lambda n: (scores[n], mess.get(n, 1.0)))
    best, second = ranked[0], ranked[1]
    if scores[best] < scores[second] or mess.get(best, 1.0) + 0.1 < mess.get(second, 1.0):
        return readings[best], best, ""
    tied = [n for n in ranked if scores[n] == scores[best]]
    shown = " and ".join(f'{n} ("{_first_word(readings[n])}")' for n in tied)
    return None, None, f"text that reads differently as {shown}: {SAVE_AS}"


def _no_nul(text: str, name: str) -> tuple[str | None, str | None, str]:
    if "\x00" in text:
        return None, None, "binary data (NUL bytes): not a CSV file"
    return text, name, ""


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when every other byte is NUL (ASCII text in UTF-16)."""
    sample = data[:4000]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _chaos(data: bytes, readings: dict[str, str]) -> dict[str, float]:
    """charset-normalizer's measure of how messy each candidate's reading is (0 = clean)."""
    from charset_normalizer import from_bytes

    codecs = {LEGACY[name]: name for name in readings}
    try:
        matches = from_bytes(data, cp_isolation=list(codecs))
    except Exception:  # a detector failure must not stop reading: the counts decide
        return {}
    found = {}
    for match in matches:
        name = codecs.get(match.encoding)
        if name is not None:
            found[name] = float(match.chaos)
    return found


def _unlikely(name: str, text: str) -> int:
    """How many characters of ``text`` would be unlikely if it really were in ``name``."""
    counts = Counter("".join(_NON_ASCII.findall(text)))  # counted in C, not char by char
    if name == "Windows-1252":
        unlikely = sum(n for c, n in counts.items() if not _latin(c))
        for run, n in Counter(_NON_ASCII_RUN.findall(text)).items():
            if not all(c.islower() and c.isalpha() for c in run):
                unlikely += n * sum(1 for c in run if _latin(c))
        return unlikely
    return sum(n for c, n in counts.items() if not _common(name, c))


def _latin(c: str) -> bool:
    return c in _LATIN_SYMBOLS or (c.isalpha() and unicodedata.name(c, "").startswith("LATIN"))


def _common(name: str, c: str) -> bool:
    """Whether ``c`` is among the common characters of a Chinese encoding."""
    if name == "GB18030/GBK":
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return True
    try:
        code = int.from_bytes(c.encode("big5"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA140 <= code <= 0xA3BF or 0xA440 <= code <= 0xC67E  # symbols, level 1


def _first_word(text: str) -> str:
    """Return the first run of non-ASCII characters (where readings differ), shortened."""
    match = re.search(r"[^\x00-\x7f]+", text)
    word = match.group(0) if match else text
    return word[:12]
