"""Re-execute notebooks in place and store their outputs: the only way stored outputs change.

Usage: python tools/regenerate_outputs.py notebooks/*.ipynb   (what `make outputs` runs)

Each notebook is run top to bottom in a fresh ``python3`` kernel from this environment, with the
working directory set to the notebook's folder and ``PLOTLY_RENDERER=plotly_mimetype`` (the same
settings as ``make test``). Before writing, it removes what would make a diff on every run or bloat
the file: saved widget state (``metadata.widgets``, about 5 MB per plotly FigureWidget) and per-cell
execution timestamps. Running it twice changes nothing but widget model ids.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

KERNEL = "python3"
TIMEOUT_S = 300


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) outputs: the kernel splits a print into chunks by timing,
    so without this the stored notebook would change from run to run."""
    merged: list = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (
            out.get("output_type") == "stream"
            and last is not None
            and last.get("output_type") == "stream"
            and last.get("name") == out.get("name")
        ):
            last["text"] = "".join(last["text"]) + "".join(out["text"])
        else:
            merged.append(out)
    return merged


def kernelspec() -> dict[str, str]:
    """The kernelspec stored in every lesson: the installed ``python3`` kernel's own, so that
    JupyterLab opens a lesson without marking it changed (a different display name does)."""
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    return {"display_name": spec.display_name, "language": spec.language, "name": KERNEL}


def clean(nb: nbformat.NotebookNode) -> None:
    """Drop saved widget state and timing metadata; pin the kernelspec; merge stream chunks; fold
    every code cell's source away (``jupyter.source_hidden``: JupyterLab shows a bar that opens
    it), so a student sees the text and the outputs, not the code."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = kernelspec()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True


def regenerate(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    clean(nb)
    start = time.perf_counter()
    NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
        record_timing=False,
    ).execute()
    clean(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"
    for p in paths:
        seconds = regenerate(Path(p))
        print(f"{p}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
