"""The map of the forces: a hexagon cartogram drawn on the server as inline SVG
(no map library, no tiles, no outside request), each force's hexagon showing its
state in the transparency matrix for one kind of tool. The same states are told
by a symbol and a word as well as a colour, and given again as a table.
"""

import math
from dataclasses import dataclass, field

from foi_requests.transparency import Disclosure
from register.models import Force, ForceKind, ToolCategory

from .force_hexes import HEXES

# The kind of tool the map shows unless another is chosen: the one public debate
# about police algorithms is mostly about (risk scores of individuals).
DEFAULT_CATEGORY = ToolCategory.INDIVIDUAL_RISK

# The symbols of templates/sitewide/disclosure_key.html, so that the map and the
# matrix tell a state the same way without colour.
SYMBOLS = {
    Disclosure.USES: "●",
    Disclosure.DENIES: "○",
    Disclosure.REFUSED: "■",
    Disclosure.NOT_HELD: "∅",
    Disclosure.ASKED: "?",
    Disclosure.NEVER_ASKED: "–",
}

RADIUS = 30  # centre to corner, in SVG units
GAP = 2  # white space between neighbouring hexagons
PADDING = 4


@dataclass
class MapForce:
    """One force on the map (or beside it) and its state."""

    force: Force
    state: Disclosure
    label: str = ""  # the short name in its hexagon
    x: float = 0
    y: float = 0
    points: str = ""

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state]

    @property
    def symbol_y(self) -> float:
        return round(self.y - 4, 1)

    @property
    def label_y(self) -> float:
        return round(self.y + 14, 1)

    @property
    def accessible_name(self) -> str:
        return f"{self.force.name}: {self.state.label}"


@dataclass
class KeyEntry:
    state: Disclosure
    symbol: str
    label: str
    count: int


@dataclass
class ForceMap:
    category: str
    hexes: list[MapForce]
    beside: list[MapForce]  # forces without an area, or without a place on the map yet
    width: float
    height: float
    key: list[KeyEntry] = field(default_factory=list)

    @property
    def category_label(self) -> str:
        return ToolCategory(self.category).label

    @property
    def kind_of_tool(self) -> str:
        """The kind of tool in a sentence: "who is known to use <kind_of_tool>"."""
        if self.category == ToolCategory.OTHER:
            return "other kinds of tool"
        return self.category_label[0].lower() + self.category_label[1:]

    @property
    def categories(self) -> list[tuple[str, str]]:
        return ToolCategory.choices

    @property
    def key_hex(self) -> str:
        """A hexagon of the map's shape for the key's swatches (24 units square)."""
        return hex_points(12, 12, 11)

    @property
    def table_rows(self) -> list[MapForce]:
        """Every force, on the map or beside it, by name: the map as a table."""
        return sorted(self.hexes + self.beside, key=lambda place: place.force.name)


def hex_centre(column: int, row: int) -> tuple[float, float]:
    """The centre of a pointy-topped hexagon on an "odd-r" grid: odd rows sit half a hexagon right."""
    width = math.sqrt(3) * RADIUS
    x = PADDING + width / 2 + (column + 0.5 * (row % 2)) * width
    y = PADDING + RADIUS + row * 1.5 * RADIUS
    return x, y


def hex_points(x: float, y: float, radius: float) -> str:
    """The corners of a pointy-topped hexagon around (x, y), as SVG polygon points."""
    corners = (math.radians(90 + 60 * n) for n in range(6))
    return " ".join(f"{x + radius * math.cos(a):.1f},{y + radius * math.sin(a):.1f}" for a in corners)


def force_map(states: list[tuple[Force, Disclosure]], category: str) -> ForceMap:
    """The map of `states` (each force with its state for `category`). Territorial forces
    are drawn at their place in HEXES; the others, and a territorial force the layout
    does not place yet, are listed beside the map rather than left out."""
    hexes, beside = [], []
    for force, state in states:
        place = HEXES.get(force.slug) if force.kind == ForceKind.TERRITORIAL else None
        if place is None:
            beside.append(MapForce(force, state))
            continue
        x, y = hex_centre(place.column, place.row)
        hexes.append(MapForce(force, state, place.label, x, y, hex_points(x, y, RADIUS - GAP / 2)))
    beside.sort(key=lambda entry: entry.force.name)
    # The drawing's size comes from the whole layout, so that a filtered map keeps its shape.
    centres = [hex_centre(place.column, place.row) for place in HEXES.values()]
    width = max(x for x, _ in centres) + math.sqrt(3) * RADIUS / 2 + PADDING
    height = max(y for _, y in centres) + RADIUS + PADDING
    counts = dict.fromkeys(Disclosure, 0)
    for _, state in states:
        counts[state] += 1
    key = [KeyEntry(state, SYMBOLS[state], state.label, counts[state]) for state in Disclosure]
    return ForceMap(category, hexes, beside, round(width, 1), round(height, 1), key)


def map_of_rows(rows, category: str) -> ForceMap:
    """The map drawn from rows of the transparency matrix (foi_requests.transparency.Row)."""
    states = [(row.force, cell.state) for row in rows for cell in row.cells if cell.category == category]
    return force_map(states, category)
