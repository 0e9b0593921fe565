"""Where each force with an area sits on the hexagon map of the forces.

One hexagon per territorial force, laid out as UK data journalism draws police
force areas: roughly geographic, Police Scotland at the top, the Police Service
of Northern Ireland to the west across the sea, the 43 forces of England and
Wales from north to south with the Welsh forces on the west. Forces without an
area (British Transport Police and the other special forces) have no hexagon:
the map lists them beside it.

Rows run north to south; odd rows sit half a hexagon to the right (an "odd-r"
offset grid of pointy-topped hexagons).
"""

from typing import NamedTuple


class Hex(NamedTuple):
    column: int
    row: int
    label: str  # the short name drawn inside the hexagon


HEXES: dict[str, Hex] = {
    "police-scotland": Hex(3, 0, "Scot"),
    "northern-ireland": Hex(0, 1, "PSNI"),
    "cumbria": Hex(2, 1, "Cumb"),
    "northumbria": Hex(3, 1, "Nbria"),
    "lancashire": Hex(2, 2, "Lancs"),
    "durham": Hex(3, 2, "Dur"),
    "cleveland": Hex(4, 2, "Clev"),
    "merseyside": Hex(1, 3, "Mers"),
    "greater-manchester": Hex(2, 3, "GMP"),
    "north-yorkshire": Hex(3, 3, "NYks"),
    "north-wales": Hex(1, 4, "NWal"),
    "cheshire": Hex(2, 4, "Ches"),
    "west-yorkshire": Hex(3, 4, "WYks"),
    "humberside": Hex(4, 4, "Humb"),
    "dyfed-powys": Hex(0, 5, "DyfP"),
    "staffordshire": Hex(1, 5, "Staffs"),
    "derbyshire": Hex(2, 5, "Derby"),
    "south-yorkshire": Hex(3, 5, "SYks"),
    "lincolnshire": Hex(4, 5, "Lincs"),
    "south-wales": Hex(0, 6, "SWal"),
    "west-mercia": Hex(1, 6, "WMerc"),
    "west-midlands": Hex(2, 6, "WMids"),
    "nottinghamshire": Hex(3, 6, "Notts"),
    "leicestershire": Hex(4, 6, "Leics"),
    "norfolk": Hex(5, 6, "Norf"),
    "gwent": Hex(0, 7, "Gwent"),
    "gloucestershire": Hex(1, 7, "Glos"),
    "warwickshire": Hex(2, 7, "Warks"),
    "northamptonshire": Hex(3, 7, "Nhants"),
    "cambridgeshire": Hex(4, 7, "Cambs"),
    "suffolk": Hex(5, 7, "Suff"),
    "avon-and-somerset": Hex(1, 8, "A&S"),
    "wiltshire": Hex(2, 8, "Wilts"),
    "thames-valley": Hex(3, 8, "TVP"),
    "bedfordshire": Hex(4, 8, "Beds"),
    "essex": Hex(5, 8, "Essex"),
    "devon-and-cornwall": Hex(0, 9, "D&C"),
    "dorset": Hex(1, 9, "Dorset"),
    "hampshire": Hex(2, 9, "Hants"),
    "hertfordshire": Hex(3, 9, "Herts"),
    "city-of-london": Hex(4, 9, "City"),
    "surrey": Hex(3, 10, "Surrey"),
    "metropolitan": Hex(4, 10, "Met"),
    "kent": Hex(5, 10, "Kent"),
    "sussex": Hex(3, 11, "Sussex"),
}
