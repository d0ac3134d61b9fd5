"""The data dictionary: every table and setting of :mod:`kamanalysis.base.schema`, as Markdown.

``data/README.md`` embeds its text; ``kam dictionary`` prints it.
"""

from __future__ import annotations

from .schema import DEFAULT_SETTINGS, SETTING_NOTES, TABLES, flatten_settings


def data_dictionary() -> str:
    """Return the data dictionary of every table and setting, as Markdown.

    ``data/README.md`` embeds this text; a test keeps the two identical.
    """
    scales = DEFAULT_SETTINGS["scales"]
    lines = ["## Settings (`engagement.toml`, or the `engagement` sheet of a workbook)", ""]
    lines += ["| setting | default | meaning |", "|---|---|---|"]
    for key, value in flatten_settings(DEFAULT_SETTINGS).items():
        group = key.rsplit(".", 1)[0]
        note = SETTING_NOTES.get(key) or SETTING_NOTES.get(group, "")
        shown = "" if value == "" else f"`{value}`"
        lines.append(f"| `{key}` | {shown} | {note} |")
    for table in TABLES.values():
        key = ", ".join(table.key)
        lines += ["", f"## `{table.name}`", "", table.description, "", f"Key: ({key})."]
        lines.append(
            "Required in every engagement."
            if table.required
            else "May be left out of a partial engagement: its tools then say 'not assessed'."
        )
        if table.weight_groups:
            lines.append(
                "Weights sum to 1 (or 100) within each (" + ", ".join(table.weight_groups) + ")."
            )
        lines += ["", "| column | type | unit | allowed values | direction | meaning |"]
        lines.append("|---|---|---|---|---|---|")
        for c in table.columns:
            allowed = c.expectation(scales)
            if c.refers_to:
                allowed += f"; must exist in `{c.refers_to}`"
                if c.refers_when:
                    allowed += f" when {c.refers_when[0]} is {c.refers_when[1]}"
            if c.optional:
                allowed += "; the column may be left out (read as blank)"
            lines.append(
                f"| `{c.name}` | {c.kind} | {c.unit} | {allowed} | {c.direction} | "
                f"{c.description} |"
            )
    return "\n".join(lines) + "\n"
