"""What a question asks about, suggested from its words, for the researcher to confirm.

The import review ticks these kinds of tool and of safeguard beside each question; the
researcher corrects them. A suggestion is only ever a starting point: a word found is
a kind suggested, a word missed is a kind left unticked, never a guess beyond the words.
"""

import re

from register.models import SAFEGUARD_KINDS, AssessmentKind, ToolCategory

# The words FOI requests use for each kind of tool (README, "What the register is").
TOOL_WORDS = {
    ToolCategory.MAPPING: r"hot ?spots?|maps?|mapping|geographic|predictive policing",
    ToolCategory.INDIVIDUAL_RISK: r"risk scor\w*|risk assessment tools?|individuals?|offenders?|profil\w*|reoffend\w*",
    ToolCategory.DASHBOARD: r"dashboards?|business intelligence|power ?bi|qlik|tableau",
    ToolCategory.PEOPLE_LIST: r"lists? of (?:people|persons|individuals)|watch ?lists?|gangs? matrix|nominals?",
    ToolCategory.BIOMETRICS: r"facial recognition|face|biometrics?|fingerprints?|dna|voice recognition",
}

# The words for each kind of safeguard. "Impact assessment" alone is a DPIA, the one UK GDPR
# requires (Article 35); an equality or privacy impact assessment is its own kind.
SAFEGUARD_WORDS = {
    AssessmentKind.DPIA: r"dpias?|data protection impact|(?<!equality )(?<!privacy )impact assessments?",
    AssessmentKind.EQUALITY: r"equality|eqias?|eias?",
    AssessmentKind.PRIVACY: r"privacy impact|pias?",
    AssessmentKind.LEGAL_OPINION: r"legal (?:advice|opinion|basis)",
    AssessmentKind.ETHICS_REVIEW: r"ethics?|ethical",
    AssessmentKind.BIAS_TESTING: r"bias\w*|fairness|discriminat\w*",
}


def _kinds_named(text: str, words: dict[str, str]) -> list[str]:
    lowered = " ".join(text.lower().split())
    return [kind for kind, pattern in words.items() if re.search(rf"\b(?:{pattern})\b", lowered)]


def suggested_tool_kinds(question: str) -> list[str]:
    """The kinds of tool (`ToolCategory` values) the question's words name, in the order of the choices."""
    return _kinds_named(question, TOOL_WORDS)


def suggested_safeguard_kinds(question: str) -> list[str]:
    """The kinds of safeguard (`AssessmentKind` values, never "other") the question's words name."""
    return [kind for kind in _kinds_named(question, SAFEGUARD_WORDS) if kind in SAFEGUARD_KINDS]
