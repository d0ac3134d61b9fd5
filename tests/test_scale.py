"""Scale: the streamed workbook writer reads back equal, and many BUs stay legible."""

from __future__ import annotations

import datetime as dt
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import kamanalysis as kam
from kamanalysis.base.schema import TABLES
from kamanalysis.data import sheet_rows
from kamanalysis.data.sample import generate
from kamanalysis.data.workbook import neutralise, write_folder, write_workbook
from kamanalysis.report import engine
from kamanalysis.report.index import INDEX_LABELS, _grids
from kamanalysis.tools.position import plot_ge_matrix, plot_ie_matrix

# ------------------------------------------------------------------ the workbook writer


@pytest.fixture(scope="module")
def generated():
    """A generated engagement larger than the sample: 5 BUs, 400 accounts."""
    return generate(n_bus=5, n_accounts=400, seed=11)


def test_generated_workbook_reads_back_as_its_csv_folder(generated, tmp_path, monkeypatch):
    settings, tables = generated
    monkeypatch.setattr(sheet_rows, "CHUNK_ROWS", 700)  # several chunks per large sheet
    book = write_workbook(settings, tables, tmp_path / "big.xlsx")
    folder = write_folder(settings, tables, tmp_path / "big")
    back, expected = kam.load_engagement(book), kam.load_engagement(folder)
    assert back.settings == expected.settings
    assert len(back.account_quarters) > 3 * 700
    for name in TABLES:
        pd.testing.assert_frame_equal(back.tables[name], expected.tables[name], obj=name)


def test_workbook_keeps_the_template_format(generated, tmp_path):
    settings, tables = generated
    # the two sheets read below keep all their rows, the others three: openpyxl's full load
    # (comments, validations, styles) of every cell is most of this test's time
    read = ("contacts", "account_assessments")
    tables = {name: frame if name in read else frame.head(3) for name, frame in tables.items()}
    book = load_workbook(write_workbook(settings, tables, tmp_path / "big.xlsx"))
    ws = book["contacts"]
    headers = [c.value for c in ws[1]]
    assert headers == TABLES["contacts"].column_names
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("DDEBF7") for c in ws[1])
    assert "Expected:" in ws.cell(row=1, column=headers.index("role") + 1).comment.text
    n = len(tables["contacts"])
    assert ws.max_row == n + 1 and ws.max_column == len(headers)
    day = ws.cell(row=2, column=headers.index("last_contact") + 1)
    assert isinstance(day.value, dt.datetime) and day.number_format == "yyyy-mm-dd"
    letter = ws.cell(row=1, column=headers.index("role") + 1).column_letter
    ranges = [str(dv.sqref) for dv in ws.data_validations.dataValidation]
    assert f"{letter}2:{letter}2000" in ranges
    big = book["account_assessments"]
    names = TABLES["account_assessments"].column_names
    letter = big.cell(row=1, column=1 + names.index("info_sharing")).column_letter
    rows = len(tables["account_assessments"]) + 1
    assert rows > 2000  # the dropdowns reach the last row
    assert f"{letter}2:{letter}{rows}" in [
        str(v.sqref) for v in big.data_validations.dataValidation
    ]
    j = 1 + names.index("cross_functional_team")
    flags = {r[0] for r in big.iter_rows(min_row=2, min_col=j, max_col=j, values_only=True)}
    assert flags == {"yes", "no"}


def test_workbook_refuses_control_characters_naming_every_cell(generated, tmp_path):
    settings, tables = generated
    tables = dict(tables)
    accounts = tables["accounts"].copy()
    accounts.loc[[3, 9], "name"] = ["Bad\x01name", "Also\x0bbad"]
    tables["accounts"] = accounts
    with pytest.raises(kam.InputValidationError) as info:
        write_workbook(settings, tables, tmp_path / "bad.xlsx")
    found = [str(p) for p in info.value.problems]
    assert [f.split(":")[0] for f in found] == [
        "bad.xlsx [accounts] row 5, column name",
        "bad.xlsx [accounts] row 11, column name",
    ]
    assert not (tmp_path / "bad.xlsx").exists()


