"""`generate_synthetic_data` builds a skewed, clearly marked data set apart from real facts."""

import pytest
from django.core.management import CommandError, call_command

from foi_requests import synthetic
from foi_requests.models import FoiRequest
from register.models import Deployment, Force, Tool

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
