"""Write offline HTML handouts of the lessons: ``handouts/NN-*.html`` and ``handouts/index.html``.

Usage: python tools/handouts.py [--out DIR] [NOTEBOOK ...]   (``make handouts``: every lesson)

Each handout is one self-contained HTML file that works with no network: open it from a USB stick,
e-mail it, or print it. For each lesson the script

1. executes a *copy* of the notebook in a fresh ``python3`` kernel (working directory: the
   notebook's folder) with ``PLOTLY_RENDERER=notebook``, so each plotly figure becomes HTML with
   plotly.js inlined once per handout (nbconvert drops the ``plotly_mimetype`` figures that the
   notebooks store);
2. removes the MathJax ``<script src="https://…">`` that plotly's notebook renderer adds to every
   figure, and replaces each live widget with a short note (widgets need a running kernel; the
   plain cell after each widget prints its values, and those stay);
3. converts with nbconvert's ``lab`` template, code cells hidden (``exclude_input``), style sheets
   inlined, and no require.js, MathJax, Mermaid or widget-manager script, so nothing is loaded from
   a CDN. Formulas therefore show as TeX source (for example ``$\\tau^2$``);
4. checks the result: if any tag would load an ``http(s)://`` resource, or any style sheet imports
   one, the script stops with an error naming it.

The notebooks in ``notebooks/`` are only read, never written. Outputs go to ``handouts/`` (ignored
by git); ``handouts/index.html`` links them.
"""

from __future__ import annotations

import argparse
import copy
import html
import os
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
KERNEL = "python3"
TIMEOUT_S = 300
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"

WIDGET_NOTE = (
    '<p class="pcd-widget-note" role="note"><strong>Interactive widget.</strong> It is live in '
    "JupyterLab (<code>make lab</code>) or the presenter view (<code>make present</code>); in this "
    "handout its values are printed just below.</p>"
)

# The MathJax loader plotly's notebook renderer adds beside every figure (include_mathjax="cdn").
_MATHJAX_SCRIPT = re.compile(
    r"<script[^>]*\bsrc=[\"']https?://[^\"']*mathjax[^\"']*[\"'][^>]*>\s*</script>", re.IGNORECASE
)

