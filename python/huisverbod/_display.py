"""Small rendering helpers shared by result objects."""

from __future__ import annotations

import html

import pandas as pd


def frame_html(title: str, df: pd.DataFrame, note: str | None = None, float_format: str = "{:.2f}") -> str:
    """An HTML block: a title, a table and an optional note."""
    body = df.to_html(float_format=lambda x: float_format.format(x), na_rep="–", border=0)
    foot = f"<p style='font-size:smaller'>{html.escape(note)}</p>" if note else ""
    return f"<div><strong>{html.escape(title)}</strong>{body}{foot}</div>"
