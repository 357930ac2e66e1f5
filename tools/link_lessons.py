"""Link the lessons: each glossary term at its first use, and every lesson to its neighbours.

Usage: python tools/link_lessons.py notebooks/[0-9]*.ipynb   (run after editing a lesson's text;
``tests/test_glossary.py`` fails when a first use is not linked or a lesson's links are stale)

**Glossary.** A term is found in Markdown cells, in lesson order, outside headings, code spans,
math, links and HTML tags. Its first use becomes ``[words](glossary.md#Anchor)``; later uses stay
plain. The anchor is the glossary heading with spaces as hyphens, which is the id JupyterLab gives
a Markdown heading.

**Neighbours.** The title cell and the summary cell each end with one line starting
``**Lessons:**`` that links the previous lesson, the lesson list, the glossary and the next lesson
(titles from each lesson's H1). Running the tool again rewrites that line.

Only Markdown cells change; outputs are untouched, so stored outputs stay valid.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

GLOSSARY = "glossary.md"

# Glossary heading -> the forms a lesson may use (regular expressions, matched case-insensitively
# at word boundaries). Terms written in math ($\tau^2$, $I^2$, $\hat p$) are explained in plain
# words where they appear and are not linked automatically.
TERMS: dict[str, list[str]] = {
    "PCD": [r"PCD"],
    "BDSM": [r"BDSM"],
    "Top and bottom": [r'"top"', r"tops", r"top role", r'"bottom"', r"bottoms", r"bottom role"],
    "Aftercare": [r"aftercare"],
    "Sub drop": [r"sub drop"],
    "Prolactin": [r"prolactin"],
    "Oxytocin": [r"oxytocin"],
    "Cortisol": [r"cortisol"],
    "Dopamine": [r"dopamine"],
    "Beta-endorphin": [r"β-endorphin"],
    "Baseline": [r"baseline"],
    "Half-life": [r"half-lives", r"half-life"],
    "Illustrative": [r"illustrative"],
    "Log scale": [r"log(arithmic)? (time )?(scale|axis)"],
    "Prevalence": [r"prevalence"],
    "Recall window": [r"recall windows?"],
    "Frequency threshold": [r"frequency thresholds?"],
    "Convenience sample": [r"convenience samples?"],
    "Volunteer register": [r"volunteer register"],
    "Volunteer bias": [r"volunteer bias"],
    "Confidence interval": [r"confidence intervals?"],
    "Wilson interval": [r"Wilson( score)? intervals?"],
    "Wald interval": [r"Wald intervals?"],
    "Clopper-Pearson interval": [r"Clopper[–-]Pearson"],
    "Standard error": [r"standard errors?"],
    "Pooling": [r"meta-analys[ie]s", r"pooling"],
    "Logit": [r"logit"],
    "Random effects": [r"random[- ]effects"],
    "DL and PM": [r"DerSimonian[–-]Laird", r"Paule[–-]Mandel"],
    "HKSJ interval": [r"HKSJ"],
    "Degrees of freedom": [r"degrees of freedom"],
    "Prediction interval": [r"prediction intervals?"],
    "Forest plot": [r"forest plots?"],
    "Widget": [r"widgets?"],
    "Kernel": [r"kernels?"],
}

# Spans a link must never be put into: code, math, existing links and images, HTML tags, URLs.
_PROTECTED = re.compile(
    r"`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$|!?\[[^\]]*\]\([^)]*\)|<[^>\n]*>|https?://\S+"
    r"|\*[^*\n]*→[^*\n]*\*",  # and menu paths such as *Kernel → Shut Down Kernel*
    re.DOTALL,
)


def anchor(heading: str) -> str:
    """JupyterLab's id for a Markdown heading: its text with spaces as hyphens."""
    return heading.replace(" ", "-")


def target(heading: str) -> str:
    return f"{GLOSSARY}#{anchor(heading)}"