_TEMPLATE_NAME = "pcd_handout.html.j2"
# Extends nbconvert's lab template and empties every block that loads a script from a CDN.
_TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<meta name="generator" content="tools/handouts.py (post-sex blues teaching pack)">
<style type="text/css">
  body.jp-Notebook { max-width: 60rem; margin: 0 auto; padding: 1rem; }
  .pcd-handout-banner { border: 1px solid #6E6E6E; padding: 0.5rem 0.8rem; margin: 0.5rem 0 1rem; }
  .pcd-widget-note { border-left: 4px solid #0072B2; padding: 0.3rem 0.8rem; margin: 0.3rem 0; }
  details { margin: 0.5rem 0; }
  details > summary { cursor: pointer; font-weight: 600; }
  @media print { .pcd-handout-banner { display: none; } }
</style>
<script>
  // Printing: open every "Check your answer" block, so paper shows the answers.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
</script>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
<p class="pcd-handout-banner">Handout of a lesson in the post-sex blues teaching pack: it works
offline, code is hidden, and interactive widgets are replaced by a note (their values are printed
below them). This is education, not medical advice.</p>
{%- endblock body_header -%}
"""


# --- what loads from the network -----------------------------------------------------------------

# Attributes that make the browser fetch a resource (not navigation links such as <a href>).
_FETCHING = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
_REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_CSS_REMOTE = re.compile(
    r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


class _ResourceFinder(HTMLParser):
    """Collect every tag attribute that would fetch a remote resource, and remote CSS imports."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in _FETCHING.get(tag, ()) and any(
                _REMOTE.match(part.strip().split(" ")[0]) for part in value.split(",")
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and _CSS_REMOTE.search(value):
                self.found.append(f"<{tag} style={value[:80]!r}>")
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and _CSS_REMOTE.search(data):
            match = _CSS_REMOTE.search(data)
            self.found.append(f"<style> {data[match.start() : match.start() + 80]!r}")


def remote_resources(text: str) -> list[str]:
    """Every place in an HTML document that would load something over the network.

    Tags whose ``src``/``href``/``data``/``srcset`` fetch an ``http(s)://`` or ``//`` URL, and
    ``@import``/``url()`` of such URLs in ``<style>`` blocks or ``style`` attributes. Script bodies
    are not parsed as HTML, so URLs quoted inside JavaScript (plotly.js has some) do not count;
    links a reader may click (``<a href>``) do not count either.
    """
    finder = _ResourceFinder()
    finder.feed(text)
    finder.close()
    return finder.found


# --- building ------------------------------------------------------------------------------------


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _summary(nb: nbformat.NotebookNode) -> str:
    """The first paragraph after the H1 of the first cell, as plain text."""
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first is None:
        return ""
    paragraphs = [p.strip() for p in first.source.split("\n\n")]
    text = next((p for p in paragraphs[1:] if p and not p[0].isdigit()), "")
    return re.sub(r"[*_`]", "", " ".join(text.split()))


def execute(nb: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    """Run a copy of ``nb`` with the inline-plotly.js renderer; return the executed copy."""
    run = copy.deepcopy(nb)
    for cell in run.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    saved = os.environ.get("PLOTLY_RENDERER")
    os.environ["PLOTLY_RENDERER"] = "notebook"  # the kernel inherits it
    try:
        NotebookClient(
            run,
            kernel_name=KERNEL,
            timeout=TIMEOUT_S,
            resources={"metadata": {"path": str(folder)}},
            store_widget_state=False,
            record_timing=False,
        ).execute()
    finally:
        if saved is None:
            os.environ.pop("PLOTLY_RENDERER", None)
        else:
            os.environ["PLOTLY_RENDERER"] = saved
    return run


def make_offline(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Replace widgets with a note and strip CDN scripts from outputs (in place; returns ``nb``)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs, noted = [], False
        for out in cell.outputs:
            data = out.get("data", {})
            if WIDGET_MIME in data:
                if not noted:
                    outputs.append(
                        nbformat.v4.new_output(
                            "display_data", data={"text/html": WIDGET_NOTE, "text/plain": ""}
                        )
                    )
                    noted = True
                continue
            if "text/html" in data:
                data["text/html"] = _MATHJAX_SCRIPT.sub("", "".join(data["text/html"]))
                data.pop(PLOTLY_MIME, None)
            outputs.append(out)
        cell.outputs = outputs
    return nb


def exporter() -> HTMLExporter:
    """nbconvert's lab HTML exporter, code hidden, with nothing loaded from a CDN."""
    return HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        mathjax_url="",
        require_js_url="",
        widget_renderer_url="",
        theme="light",
    )


def build(path: Path, out_dir: Path) -> tuple[Path, str, str]:
    """Write the handout of one lesson; return (file, title, summary)."""
    nb = nbformat.read(path, as_version=4)
    title = _title(nb, path.stem)
    executed = make_offline(execute(nb, path.parent))
    executed.metadata["title"] = title
    body, _resources = exporter().from_notebook_node(executed)
    problems = remote_resources(body)
    if problems:
        raise RuntimeError(
            f"{path.name}: the handout would load {len(problems)} remote resource(s): "
            + "; ".join(problems[:5])
        )
    target = out_dir / f"{path.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target, title, _summary(nb)


def write_index(out_dir: Path, lessons: list[tuple[Path, str, str]]) -> Path:
    """Write ``index.html``: one link per handout, with its opening sentence."""
    items = "\n".join(
        f'  <li><a href="{html.escape(p.name)}">{html.escape(title)}</a>'
        f"<br><span>{html.escape(summary)}</span></li>"
        for p, title, summary in sorted(lessons)
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Post-sex blues, checked: handouts</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
         max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1F1F1F; }}
  li {{ margin: 0 0 1rem; }}
  li span {{ color: #444; }}
  .note {{ border: 1px solid #6E6E6E; padding: 0.5rem 0.8rem; }}
</style>
</head>
<body>
<main>
<h1>Post-sex blues, checked: handouts</h1>
<p class="note"><strong>Content note.</strong> These lessons discuss sex, BDSM and, briefly, sexual
abuse and trauma. Nothing is graphic. This is education, not medical advice: if distress after sex
is a pattern for you, or a partner makes you feel unsafe, talk to a local sexual-health service, a
GP or doctor, an AASECT-certified sex therapist (USA) or your country's equivalent register, and
contact emergency services if you are in danger.</p>
<p>Each handout is one file that works offline. Code is hidden; figures are included; interactive
widgets are replaced by a note, with their values printed below them. Formulas appear as TeX
source. Open the lessons in JupyterLab or the presenter view to use the widgets.</p>
<ol>
{items}
</ol>
</main>
</body>
</html>
"""
    problems = remote_resources(page)
    if problems:  # pragma: no cover - the page above is fixed text
        raise RuntimeError(f"index.html would load remote resources: {problems}")
    target = out_dir / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "handouts", help="output folder")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    args.out.mkdir(parents=True, exist_ok=True)
    lessons = []
    for path in paths:
        start = time.perf_counter()
        target, title, summary = build(path.resolve(), args.out)
        lessons.append((target, title, summary))
        size_mb = target.stat().st_size / 1e6
        print(f"{target}: {title} ({size_mb:.1f} MB, {time.perf_counter() - start:.1f} s)")
    print(write_index(args.out, lessons))
    return 0


if __name__ == "__main__":
    sys.exit(main())
