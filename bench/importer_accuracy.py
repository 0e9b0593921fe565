"""Field accuracy of the FOI importer on our corpus of answers (tests/importer_corpus/).

    .venv/bin/python bench/importer_accuracy.py            # all answers, then the held-out quarter
    .venv/bin/python bench/importer_accuracy.py --verbose  # also every field it got wrong, outside the held-out quarter
    .venv/bin/python bench/importer_accuracy.py --verbose --held-out  # ... and in it (only once the work is done)
    .venv/bin/python bench/importer_accuracy.py --corpus tests/importer_corpus_unseen  # another corpus, same layout

Each answer's fields are scored against expected.json: references and exemptions as sets,
the other request fields exactly (None where the text does not say), and for each expected
question its number, text, answer and outcome (whitespace and case aside).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from foi_requests.extraction import extract, force_aliases  # noqa: E402

CORPUS = ROOT / "tests" / "importer_corpus"
FIELDS = (
    "references",
    "authority",
    "date_received",
    "date_responded",
    "outcome",
    "exemptions",
    "question_numbers",
    "question_text",
    "answer",
    "question_outcome",
)


def aliases() -> dict[str, str]:
    with open(ROOT / "data" / "uk_police_forces.csv", newline="") as file:
        return force_aliases((row["slug"], row["name"]) for row in csv.DictReader(file))


def same_text(a: str | None, b: str | None) -> bool:
    fold = lambda text: " ".join(text.split()).casefold() if text else None  # noqa: E731
    return fold(a) == fold(b)


def score(expected: dict, found: dict) -> list[tuple[str, bool, object, object]]:
    """(field, right?, expected, found) for each field of one answer."""
    results = []
    for name in ("references", "exemptions"):
        results.append((name, set(expected[name]) == set(found[name]), expected[name], found[name]))
    for name in ("authority", "date_received", "date_responded", "outcome"):
        results.append((name, expected[name] == found[name], expected[name], found[name]))
    numbers = [q["number"] for q in expected["questions"]]
    found_numbers = [q["number"] for q in found["questions"]]
    results.append(("question_numbers", numbers == found_numbers, numbers, found_numbers))
    by_number = {q["number"]: q for q in found["questions"]}
    for question in expected["questions"]:
        match = by_number.get(question["number"], {})
        for name, key, compare in (
            ("question_text", "question", same_text),
            ("answer", "answer", same_text),
            ("question_outcome", "outcome", lambda a, b: a == b),
        ):
            got = match.get(key)
            results.append((f"{name}", compare(question[key], got), question[key], got))
    return results


def measure(
    verbose: bool = False, show_held_out: bool = False, corpus: Path = CORPUS
) -> dict[str, dict[str, tuple[int, int]]]:
    """{"all": {field: (right, total)}, "held_out": {...}}."""
    expected_all = json.loads((corpus / "expected.json").read_text())
    known = aliases()
    tallies = {"all": Counter(), "all_total": Counter(), "held_out": Counter(), "held_out_total": Counter()}
    for name, expected in sorted(expected_all.items()):
        extractions = extract((corpus / name).read_text(), known)
        first = extractions[0]
        found = first.as_json()
        found["questions"] = [
            {"number": q.number, "question": q.question, "answer": q.answer, "outcome": getattr(q, "outcome", None)}
            for q in first.questions
        ]
        for field, right, want, got in score(expected, found):
            for group in ("all", "held_out") if expected["held_out"] else ("all",):
                tallies[group][field] += right
                tallies[group + "_total"][field] += 1
            # The held-out quarter's mistakes stay hidden while the importer is being improved.
            if verbose and not right and (show_held_out or not expected["held_out"]):
                print(f"{name}: {field}: expected {want!r}, found {got!r}")
    return {
        group: {field: (tallies[group][field], tallies[group + "_total"][field]) for field in FIELDS}
        for group in ("all", "held_out")
    }


def corpus_argument(argv: list[str]) -> Path:
    """The directory after --corpus (as a shell path: relative to the current directory), else the tuning corpus."""
    if "--corpus" not in argv:
        return CORPUS
    at = argv.index("--corpus") + 1
    if at >= len(argv) or argv[at].startswith("--"):
        sys.exit("--corpus needs a directory, e.g. --corpus tests/importer_corpus_unseen")
    corpus = Path(argv[at]).resolve()
    if not (corpus / "expected.json").is_file():
        sys.exit(f"--corpus {argv[at]}: no expected.json in {corpus}")
    return corpus


def main() -> None:
    figures = measure(
        verbose="--verbose" in sys.argv, show_held_out="--held-out" in sys.argv, corpus=corpus_argument(sys.argv)
    )
    for group, fields in figures.items():
        print(f"\n{group}:")
        right = total = 0
        for field, (good, count) in fields.items():
            right, total = right + good, total + count
            print(f"  {field:<18} {good:>4}/{count:<4} {100 * good / count:6.1f} %")
        print(f"  {'total':<18} {right:>4}/{total:<4} {100 * right / total:6.1f} %")


if __name__ == "__main__":
    main()
