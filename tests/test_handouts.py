"""tools/handouts.py: a handout built for real is offline and complete; lessons stay untouched."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import tools_module

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "01-the-claims-checked.ipynb"  # has a plotly figure, no widget


def _load_tool():
    return tools_module.load("handouts")


class _Loads(HTMLParser):
    """Independent of the tool: every tag attribute that makes a browser fetch something."""

    NAVIGATION = frozenset({"a", "area", "form"})  # followed by a reader, not loaded by the page
    ATTRIBUTES = frozenset({"src", "href", "data", "srcset", "poster", "xlink:href"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loads, self.scripts_with_src, self.css = [], [], []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        for name, value in attrs:
            if tag not in self.NAVIGATION and name in self.ATTRIBUTES and value:
                self.loads.append((tag, name, value))
            if tag == "script" and name == "src":
                self.scripts_with_src.append(value)

    def handle_data(self, data):
        if self._tag == "style":
            self.css.append(data)


def _remote(text: str) -> list:
    parser = _Loads()
    parser.feed(text)
    remote = [load for load in parser.loads if re.match(r"\s*(https?:)?//", load[2], re.I)]
    remote += [
        css[:80] for css in parser.css if re.search(r"(@import|url\()\s*[\"']?\s*(https?:)?//", css)
    ]
    return remote, parser


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    before = LESSON.read_bytes()
    env = {**os.environ, "PLOTLY_RENDERER": "plotly_mimetype"}  # as under make: the tool overrides
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "handouts.py"), "--out", str(out), str(LESSON)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert LESSON.read_bytes() == before, "the lesson in notebooks/ must never be modified"
    return out


def test_it_writes_the_handout_and_an_index(built):
    assert sorted(p.name for p in built.iterdir()) == ["01-the-claims-checked.html", "index.html"]


@pytest.mark.parametrize("name", ["01-the-claims-checked.html", "index.html"])
def test_no_tag_loads_a_remote_resource(built, name):
    text = (built / name).read_text(encoding="utf-8")
    remote, parser = _remote(text)
    assert remote == []
    assert parser.scripts_with_src == []  # every script is inline
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']https?://", text)


def test_the_figure_and_plotly_js_are_inline(built):
    text = (built / "01-the-claims-checked.html").read_text(encoding="utf-8")
    assert 'class="plotly-graph-div"' in text
    assert re.search(r"plotly\.js v\d+\.\d+\.\d+", text), "plotly.js is not inlined"
    assert "Plotly.newPlot" in text
    assert "cdnjs.cloudflare.com/ajax/libs/mathjax" not in text  # plotly's MathJax loader is gone


def test_code_is_hidden_and_the_text_is_there(built):
    text = (built / "01-the-claims-checked.html").read_text(encoding="utf-8")
    assert "from widgets" not in text and "models.verdict_counts" not in text
    assert "Content note." in text and "not medical advice" in text
    # The printed outputs are there too: the first line the lesson prints (whatever today's data).
    lesson = json.loads(LESSON.read_text("utf-8"))
    printed = next(
        "".join(o["text"]).strip().splitlines()[0]
        for c in lesson["cells"]
        if c["cell_type"] == "code"
        for o in c["outputs"]
        if o["output_type"] == "stream"
    )
    assert html.escape(printed, quote=False) in text
    assert "<title>01 · The claims, checked</title>" in text


def test_the_index_links_the_handout(built):
    text = (built / "index.html").read_text(encoding="utf-8")
    assert '<a href="01-the-claims-checked.html">01 · The claims, checked</a>' in text
    assert "Content note." in text


# --- the parts, without a kernel ------------------------------------------------------------------


@pytest.fixture(scope="module")
def tool():
    return _load_tool()


def test_widgets_become_a_note_and_cdn_scripts_are_stripped(tool):
    mathjax = '<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/3.2.2/es5/tex-svg.min.js"></script>'
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={tool.WIDGET_MIME: {"model_id": "a"}}),
        nbformat.v4.new_output("display_data", data={tool.WIDGET_MIME: {"model_id": "b"}}),
        nbformat.v4.new_output("display_data", data={"text/html": f"<div>fig</div>{mathjax}"}),
        nbformat.v4.new_output("stream", name="stdout", text="readout\n"),
    ]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"state": {}}
    out = tool.make_offline(nb).cells[0].outputs
    assert [o.output_type for o in out] == ["display_data", "display_data", "stream"]
    assert "Interactive widget" in out[0].data["text/html"]
    assert out[1].data["text/html"] == "<div>fig</div>"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<script src="https://cdn.example/x.js"></script>', 1),
        ('<link rel="stylesheet" href="//cdn.example/x.css">', 1),
        ('<img srcset="a.png 1x, https://x.example/b.png 2x">', 1),
        ("<style>@import url('https://fonts.example/f.css');</style>", 1),
        ('<div style="background: url(http://x.example/a.png)"></div>', 1),
        ('<a href="https://doi.org/10.1002/sm2.74">a link</a>', 0),
        ("<script>var u = '<script src=\"https://x.example\">';</script>", 0),
        ('<img src="data:image/png;base64,AAAA">', 0),
    ],
)
def test_remote_resource_finder(tool, html, found):
    assert len(tool.remote_resources(html)) == found
