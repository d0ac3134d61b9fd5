"""Core: weighted scores and bands, shared drawing on a given Axes, the CJK font; imports base."""
