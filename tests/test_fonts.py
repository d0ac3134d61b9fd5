"""Chinese in charts: drawn with the packaged CJK font, or a clear stop when there is none."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pytest

import kamanalysis as kam
from kamanalysis.core import fonts
from kamanalysis.core.charts import bubble_matrix


def draw(labels):
    ax = bubble_matrix(None, [1, 2], [1, 2], x_edges=[0, 3], y_edges=[0, 3], labels=labels)
    ax.set_title("大客户组合")
    ax.figure.savefig(io.BytesIO(), format="png")  # a missing glyph warns here: an error in tests
    plt.close(ax.figure)


def test_the_packaged_font_is_found_and_chinese_labels_render():
    assert fonts.cjk_font() == "Noto Sans CJK SC"  # manimgx-fonts-cjk, pinned in requirements.lock
    draw(["Zhongyuan Steel 中原钢铁", "东方重机"])


def test_a_missing_glyph_is_an_error_in_the_tests():
    fig, ax = plt.subplots()
    ax.set_title("中", fontfamily="DejaVu Sans")
    with pytest.raises(UserWarning, match="Glyph"):
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def test_without_a_cjk_font_chinese_labels_stop_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    with pytest.raises(fonts.FontMissingError, match="expected a CJK font to draw '东方重机'"):
        bubble_matrix(None, [1], [1], x_edges=[0, 3], y_edges=[0, 3], labels=["东方重机"])
    assert isinstance(fonts.FontMissingError("x"), kam.KamAnalysisError)
    draw_english = bubble_matrix(None, [1], [1], x_edges=[0, 3], y_edges=[0, 3], labels=["PV"])
    plt.close(draw_english.figure)
    plt.close("all")


def test_every_chart_draws_in_chinese_without_missing_glyphs(sample):
    ext = kam.diagnosis.external_environment(sample, "IC")
    positions = kam.diagnosis.strategic_position(sample)
    axes = [
        kam.plot_pest(ext.pest, lang="zh"),
        kam.plot_five_forces(ext.forces, lang="zh"),
        kam.plot_ie_matrix(positions, lang="zh"),
        kam.plot_ge_matrix(positions, lang="zh"),
        kam.plot_revenue_by_quarter(kam.revenue_by_quarter(sample), currency="CNY", lang="zh"),
    ]
    titles = [ax.get_title() for ax in axes]
    assert titles[1].startswith("五力模型") and titles[3] == "GE 九宫格"
    assert "同业竞争" in [t.get_text() for t in axes[1].get_xticklabels()]
    for ax in axes:
        ax.figure.savefig(io.BytesIO(), format="png")
    plt.close("all")
