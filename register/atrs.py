"""A deployment as a record of the UK Algorithmic Transparency Recording Standard (ATRS v3).

The ATRS is what UK public bodies publish about the algorithmic tools they use: a tier 1
summary for the public and tier 2 sections for specialists (owner and responsibility,
description and rationale, decision making process, tool specification, data, risks and
impact assessments). The register holds what forces disclosed under FOI in much the same
shape (`Deployment`), so each deployment can be read as the record its force has not
published. docs/atrs.md maps each of our fields to the standard's.

Only what a page of the register shows goes in: a value supported by a published quote
(`register.sourcing.shows_value`); anything else, and every field the register does not
hold, reads "Not disclosed", since what a force has not said is itself a finding.
"""

from collections.abc import Iterable

from django.db import models

from .models import (
    SAFEGUARD_KINDS,
    AssessmentResult,
    Deployment,
    DeploymentStatus,
)
from .sourcing import has_value, shows_value

ATRS_VERSION = "3.0"
NOT_DISCLOSED = "Not disclosed"

# The ATRS "phase" of each status (its tier 1 values: pre-deployment, beta/pilot,
# production, retired); a force denying use has no phase of the standard's.
ATRS_PHASES = {
    DeploymentStatus.PLANNED: "Pre-deployment",
    DeploymentStatus.IN_DEVELOPMENT: "Pre-deployment",
    DeploymentStatus.PILOT: "Beta/Pilot",
    DeploymentStatus.IN_USE: "Production",
    DeploymentStatus.DISCONTINUED: "Retired",
}


def _fields_of(evidence: Iterable) -> set[str]:
    """The facts a record's published quotes support (prefetched published: `atrs_record`)."""
    return {item.field for item in evidence}


def disclosed(record: models.Model | None, name: str, evidence_fields: set[str]) -> str:
    """A fact as its page shows it (a code as its label, a partial date as its text),
    or "Not disclosed" without a value or a published quote supporting it."""
    if record is None or not has_value(record, name) or not shows_value(record, name, evidence_fields):
        return NOT_DISCLOSED
    field = record._meta.get_field(name)
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    value = getattr(record, name)
    return value.isoformat() if hasattr(value, "precision") else str(value)


def impact_assessments(deployment: Deployment) -> list[dict]:
    """One entry for each kind of safeguard: its state (never merged into "no"), and, where
    conducted, its date and the force's words as the published assessments give them."""
    entries = []
    for safeguard in deployment.safeguard_states():
        conducted = [
            assessment for assessment in safeguard.assessments if assessment.result == AssessmentResult.CONDUCTED
        ]
        first = conducted[0] if conducted else None
        fields = _fields_of(first.evidence.all()) if first else set()
        entries.append(
            {
                "assessment_title": str(safeguard.kind.label),
                "assessment_status": str(safeguard.state.label),
                "assessment_date": disclosed(first, "conducted", fields),
                "assessment_description": disclosed(first, "summary", fields),
                "assessment_link": NOT_DISCLOSED,
            }
        )
    return entries


