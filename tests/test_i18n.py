"""The catalogue holds every text in both languages, with the same placeholders."""

from __future__ import annotations

import pytest

import kamanalysis as kam
from kamanalysis.base import i18n


def fields(template: str) -> set[str]:
    return i18n.placeholders(template)  # a money spec ({x:money}) writes the currency


def test_every_key_has_both_languages_with_the_same_placeholders():
    entries = i18n.catalogue()
    assert len(entries) > 40
    for key, texts in entries.items():
        assert texts["en"] and texts["zh"], key
        assert fields(texts["en"]) == fields(texts["zh"]), key


def test_the_chinese_section_titles_are_chinese():
    assert i18n.text("section.forces", "zh") == "五力模型"
    assert i18n.text("section.portfolio", "zh") == "大客户组合"
    assert i18n.label("radical", "zh") == "激进型"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: i18n.text("no.such.key"),
            'catalogue.csv, column key: expected a known key, got "no.such.key"',
        ),
        (
            lambda: i18n.text("section.forces", "fr"),
            'i18n, column lang: expected one of en, zh, got "fr"',
        ),
    ],
)
def test_unknown_keys_and_languages_are_named(call, message):
    with pytest.raises(kam.InputValidationError) as info:
        call()
    assert message in str(info.value)


def test_a_broken_catalogue_names_every_row_and_column(tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text("key,en,zh\na,A,甲\na,A again,乙\nb,B,\n,C,丙\n", encoding="utf-8")
    with pytest.raises(kam.InputValidationError) as info:
        i18n.catalogue(path)
    text = str(info.value)
    assert (
        "catalogue.csv row 3, column key: expected each key once, got a again (first in row 2)"
        in text
    )
    assert "catalogue.csv row 4, column zh: expected a text for b, got blank" in text
    assert "catalogue.csv row 5, column key: expected a key, got blank" in text
