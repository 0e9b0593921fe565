"""`generate_synthetic_data` builds a skewed, clearly marked data set apart from real facts."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max

from core.quotes import locate_quote
from foi_requests import synthetic
from foi_requests.models import FoiRequest
from foi_requests.outcomes import request_outcome
from register.models import Deployment, Evidence, Force, Question, Tool

from .factories import ForceFactory, ToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_scale(monkeypatch):
    monkeypatch.setattr(
        synthetic,
        "PER_SCALE",
        {"tools": 20, "deployments": 100, "assessments": 150, "foi_requests": 200, "evidence": 300},
    )


def test_counts_follow_the_scale_and_are_marked_synthetic(small_scale):
    ForceFactory.create_batch(10)
    call_command("generate_synthetic_data", "--scale", "2", verbosity=0)
    assert Tool.objects.count() == 40
    assert Deployment.objects.count() == 200
    assert FoiRequest.objects.count() == 400
    assert all(name.startswith("Synthetic") for name in Tool.objects.values_list("name", flat=True))
    assert not FoiRequest.objects.exclude(reference__startswith="SYN/").exists()


def test_skew_a_few_tools_by_many_forces_most_by_one(small_scale):
    ForceFactory.create_batch(10)
    call_command("generate_synthetic_data", "--scale", "2", verbosity=0)
    per_tool = sorted((tool.deployments.count() for tool in Tool.objects.all()), reverse=True)
    assert per_tool[0] == 10
    assert per_tool.count(1) > len(per_tool) / 2


def test_running_again_replaces_rather_than_adds(small_scale):
    ForceFactory.create_batch(10)
    call_command("generate_synthetic_data", "--scale", "1", verbosity=0)
    call_command("generate_synthetic_data", "--scale", "1", verbosity=0)
    assert Deployment.objects.count() == 100


def test_refuses_a_database_with_real_facts(small_scale):
    ForceFactory.create_batch(10)
    ToolFactory(slug="qlikview")
    with pytest.raises(CommandError, match="holds real register facts"):
        call_command("generate_synthetic_data", "--scale", "1", verbosity=0)
    assert Tool.objects.count() == 1


def test_needs_the_forces():
    assert Force.objects.count() == 0
    with pytest.raises(CommandError, match="load the forces first"):
        call_command("generate_synthetic_data", verbosity=0)


@pytest.mark.parametrize(("items", "total", "cap"), [(2000, 20000, 48), (48, 100000, 10000), (5, 5, 1), (3, 30, 10)])
def test_skewed_counts_sum_and_stay_in_bounds(items, total, cap):
    counts = synthetic.skewed_counts(items, total, cap)
    assert sum(counts) == total
    assert all(1 <= count <= cap for count in counts)
    assert counts == sorted(counts, reverse=True)


def test_the_same_seed_gives_the_same_records(small_scale):
    ForceFactory.create_batch(10)

    def records():
        return (
            list(FoiRequest.objects.order_by("slug").values_list("slug", "title", "response_text", "outcome")),
            list(Evidence.objects.order_by("pk").values_list("source__slug", "quote", "quote_start")),
            list(Question.objects.order_by("pk").values_list("source__slug", "number", "outcome")),
        )

    call_command("generate_synthetic_data", "--scale", "1", "--seed", "7", verbosity=0)
    first = records()
    call_command("generate_synthetic_data", "--scale", "1", "--seed", "7", verbosity=0)
    assert records() == first
    call_command("generate_synthetic_data", "--scale", "1", "--seed", "8", verbosity=0)
    assert records() != first


def test_records_are_as_saving_them_would_leave_them(small_scale):
    """The rows are written directly, not through save(): what save() keeps in step must be there."""
    ForceFactory.create_batch(10)
    call_command("generate_synthetic_data", "--scale", "1", verbosity=0)
    requests = list(FoiRequest.objects.select_related("force", "source"))
    for request in requests:
        source = {name: getattr(request.source, name) for name in request.source_values()}
        assert source == request.source_values()
        due, taken = request.due_date, request.working_days_taken
        request.refresh_deadline()
        assert (request.due_date, request.working_days_taken) == (due, taken)
    # Evidence quotes its answer at the place `check_quotes` finds it.
    evidence = list(Evidence.objects.select_related("source"))
    assert len(evidence) == 300
    for item in evidence:
        anchor = locate_quote(item.quote, item.source.text)
        assert anchor is not None
        assert (item.quote_start, item.quote_end) == (anchor.start, anchor.end)
        assert item.source.text[item.quote_start : item.quote_end] == item.quote
    # Every request's questions give its outcome, its categories asked and exemptions are theirs.
    for request in requests[:50]:
        questions = list(request.source.questions.prefetch_related("exemptions", "categories"))
        assert request_outcome([q.outcome for q in questions], request.outcome) == request.outcome
        asked = {c.category for q in questions for c in q.categories.all()}
        assert set(request.categories_asked.values_list("category", flat=True)) == asked
        cited = {e.pk for q in questions for e in q.exemptions.all()}
        assert set(request.exemptions.values_list("pk", flat=True)) == cited


def indexes_and_keys() -> set[tuple[str, str]]:
    """The definitions of the written tables' indexes and constraints, as the database gives them."""
    tables = [model._meta.db_table for model in synthetic.WRITTEN_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
            found = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
                [tables],
            )
            return {*found, *cursor.fetchall()}
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE tbl_name IN ({', '.join(['%s'] * len(tables))})", tables
        )
        return set(cursor.fetchall())


def test_the_tables_keep_their_indexes_and_new_records_get_new_ids(small_scale):
    ForceFactory.create_batch(10)
    before = indexes_and_keys()
    assert len(before) > 50
    call_command("generate_synthetic_data", "--scale", "1", verbosity=0)
    assert indexes_and_keys() == before
    # The database's own ids carry on after those the generator gave.
    tool = ToolFactory(slug="syn-tool-added-later")
    assert tool.pk > Tool.objects.exclude(pk=tool.pk).aggregate(Max("pk"))["pk__max"]


def test_a_failure_writes_nothing(small_scale, monkeypatch):
    ForceFactory.create_batch(10)
    before = indexes_and_keys()

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(synthetic, "write_evidence", fail)
    with pytest.raises(RuntimeError):
        call_command("generate_synthetic_data", "--scale", "1", verbosity=0)
    assert not Tool.objects.exists()
    assert not FoiRequest.objects.exists()
    assert indexes_and_keys() == before
