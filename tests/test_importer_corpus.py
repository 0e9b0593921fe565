"""Field accuracy of the importer on our corpus of answers (tests/importer_corpus/), measured by
bench/importer_accuracy.py: a floor per field, at the figure reached, so a regression fails."""

from bench.importer_accuracy import measure

# The importer's figures (percent) once its rules for the corpus's layouts were added (the first
# importer's were 42.5 % for outcome, 16.3 % for answers); raise them as the importer improves.
FLOORS = {
    "references": 97.5,
    "authority": 100.0,
    "date_received": 97.5,
    "date_responded": 97.5,
    "outcome": 77.5,
    "exemptions": 95.0,
    "question_numbers": 97.5,
    "question_text": 98.0,
    "answer": 90.0,
    "question_outcome": 90.0,
}


def test_field_accuracy_on_the_whole_corpus_stays_above_its_floor():
    figures = measure()["all"]
    for field, floor in FLOORS.items():
        right, total = figures[field]
        assert 100 * right / total >= floor, f"{field}: {right}/{total} is below {floor} %"
