"""Saving matplotlib figures the same way everywhere (CLI files, inline SVG for HTML reports).

Figures are built with :class:`matplotlib.figure.Figure` directly rather than through ``pyplot``, so no global
backend or figure registry is touched: plotting is safe in servers and threads and nothing leaks between calls.

Inline SVG is reproducible and safe to put several to a page: :func:`figure_svg` leaves out the date matplotlib
writes in the metadata, names the ids that matplotlib derives from a random salt in order of appearance, and
prefixes every id (and every reference to it) per figure, so the same figure gives the same bytes and two figures
on one page share no id. No rcParams are changed.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from metastasis.errors import InvalidInputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURE_FORMATS = ("png", "svg", "pdf")

_ID_PREFIX = re.compile(r"^[A-Za-z][\w.-]*$")
_ID_USE = re.compile(r'(\sid="|url\(#|href="#)([^")]+)')
_SALTED = re.compile(r"^([hmp])[0-9a-f]{10}$")  # matplotlib's hashed ids: hatches, markers, clip paths


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


def figure_svg(fig: Figure, *, id_prefix: str | None = None, tight: bool = True) -> str:
    """The figure as an SVG document (a string), ready to embed inline in HTML.

    The same figure gives the same text. Every ``id`` becomes ``<id_prefix>-<id>`` (references follow), so use a
    prefix unique on the page, e.g. the figure's id; without one, ``svg-`` and a digest of the figure is used.
    ``tight`` crops to the drawn content (one more pass over the text); ``False`` keeps the figure's own size and
    margins.
    """
    if id_prefix is not None and not _ID_PREFIX.match(id_prefix):
        raise InvalidInputError("id_prefix", id_prefix, "a letter, then letters, digits, '_', '-' or '.'")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight" if tight else None, metadata={"Date": None})
    svg = _rename_ids(buffer.getvalue(), "")
    if id_prefix is None:
        id_prefix = "svg-" + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:10]
    return _rename_ids(svg, f"{id_prefix}-")


def _rename_ids(svg: str, prefix: str) -> str:
    """Prefix every id and reference; salted ids are renamed by order of first appearance (``m1``, ``p2`` ...)."""
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        old = match.group(2)
        new = names.get(old)
        if new is None:
            salted = _SALTED.match(old)
            new = names[old] = prefix + (f"{salted.group(1)}{len(names) + 1}" if salted else old)
        return match.group(1) + new

    return _ID_USE.sub(rename, svg)
