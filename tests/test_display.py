"""What the data put into a report shows as text, never as markup."""

from __future__ import annotations

import shutil

import pandas as pd
from conftest import read_rows, write_rows

import kamanalysis as kam

SCRIPT = "<script>alert(1)</script>"


def test_tables_escape_cells_index_and_headers():
    frame = pd.DataFrame({SCRIPT: [SCRIPT], "revenue": [1.0]}, index=[SCRIPT])
    html = kam.display.styled(frame).to_html()
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3


def test_headline_and_summaries_escape_names_from_the_data(sample_copy):
    rows = read_rows(sample_copy / "business_units.csv")
    rows[1][1] = SCRIPT  # the name of the first BU
    write_rows(sample_copy / "business_units.csv", rows)
    eng = kam.load_engagement(sample_copy)
    text = kam.display.headline(eng, eng.bu_ids[0])
    assert "<script>" not in text and "&lt;script&gt;" in text
    shutil.rmtree(sample_copy)