def _pattern(forms: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(" + "|".join(forms) + r")(?![\w-])", re.IGNORECASE)


def _free_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of ``text`` outside protected spans and heading lines."""
    blocked = [m.span() for m in _PROTECTED.finditer(text)]
    blocked += [m.span() for m in re.finditer(r"(?m)^#+ .*$", text)]
    blocked.sort()
    free, at = [], 0
    for start, end in blocked:
        if start > at:
            free.append((at, start))
        at = max(at, end)
    free.append((at, len(text)))
    return free


def first_uses(cells: list[str]) -> dict[str, tuple[int, int, int, bool]]:
    """Term -> (cell, start, end, linked) of its first use in these Markdown cells; a use already
    inside a link to the glossary counts as linked."""
    found: dict[str, tuple[int, int, int, bool]] = {}
    for heading, forms in TERMS.items():
        pattern = _pattern(forms)
        link = re.compile(r"\[([^\]]*)\]\(" + re.escape(target(heading)) + r"\)")
        for index, text in enumerate(cells):
            hits = [(m.start(), m.end(), True) for m in link.finditer(text) if pattern.search(m[1])]
            for start, end in _free_spans(text):
                m = pattern.search(text, start, end)
                if m:
                    hits.append((m.start(), m.end(), False))
            if hits:
                start, end, linked = min(hits)
                found[heading] = (index, start, end, linked)
                break
    return found


def link_cells(cells: list[str]) -> list[str]:
    """The cells with every term's first use linked (at most one new link per term)."""
    cells = list(cells)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for heading, (index, start, end, linked) in first_uses(cells).items():
        if not linked:
            edits.setdefault(index, []).append((start, end, heading))
    for index, spans in edits.items():
        text = cells[index]
        for start, end, heading in sorted(spans, reverse=True):
            text = f"{text[:start]}[{text[start:end]}]({target(heading)}){text[end:]}"
        cells[index] = text
    return cells


NAV = "**Lessons:** "


def nav_line(titles: list[tuple[str, str]], index: int) -> str:
    """The neighbours line for lesson ``index`` of ``titles`` ((file name, H1 title) in order)."""
    parts = []
    if index > 0:
        name, title = titles[index - 1]
        parts.append(f"[← {title}]({name})")
    parts += ["[all lessons](README.md)", f"[glossary]({GLOSSARY})"]
    if index + 1 < len(titles):
        name, title = titles[index + 1]
        parts.append(f"[{title} →]({name})")
    return NAV + " · ".join(parts)


def with_nav(text: str, line: str) -> str:
    """``text`` ending with the neighbours ``line`` (replacing an older one)."""
    kept = [row for row in text.rstrip("\n").split("\n") if not row.startswith(NAV)]
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept) + "\n\n" + line


def title(source: str) -> str:
    return source.split("\n", 1)[0].removeprefix("# ").strip()


def main(paths: list[str]) -> int:
    import nbformat

    if not paths:
        raise SystemExit("usage: python tools/link_lessons.py notebooks/[0-9]*.ipynb")
    folder = Path(paths[0]).parent
    every = sorted(folder.glob("[0-9][0-9]-*.ipynb"))
    titles = [(p.name, title(nbformat.read(p, as_version=4).cells[0].source)) for p in every]
    names = [name for name, _ in titles]
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        markdown = [c for c in nb.cells if c.cell_type == "markdown"]
        new = link_cells([c.source for c in markdown])
        line = nav_line(titles, names.index(Path(path).name))
        new[0] = with_nav(new[0], line)
        summary = next(i for i, c in enumerate(markdown) if c.source.startswith("## Summary"))
        new[summary] = with_nav(new[summary], line)
        changed = sum(c.source != text for c, text in zip(markdown, new, strict=True))
        for cell, text in zip(markdown, new, strict=True):
            cell.source = text
        if changed:
            nbformat.write(nb, path)
        print(f"{Path(path).name}: {changed} cell(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
