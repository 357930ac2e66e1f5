"""Test helpers: what a plotly FigureWidget sends to the browser (sender calls, comm messages)."""

from __future__ import annotations

import plotly.graph_objects as go

SENDERS = (
    "_send_update_msg",
    "_send_restyle_msg",
    "_send_relayout_msg",
    "_send_animate_msg",
    "_send_addTraces_msg",
    "_send_deleteTraces_msg",
)


def count_messages(fig: go.FigureWidget, monkeypatch) -> dict[str, int]:
    """Wrap the figure's senders; the returned dict counts calls per sender from now on."""
    counts = dict.fromkeys(SENDERS, 0)
    for name in SENDERS:
        original = getattr(fig, name)

        def wrapper(*args, _name=name, _original=original, **kwargs):
            counts[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(fig, name, wrapper)
    return counts


def comm_messages(fig: go.FigureWidget, monkeypatch) -> list[tuple[dict, list]]:
    """Every comm message the widget sends from now on, as (data, buffers)."""
    sent: list[tuple[dict, list]] = []

    def send(data=None, metadata=None, buffers=None):
        sent.append((data, list(buffers or [])))

    monkeypatch.setattr(fig.comm, "send", send)
    return sent
