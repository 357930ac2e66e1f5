"""Lesson 05's stated answers agree with its seeded demos and with exact values.

Each "Predict, then check" answer in the notebook is compared with a value the code computes
(exactly, from the binomial distribution or the model), and with the simulation output stored in
the notebook, so that a stated answer, its options and the demo beside it cannot drift apart. No
expected number is written here: every one is computed, or read from the data file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from widgets import data
from widgets.surveys import exercises, models, ui

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "05-surveys-and-uncertainty.ipynb"


@pytest.fixture(scope="module")
def cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _markdown(cells: list[dict]) -> str:
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _section(cells: list[dict], heading: str) -> str:
    """The markdown of one section: from its heading to the next '## ' heading."""
    text = _markdown(cells)
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end >= 0 else None]


def _printed(cells: list[dict]) -> list[str]:
    """Every printed (stream) output of the notebook, in order."""
    return [
        "".join(out["text"])
        for c in cells
        if c["cell_type"] == "code"
        for out in c["outputs"]
        if out.get("output_type") == "stream"
    ]


def _one(outputs: list[str], *phrases: str) -> str:
    found = [o for o in outputs if all(p in o for p in phrases)]
    assert len(found) == 1, (phrases, len(found))
    return found[0]


def _nearest(options: tuple[tuple[str, float], ...], value: float) -> str:
    return min(options, key=lambda o: abs(o[1] - value))[0]


# ------------------------------------------------------------------ section 3: Wald coverage


def _exact_wald_coverage(p: float, n: int) -> float:
    """Exact coverage written out: sum of binomial probabilities of the counts whose 95% Wald
    interval (statsmodels' "normal") contains p."""
    k = np.arange(n + 1)
    low, high = proportion_confint(k, n, alpha=0.05, method="normal")
    return float(stats.binom.pmf(k, n, p)[(low <= p) & (p <= high)].sum())


def test_wald_answer_is_the_option_nearest_the_exact_coverage():
    q = exercises.WALD_QUESTION
    exact = 100 * _exact_wald_coverage(q["prevalence_pct"] / 100, q["n_people"])
    prediction = exercises.wald_prediction()
    assert prediction.exact == pytest.approx(exact, abs=1e-9)
    assert prediction.answer == _nearest(prediction.options, exact)


def test_section_3_asks_the_options_and_states_the_answer(cells):
    text = _section(cells, "## 3.")
    q, prediction = exercises.WALD_QUESTION, exercises.wald_prediction()
    assert f"Surveys of {q['n_people']} people, true prevalence {q['prevalence_pct']:g}%" in text
    labels = [label for label, _ in prediction.options]
    assert ", ".join(labels[:-1]) + f", or {labels[-1]}?" in text
    answer = text[text.index("<summary>Check your answer</summary>") :]
    assert answer.split("\n", 2)[2].startswith(prediction.answer.capitalize())


def test_section_3_seeded_demo_agrees_with_the_stated_answer(cells):
    q, prediction = exercises.WALD_QUESTION, exercises.wald_prediction()
    demo = _one(
        _printed(cells),
        f"of {q['n_people']} people each, from a population in which {q['prevalence_pct']:.1f}%",
        "95% Wald (textbook) interval, with a marker",
    )
    hits, total = map(int, re.search(r"Coverage: (\d+) of (\d+) intervals", demo).groups())
    simulated = 100 * hits / total
    assert _nearest(prediction.options, simulated) == prediction.answer
    sd = 100 * np.sqrt(prediction.exact / 100 * (1 - prediction.exact / 100) / total)
    assert abs(simulated - prediction.exact) <= 2 * sd
    assert f"Wald (textbook) {prediction.exact:.1f}%" in demo


def test_ten_thousand_survey_checks_agree_with_exact_coverage(cells):
    lines = [
        line
        for out in _printed(cells)
        for line in out.splitlines()
        if "10,000 simulated surveys" in line
    ]
    assert len(lines) == 2
    pattern = r"^(\w+), true ([\d.]+)%, ([\d,]+) people: .* ([\d.]+)%; exact ([\d.]+)%$"
    for line in lines:
        method, p, n, simulated, exact = re.match(pattern, line).groups()
        p, n = float(p) / 100, int(n.replace(",", ""))
        want = 100 * models.theoretical_coverage(prevalence=p, n_people=n, method=method)
        assert float(exact) == round(want, 1)
        se = 100 * np.sqrt(want / 100 * (1 - want / 100) / 10_000)
        assert abs(float(simulated) - want) <= 4 * se + 0.05


# ------------------------------------------------------------------ section 2: the wobble


def test_section_2_half_as_wide_agrees_with_theory_and_the_demo(cells):
    text = _section(cells, "## 2.")
    assert "(500 → 2,000)" in text
    assert "<summary>Check your answer</summary>\n\nHalf as wide." in text
    student = models.reported(data.load("prevalence"), "schweitzer2015-women-lifetime")
    p = student.percent / 100
    ratio = models.standard_error(prevalence=p, n_people=500) / models.standard_error(
        prevalence=p, n_people=2000
    )
    assert ratio == pytest.approx(2)
    spreads = []
    for n in ("500", "2,000"):
        demo = _one(_printed(cells), f"of {n} people each, from a population in which")
        assert f"in which {student.percent:.1f}%" in demo
        found = re.search(r"standard deviation ([\d.]+) points \(theory: ([\d.]+)\)", demo)
        spreads.append((float(found.group(1)), float(found.group(2))))
    assert spreads[0][1] / spreads[1][1] == pytest.approx(ratio, abs=0.2)  # rounded to 0.1
    simulated = spreads[0][0] / spreads[1][0]
    assert _nearest((("same", 1.0), ("half", 2.0), ("quarter", 4.0)), simulated) == "half"


# ------------------------------------------------------------------ section 4: volunteers


def test_section_4_less_likely_agrees_with_exact_and_simulated_shares(cells):
    text = _section(cells, "## 4.")
    match = re.search(r"A survey of ([\d,]+) respondents instead of ([\d,]+)", text)
    big, small = (int(g.replace(",", "")) for g in match.groups())
    assert "<summary>Check your answer</summary>\n\nNo: less likely." in text
    res = models.simulate_volunteer_surveys(
        prevalence=0.2,
        response_if_yes=0.6,
        response_if_no=0.3,
        n_people=[small, big],
        n_surveys=1,
        rng=np.random.default_rng(0),
    )
    assert res.exact_coverage[1] < res.exact_coverage[0]
    assert f"respondents' {100 * res.respondent_prevalence:.1f}%" in text
    demo = _one(_printed(cells), "answer with probability 60%, the others with probability 30%")
    shares = {
        int(n.replace(",", "")): (float(sim), float(exact))
        for n, sim, exact in re.findall(r"([\d,]+) people: (\d+)% \(([\d.]+)%\)", demo)
    }
    assert shares[big][0] < shares[small][0]
    assert shares[big][1] < shares[small][1]
    for n, expected in zip((small, big), res.exact_coverage, strict=True):
        assert shares[n][1] == round(100 * float(expected), 1)


# ------------------------------------------------------------------ section 5: recall


def test_section_5_nearly_everyone_agrees_with_the_model_and_the_demo(cells):
    text = _section(cells, "## 5.")
    prediction, q = exercises.recall_prediction(), exercises.RECALL_QUESTION
    labels = [label for label, _ in prediction.options]
    assert ", ".join(labels[:-1]) + f", or {labels[-1]}?" in text
    assert f"<summary>Check your answer</summary>\n\n{prediction.answer.capitalize()}." in text
    demo = _one(
        _printed(cells),
        f"{q['susceptible_pct']:.1f}% of people can have the experience",
        f"probability {q['per_encounter_pct']:.1f}%",
    )
    assert f"times per 4 weeks on average, over {q['years_active']:g} years" in demo
    lifetime = float(re.search(r"([\d.]+)% within a lifetime", demo).group(1))
    assert lifetime == round(prediction.exact, 1)


def test_default_recall_values_reproduce_the_measured_figures(cells):
    studies = data.load("prevalence")
    recent, lifetime = (models.reported(studies, r) for r in ui.RECALL_STUDY)
    demo = _one(_printed(cells), "Measured: ", "41.0% of people can have the experience")
    model = re.search(r"([\d.]+)% within the past four weeks; ([\d.]+)% within a lifetime", demo)
    assert float(model.group(1)) == pytest.approx(recent.percent, abs=0.1)
    assert float(model.group(2)) == pytest.approx(lifetime.percent, abs=0.1)


# ------------------------------------------------------------------ section 1 and the data


def test_section_1_highest_and_lowest_are_the_rows_the_answer_names():
    table = models.comparison_table(data.load("prevalence"))
    highest = table.loc[table["percent"].idxmax()]
    lowest = table.loc[table["percent"].idxmin()]
    assert "checklist" in highest["what_counted"]
    checklist = table[table["what_counted"].str.contains("checklist")]
    assert checklist["percent"].min() > table.drop(checklist.index)["percent"].max()
    assert lowest["study"] == "Burri & Spector 2011" and "recent" in lowest["window"]


def test_published_numbers_are_printed_from_data_not_written_in_markdown(cells):
    """A number from data/prevalence.csv in the markdown would not change with the data."""
    studies = data.load("prevalence")
    text = _markdown(cells)
    for row_id in (*models.COMPARISON_ROWS, exercises.INTERVAL_ROW):
        figure = models.reported(studies, row_id)
        assert not re.search(rf"(?<![\d.]){re.escape(f'{figure.percent:g}')}%", text), row_id
        if figure.n >= 100:
            assert not re.search(rf"(?<![\d,.]){figure.n:,}(?![\d,])", text), row_id
    printed = "\n".join(_printed(cells))
    for row_id in ("schweitzer2015-women-lifetime", "burrispector2011-women-recent"):
        assert models.reported(studies, row_id).sentence in printed


def test_the_register_is_called_a_volunteer_register_wherever_it_is_the_contrast(cells):
    text = _markdown(cells)
    assert "population-based" not in text
    for heading in ("## 1.", "## 4.", "## Summary"):
        section = _section(cells, heading)
        assert "volunteer" in section and "register" in section, heading
