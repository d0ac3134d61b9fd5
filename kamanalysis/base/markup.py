r"""The one rule for a text from the data that meets markup, and its terminal counterpart.

A name, a setting, a finding built from them: wherever such a text is put into a report,
an index page, an account plan or an alt text, :func:`safe` makes it show as the very
text, never as markup. It is HTML-escaped (double quotes included: it may go in an attribute)
and Markdown-inert: the characters that start a link, an image, emphasis, code, a table,
a heading or math are written as character references, which Markdown shows as they are
and HTML decodes to the same characters. Line breaks become spaces (no heading or list
can start) and control characters (terminal escapes) are written out (``\x1b``).

:func:`plain` is the rule for a terminal (``kam validate``), and for the text of the data
as it is read: control characters written out, nothing else changed.

Examples
--------
>>> safe("Acme [Pay](javascript:alert(1)) ![p](https://x.example/p.png)")
'Acme &#91;Pay&#93;(javascript:alert(1)) &#33;&#91;p&#93;(https&#58;//x.example/p.png)'
>>> safe("<img src=x onerror=alert(1)>\n# Owned $x$")
'&lt;img src=x onerror=alert(1)&gt; &#35; Owned &#36;x&#36;'
>>> print(safe("\x1b[31mOK\x1b[0m"), plain("\x1b[31mOK\x1b[0m"))
&#92;x1b&#91;31mOK&#92;x1b&#91;0m \x1b[31mOK\x1b[0m
>>> print(safe("Pumps & Valves (PV)"), safe('the buyer\'s "frustration"'))
Pumps &amp; Valves (PV) the buyer's &quot;frustration&quot;
"""

from __future__ import annotations

import html
import re

__all__ = ["plain", "safe"]

#: Control characters written out as Python writes them (``\x1b``), in ASCII that every
#: font draws: C0, DEL, C1 and the bidirectional overrides (which reorder what a reader
#: sees). Line breaks and tabs become spaces.
_CONTROLS: dict[int, str] = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}
_CONTROLS |= {c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_CONTROLS |= {ord(c): " " for c in "\t\n\v\f\r\x85\u2028\u2029"}

#: HTML's special characters (as :func:`html.escape` writes them; ``'`` is left as it is, as
#: every attribute the package writes is in double quotes), and the characters that start
#: Markdown markup (or math) as character references: one table, one pass.
_MARKUP = {ord(c): f"&#{ord(c)};" for c in "\\`*_[]~$|#!{}"}
_MARKUP |= {ord(c): html.escape(c, quote=True) for c in '&<>"'}
#: A value at the start of a line must not start a list or a numbered item.
_LEADING = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def plain(text: object) -> str:
    r"""Return ``text`` with its control characters written out, line breaks as spaces.

    Examples
    --------
    >>> plain("PV\rALL CHECKS PASSED")
    'PV ALL CHECKS PASSED'
    """
    return str(text).translate(_CONTROLS)


def safe(text: object) -> str:
    """Return a text from the data ready for Markdown or HTML: it shows as text, never markup.

    Examples
    --------
    >>> safe("<script>alert(1)</script> & Co")
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co'
    >>> safe("- 1. item"), safe("12) x")
    ('&#45; 1. item', '12&#41; x')
    """
    shown = plain(text).translate(_MARKUP)
    shown = shown.replace("://", "&#58;//")  # no bare URL becomes a link
    return _LEADING.sub(lambda m: m[1] + m[2][:-1] + f"&#{ord(m[2][-1])};", shown, count=1)
