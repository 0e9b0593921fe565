"""An exemption as a force cites it ("s31(1)(a)", "Section 31(3) FOIA", "FOISA 35(1)(a)"),
written one way, the act and the section: "FOIA s31(1)(a)"."""

import re
from collections.abc import Iterable

SECTION = re.compile(r"^(?:s\.?|sec\.?|section)?\s*(\d+[A-Z]?(?:\s*\(\s*[0-9a-z]+\s*\))*)$", re.IGNORECASE)


def normalise_citation(text: str, acts: Iterable[str], default_act: str) -> str:
    """ "FOIA s31(1)(a)" from what the force wrote; the force's own act where none is named.

    ValueError with the reason when the text is not an act's section."""
    words = text.strip().split()
    named = [word for word in words if word.upper() in acts]
    act = named[0].upper() if named else default_act
    rest = " ".join(word for word in words if word.upper() not in acts)
    match = SECTION.match(rest.strip())
    if len(named) > 1 or not match:
        raise ValueError(f"“{text.strip()}” is not a section of an act, such as “{default_act} s31(1)(a)”.")
    section = re.sub(r"\s+", "", match.group(1))
    return f"{act} s{section}"
