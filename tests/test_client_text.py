"""Issue 18: the reports speak the client's language, not the code's (every sample report)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

#: What a client must not read: the pattern, and what it catches.
FORBIDDEN = {
    "seed": re.compile(r"\bseeds?\b", re.I),
    "module": re.compile(r"\bkamanalysis\."),
    "underscore": re.compile(r"[^\W\d_]_[^\W_]"),  # a column name: purchase_growth
    "e+0": re.compile(r"\de[+-]0\d"),
}
#: An account code standing alone: a code not in brackets right after its name.
CODE = re.compile(r"(?<![(\w])(?:PV|IC|MC)\d{3}\b(?!\))")


def client_text(path: Path) -> str:
    """The text a reader sees: no style, script, alt text or tags; entities decoded."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<style.*?</style>|<script.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<img[^>]*>", " ", html)
    plain = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", plain).replace("&amp;", "&")


def offences(text: str) -> dict[str, list[str]]:
    """Each forbidden thing found in a text, with a little context."""
    found = {}
    for name, pattern in (*FORBIDDEN.items(), ("bare code", CODE)):
        hits = [text[max(m.start() - 30, 0) : m.end() + 30] for m in pattern.finditer(text)]
        if hits:
            found[name] = hits[:3] + ([f"... {len(hits)} in all"] if len(hits) > 3 else [])
    return found


def test_the_scanner_catches_what_it_should():
    said = "seed tactic 5; kamanalysis.managers.SPAN; purchase_growth 3.916e+06; PV002 and (PV003)"
    assert set(offences(said)) == {"seed", "module", "underscore", "e+0", "bare code"}
    assert offences("Zhongyuan Steel (PV001) grows 3.9 million, +4.1%, 中原钢铁") == {}


#: What every report must be clean of: all of it (issue 18, part 6).
CLEAN_OF = (*FORBIDDEN, "bare code")
#: "1 key accounts are": a number one with a plural noun.
ONE_PLURAL = re.compile(r"(?<![\d.,])\b1 (?:[\w-]+ )?accounts\b")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_code_words_in_any_sample_report(sample_reports, lang):
    result = sample_reports[lang]
    assert result.reports
    for bu, path in result.reports.items():
        said = client_text(path)
        found = offences(said)
        assert {k: v for k, v in found.items() if k in CLEAN_OF} == {}, (lang, bu)
        if lang == "en":
            assert ONE_PLURAL.findall(said) == [], bu


def test_the_plural_check_catches_one_accounts():
    assert ONE_PLURAL.findall("1 key accounts are at risk; 11 accounts; 2.1 accounts") == [
        "1 key accounts"
    ]