def test_cells_escape_text_and_keep_numbers():
    frame = pd.DataFrame(
        {"t": ["<a & b>", "  lead", "=SUM(A1)", None], "x": [0.1 + 0.2, 1e20, float("nan"), 7.0]}
    )
    text = "".join(sheet_rows.sheet_rows(frame, prepare=neutralise))
    assert "<t>&lt;a &amp; b&gt;</t>" in text
    assert '<t xml:space="preserve">  lead</t>' in text
    assert "<t>'=SUM(A1)</t>" in text
    assert "<v>0.30000000000000004</v>" in text and "<v>1e+20</v>" in text
    assert '<c r="A5"' not in text and '<c r="B4"' not in text  # blanks: no cell
    assert '<c r="B5"><v>7</v></c>' in text


# ------------------------------------------------------------------ the index with many BUs


def many_positions(n: int = 200, seed: int = 3) -> pd.DataFrame:
    """``n`` BUs, half of them crowded around three spots, revenue spread over 3 decades."""
    rng = np.random.default_rng(seed)
    spots = np.array([[3.0, 3.0, 3.6, 3.6], [2.2, 2.4, 2.5, 2.5], [1.6, 3.1, 2.0, 4.0]])
    centre = spots[rng.integers(0, 3, n)]
    spread = np.where(np.arange(n)[:, None] % 2 == 0, 0.05, 0.8)  # every other one crowded
    ife, efe, strength, attractiveness = (centre + rng.normal(0, 1, (n, 4)) * spread).T
    return pd.DataFrame(
        {
            "label": [f"B{k:03d}" for k in range(1, n + 1)],
            "revenue": 10 ** rng.uniform(6, 9, n),
            "ife": ife.clip(1, 4),
            "efe": efe.clip(1, 4),
            "strength": strength.clip(1, 5),
            "attractiveness": attractiveness.clip(1, 5),
        },
        index=pd.Index([f"B{k:03d}" for k in range(1, n + 1)], name="bu_id"),
    )


def test_index_grids_with_200_bus_name_the_largest_without_overlap(tmp_path):
    positions = many_positions()
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))  # as the index draws them
    plot_ie_matrix(positions, ax=axes[0], top=INDEX_LABELS)
    plot_ge_matrix(positions, ax=axes[1], top=INDEX_LABELS)
    renderer = fig.canvas.get_renderer()
    largest = set(positions.nlargest(INDEX_LABELS, "revenue")["label"])
    for ax in axes:
        cells = {t.get_text() for t in ax.texts if t.get_text() not in positions["label"].values}
        named = [t for t in ax.texts if t.get_text() in positions["label"].values]
        assert len(ax.collections[0].get_offsets()) == 200  # every BU is a dot
        assert 6 <= len(named) <= INDEX_LABELS
        assert {t.get_text() for t in named} <= largest
        boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
        for i, a in enumerate(boxes):
            assert not any(a.overlaps(b) for b in boxes[i + 1 :]), ax.get_title()
        frame = ax.get_window_extent(renderer)
        for t in named:
            box = t.get_window_extent(renderer)
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1
        assert cells  # the cells' names are still there
    fig.savefig(tmp_path / "grids.png", dpi=100)
    plt.close(fig)


def test_the_index_page_says_which_bus_are_named():
    html = _grids(many_positions(40), "en")
    assert html.count("<img") == 1
    assert "Of the 40 business units, the 12 with most revenue are named" in html
    few = _grids(many_positions(INDEX_LABELS), "zh")
    assert "<em>" not in few  # up to twelve BUs: every one named on its bubble


# ------------------------------------------------------------------ the batch's memory


def test_local_run_keeps_no_report_once_handed_over(monkeypatch):
    """Each BU's result (megabytes of HTML) is freed once the batch has written it."""

    def render(job):
        time.sleep(0.01)
        return engine.Rendered(job.bu_id, html="x" * 1_000_000, notebook="{}")

    monkeypatch.setattr(engine, "render_bu", render)
    pool = ThreadPoolExecutor(2)
    pool.warm, pool.workers = pool.submit(lambda: None), 2
    jobs = [engine.Job(f"B{k:02d}", "", {}, "") for k in range(12)]
    shown, handed = [], []
    for rendered in engine._run_locally(pool, jobs, running=shown.append):
        handed.append(weakref.ref(rendered))
        del rendered
        assert all(ref() is None for ref in handed[:-1])  # the earlier ones are gone
    pool.shutdown()
    assert len(handed) == 12
    assert all(len(bus) <= 2 for bus in shown)
