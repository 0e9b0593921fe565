"""Exemption codes: how the API and filters name an exemption, e.g. "FOIA-12(1)".

A code is the act and the section as cited, joined by a hyphen. It reads like
the citation and stays the same in every copy of the register, unlike an id.
"""

from register.models import FoiAct


def exemption_code(act: str, section: str) -> str:
    return f"{act}-{section}"


def split_exemption_code(code: str) -> tuple[str, str]:
    """("FOIA", "12(1)") from "FOIA-12(1)"; the act is case-insensitive.

    ValueError with the reason when the code is not an act and a section.
    """
    act, separator, section = code.strip().partition("-")
    act = act.upper()
    if not separator or not section:
        raise ValueError(f"“{code}” is not an exemption code such as FOIA-12(1)")
    if act not in FoiAct.values:
        raise ValueError(f"“{act}” is not an act: use {' or '.join(FoiAct.values)}")
    return act, section