def atrs_record(deployment: Deployment, *, page_url: str, api_url: str) -> dict:
    """The ATRS v3 record of a published deployment. Expects its force, tool and the tool's
    supplier selected, and its published evidence, assessments (with theirs) and the tool's
    evidence prefetched (`register.views.deployment_details`), and its safeguards' states."""
    tool, force = deployment.tool, deployment.force
    own = _fields_of(deployment.evidence.all())
    of_tool = _fields_of(tool.evidence.all())
    supplier = tool.published_supplier if "supplier" in of_tool else None
    status = deployment.status if shows_value(deployment, "status", own) else DeploymentStatus.UNKNOWN
    return {
        "metadata": {
            "standard_version": ATRS_VERSION,
            "record_url": page_url,
            "api_url": api_url,
            "updated": deployment.updated_at.date().isoformat(),
            "note": "Compiled by the Police algorithmic tools register from FOI answers and published documents, "
            "not published by the force.",
        },
        "tier_1": {
            "name": tool.name,
            "description": disclosed(tool, "description", of_tool),
            "website": page_url,
            "contact_email": NOT_DISCLOSED,
            "organisation": force.name,
            "function": f"Policing: {tool.get_category_display()}",
            "phase": ATRS_PHASES.get(status, NOT_DISCLOSED),
            "phase_as_recorded": disclosed(deployment, "status", own),
            "geographic_region": force.get_nation_display(),
        },
        "tier_2": {
            "owner_and_responsibility": {
                "organisation": force.name,
                "team": NOT_DISCLOSED,
                "senior_responsible_owner": NOT_DISCLOSED,
                "external_supplier": supplier.name if supplier else NOT_DISCLOSED,
                "external_supplier_role": disclosed(tool, "origin", of_tool),
                "companies_house_number": NOT_DISCLOSED,
                "procurement_procedure_type": NOT_DISCLOSED,
                "data_access_terms": NOT_DISCLOSED,
                "cost": disclosed(deployment, "cost", own),
            },
            "description_and_rationale": {
                "detailed_description": disclosed(tool, "description", of_tool),
                "scope": disclosed(deployment, "purpose", own),
                "benefit": NOT_DISCLOSED,
                "alternatives_considered": NOT_DISCLOSED,
            },
            "decision_making_process": {
                "process_integration": disclosed(deployment, "decisions_supported", own),
                "provided_information": disclosed(tool, "outputs", of_tool),
                "frequency_and_scale_of_usage": disclosed(deployment, "scale", own),
                "human_decisions_and_review": disclosed(deployment, "human_oversight", own),
                "required_training": disclosed(deployment, "training", own),
                "appeals_and_review": NOT_DISCLOSED,
                "users": disclosed(deployment, "users", own),
            },
            "tool_specification": {
                "system_architecture": NOT_DISCLOSED,
                "phase_date_started": disclosed(deployment, "started", own),
                "phase_date_ended": disclosed(deployment, "ended", own),
                "maintenance": NOT_DISCLOSED,
                "model_type": disclosed(tool, "technique", of_tool),
                "model_task": disclosed(tool, "outputs", of_tool),
            },
            "data": {
                "source_data_name": NOT_DISCLOSED,
                "data_description": disclosed(deployment, "data_used", own),
                "model_inputs": disclosed(tool, "inputs", of_tool),
                "data_quantity": NOT_DISCLOSED,
                "sensitive_attributes": NOT_DISCLOSED,
                "data_completeness_and_representativeness": NOT_DISCLOSED,
                "data_collection": NOT_DISCLOSED,
                "data_sharing_agreements": NOT_DISCLOSED,
                "data_access_and_storage": NOT_DISCLOSED,
            },
            "risks_mitigations_and_impact_assessments": {
                "impact_assessments": impact_assessments(deployment),
                "risks": NOT_DISCLOSED,
            },
        },
    }


def atrs_row(record: dict) -> dict[str, str]:
    """The record as one CSV row: each field under its dotted path
    ("tier_2.data.data_description"); each impact assessment under its kind
    ("tier_2.risks_mitigations_and_impact_assessments.dpia.assessment_status")."""
    row = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else key, item)
        elif isinstance(value, list):  # the impact assessments, in the order of SAFEGUARD_KINDS
            section = prefix.rsplit(".", 1)[0]
            for kind, item in zip(SAFEGUARD_KINDS, value, strict=True):
                walk(f"{section}.{kind}", item)
        else:
            row[prefix] = value

    walk("", record)
    return row


IMPACT_ASSESSMENT_FIELDS = (
    "assessment_title",
    "assessment_status",
    "assessment_date",
    "assessment_description",
    "assessment_link",
)
# The CSV's columns: `atrs_row`'s paths in the record's order (tests/test_data_files.py
# checks that a record gives exactly these).
ATRS_COLUMNS = (
    *(f"metadata.{name}" for name in ("standard_version", "record_url", "api_url", "updated", "note")),
    *(
        f"tier_1.{name}"
        for name in (
            "name",
            "description",
            "website",
            "contact_email",
            "organisation",
            "function",
            "phase",
            "phase_as_recorded",
            "geographic_region",
        )
    ),
    *(
        f"tier_2.owner_and_responsibility.{name}"
        for name in (
            "organisation",
            "team",
            "senior_responsible_owner",
            "external_supplier",
            "external_supplier_role",
            "companies_house_number",
            "procurement_procedure_type",
            "data_access_terms",
            "cost",
        )
    ),
    *(
        f"tier_2.description_and_rationale.{name}"
        for name in ("detailed_description", "scope", "benefit", "alternatives_considered")
    ),
    *(
        f"tier_2.decision_making_process.{name}"
        for name in (
            "process_integration",
            "provided_information",
            "frequency_and_scale_of_usage",
            "human_decisions_and_review",
            "required_training",
            "appeals_and_review",
            "users",
        )
    ),
    *(
        f"tier_2.tool_specification.{name}"
        for name in (
            "system_architecture",
            "phase_date_started",
            "phase_date_ended",
            "maintenance",
            "model_type",
            "model_task",
        )
    ),
    *(
        f"tier_2.data.{name}"
        for name in (
            "source_data_name",
            "data_description",
            "model_inputs",
            "data_quantity",
            "sensitive_attributes",
            "data_completeness_and_representativeness",
            "data_collection",
            "data_sharing_agreements",
            "data_access_and_storage",
        )
    ),
    *(
        f"tier_2.risks_mitigations_and_impact_assessments.{kind}.{name}"
        for kind in SAFEGUARD_KINDS
        for name in IMPACT_ASSESSMENT_FIELDS
    ),
    "tier_2.risks_mitigations_and_impact_assessments.risks",
)
