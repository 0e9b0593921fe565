"""Field accuracy of the importer on our corpus of answers (tests/importer_corpus/), measured by
bench/importer_accuracy.py: a floor per field, at the figure reached, so a regression fails."""

from bench.importer_accuracy import measure

# The current importer's figures (percent); raise them as the importer improves.
FLOORS = {
    "references": 80.0,
    "authority": 100.0,
    "date_received": 80.0,
    "date_responded": 80.0,
    "outcome": 42.5,
    "exemptions": 97.5,
    "question_numbers": 72.5,
    "question_text": 29.4,
    "answer": 16.3,
    "question_outcome": 13.0,
}


def test_field_accuracy_on_the_whole_corpus_stays_above_its_floor():
    figures = measure()["all"]
    for field, floor in FLOORS.items():
        right, total = figures[field]
        assert 100 * right / total >= floor, f"{field}: {right}/{total} is below {floor} %"
