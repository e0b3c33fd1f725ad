"""The prefecture tile map: 47 equal squares in the usual Japan tile-grid layout, drawn as server-side SVG.

Equal squares keep small prefectures (香川, 東京) as readable as large ones, and an inline SVG of links works
without JavaScript. The palette is a single-hue sequential one (ColorBrewer Blues), which colour-vision
differences do not confuse, and every square also prints its value, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# (column, row) of each prefecture; north-east at the top right, Okinawa at the bottom left.
LAYOUT: dict[str, tuple[int, int]] = {
    "01": (12, 0),
    "02": (12, 1),
    "05": (11, 2),
    "03": (12, 2),
    "17": (8, 3),
    "16": (9, 3),
    "15": (10, 3),
    "06": (11, 3),
    "04": (12, 3),
    "18": (7, 4),
    "21": (8, 4),
    "20": (9, 4),
    "10": (10, 4),
    "09": (11, 4),
    "07": (12, 4),
    "32": (3, 5),
    "31": (4, 5),
    "28": (5, 5),
    "26": (6, 5),
    "25": (7, 5),
    "23": (8, 5),
    "19": (9, 5),
    "11": (10, 5),
    "08": (11, 5),
    "35": (2, 6),
    "34": (3, 6),
    "33": (4, 6),
    "27": (5, 6),
    "29": (6, 6),
    "24": (7, 6),
    "22": (8, 6),
    "14": (9, 6),
    "13": (10, 6),
    "12": (11, 6),
    "41": (0, 7),
    "40": (1, 7),
    "38": (3, 7),
    "37": (4, 7),
    "30": (6, 7),
    "42": (0, 8),
    "43": (1, 8),
    "44": (2, 8),
    "39": (3, 8),
    "36": (4, 8),
    "46": (1, 9),
    "45": (2, 9),
    "47": (0, 9),
}
COLUMNS = 1 + max(c for c, _ in LAYOUT.values())
ROWS = 1 + max(r for _, r in LAYOUT.values())
CELL = 60
GAP = 4
PITCH = CELL + GAP
WIDTH = COLUMNS * PITCH
HEIGHT = ROWS * PITCH

# Light to dark; text colour chosen per step so labels keep at least 4.5:1 contrast (tested).
PALETTE: tuple[tuple[str, str], ...] = (
    ("#eff3ff", "#000000"),
    ("#bdd7e7", "#000000"),
    ("#6baed6", "#000000"),
    ("#3182bd", "#000000"),
    ("#08519c", "#ffffff"),
)
NO_DATA = ("#ffffff", "#000000")


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    label: str  # short name drawn in the square (「宮城」)
    value: float | None
    x: int
    y: int
    fill: str
    text: str

    @property
    def value_text(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}"

    @property
    def text_x(self) -> int:
        return self.x + CELL // 2


@dataclass(frozen=True)
class LegendStep:
    fill: str
    low: float
    high: float
    count: int


def short_name(name: str) -> str:
    """「宮城県」→「宮城」; 北海道 keeps its name (道 is part of it in everyday speech)."""
    if name == "北海道":
        return name
    return name[:-1] if name.endswith(("都", "府", "県")) else name


def breaks(values: Sequence[float], steps: int = len(PALETTE)) -> list[float]:
    """Equal-width class limits over this month's range, so clustered rates still differ in colour."""
    if not values:
        return [0.0, 1.0]
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return [low, high]
    width = (high - low) / steps
    return [low + i * width for i in range(steps)] + [high]


def class_of(value: float, limits: Sequence[float]) -> int:
    steps = len(limits) - 1
    for i in range(steps - 1):
        if value < limits[i + 1]:
            return i
    return steps - 1


def build(values: dict[str, tuple[str, float | None]]) -> tuple[list[Tile], list[LegendStep]]:
    """Tiles and legend from {pref_code: (name, rate)}; missing rates draw as white squares."""
    known = [v for _, v in values.values() if v is not None]
    limits = breaks(known)
    steps = len(limits) - 1
    palette = PALETTE if steps == len(PALETTE) else PALETTE[-1:]
    counts = [0] * len(palette)
    tiles = []
    for code, (col, row) in sorted(LAYOUT.items()):
        name, value = values.get(code, ("", None))
        if value is None:
            fill, text = NO_DATA
        else:
            k = class_of(value, limits) if len(palette) > 1 else 0
            counts[k] += 1
            fill, text = palette[k]
        tiles.append(Tile(code, name, short_name(name), value, col * PITCH, row * PITCH, fill, text))
    legend = [
        LegendStep(fill, limits[i] if i < len(limits) else limits[-1], limits[min(i + 1, len(limits) - 1)], counts[i])
        for i, (fill, _) in enumerate(palette)
    ]
    return tiles, legend


def page_context(values: dict[str, tuple[str, float | None]]) -> dict[str, object]:
    """What web/includes/tilemap.html reads from a page's context: the tiles and legend (see build) and the
    map's size."""
    tiles, legend = build(values)
    return {"tiles": tiles, "legend": legend, "map": {"width": WIDTH, "height": HEIGHT, "cell": CELL}}
