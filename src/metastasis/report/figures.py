"""Saving matplotlib figures the same way everywhere (CLI files, inline SVG for HTML reports).

Figures are built with :class:`matplotlib.figure.Figure` directly rather than through ``pyplot``, so no global
backend or figure registry is touched: plotting is safe in servers and threads and nothing leaks between calls.
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.figure import Figure

from metastasis.errors import InvalidInputError

FIGURE_FORMATS = ("png", "svg", "pdf")


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 150) -> Path:
    """Write ``fig`` to ``path``; the file's suffix (``.png``, ``.svg`` or ``.pdf``) chooses the format.

    Raises :class:`InvalidInputError` for any other suffix, before anything is written.
    """
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in FIGURE_FORMATS:
        raise InvalidInputError("plot", str(path), [f"a file name ending .{fmt}" for fmt in FIGURE_FORMATS])
    fig.savefig(target, format=suffix, dpi=dpi, bbox_inches="tight")
    return target


def figure_svg(fig: Figure) -> str:
    """The figure as an SVG document (a string), ready to embed inline in HTML."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()
