"""Helpers shared by the ``ui`` modules (display plumbing only; no science)."""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

__all__ = ["widget_bundle"]


def widget_bundle(widget: ipw.Widget, text: str) -> dict[str, Any]:
    """A widget's display bundle with a short, stable plain-text alternative.

    The plain text is what nbval compares and what a screen reader or a text-only front end shows;
    the widget view itself carries a random model id, which nbval never compares.
    """
    return {
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2,
            "version_minor": 0,
            "model_id": widget.model_id,
        },
        "text/plain": text,
    }
