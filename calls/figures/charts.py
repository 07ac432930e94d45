"""Charts drawn on the server as SVG shapes (no script, no CDN): plain geometry the templates
turn into <rect> and <text>. Every chart has its table under it, which is the accessible
version; the SVG has a title and a description."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 48, 24, 8


@dataclass(frozen=True)
class Shape:
    x: float
    y: float
    width: float
    height: float
    css: str  # a class of app.css (the colour)
    label: str  # the <title> of the shape: what a pointer hovering it reads


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    text: str
    anchor: str = "middle"  # SVG text-anchor: start, middle, end


@dataclass
class Chart:
    kind: str  # "bars", "grid" or "hbars": which template draws it
    title: str
    description: str
    shapes: list[Shape] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css, label)
    width: int = WIDTH
    height: int = HEIGHT


def _nice_max(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000):
        if value <= step * 4:
            return float(step * 4)
    return float(value)


def stacked_bars(
    title: str,
    description: str,
    columns: list[tuple[str, list[int]]],
    series: list[tuple[str, str]],
    *,
    every: int = 1,
) -> Chart:
    """One bar per column (label, values per series), stacked; ``series`` are (css, label)."""
    chart = Chart("bars", title, description, legend=series)
    top = _nice_max(max((sum(values) for _, values in columns), default=0) or 1)
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(columns), 1)
    for index, (label, values) in enumerate(columns):
        x, base = LEFT + index * step, float(HEIGHT - BOTTOM)
        for (css, name), value in zip(series, values, strict=True):
            height = plot_h * value / top
            if height > 0:
                base -= height
                chart.shapes.append(
                    Shape(
                        x + step * 0.1, base, step * 0.8, height, css, f"{label}: {value:g} {name}"
                    )
                )
        if index % every == 0:
            chart.ticks.append(Tick(x + step / 2, HEIGHT - 6, label))
    for fraction in (0, 0.5, 1):
        chart.ticks.append(
            Tick(LEFT - 6, HEIGHT - BOTTOM - plot_h * fraction + 4, f"{top * fraction:g}", "end")
        )
    return chart


def grid(
    title: str, description: str, rows: list[str], columns: list[str], values: list[list[int]]
) -> Chart:
    """A heat map (e.g. weekdays × hours): the darker, the more."""
    chart = Chart("grid", title, description, height=7 * 22 + 24)
    most = max((v for row in values for v in row), default=0) or 1
    cell_w = (WIDTH - LEFT) / max(len(columns), 1)
    for r, (name, row) in enumerate(zip(rows, values, strict=True)):
        chart.ticks.append(Tick(LEFT - 6, r * 22 + 15, name, "end"))
        for c, value in enumerate(row):
            level = 0 if not value else 1 + min(4, int(4 * value / most))
            label = f"{name} {columns[c]}: {value}"
            chart.shapes.append(
                Shape(LEFT + c * cell_w, r * 22, cell_w - 1, 20, f"heat-{level}", label)
            )
    for c, name in enumerate(columns):
        if c % 3 == 0:
            chart.ticks.append(Tick(LEFT + c * cell_w + cell_w / 2, 7 * 22 + 16, name))
    return chart


def horizontal_bars(
    title: str, description: str, bars: list[tuple[str, float, str]], *, unit: str = ""
) -> Chart:
    """One bar per (label, value, css), longest first as given; the value is written after it."""
    chart = Chart("hbars", title, description, height=max(len(bars), 1) * 26 + 8)
    most = max((value for _, value, _ in bars), default=0) or 1
    label_w = 200
    for index, (label, value, css) in enumerate(bars):
        y = index * 26 + 4
        width = (WIDTH - label_w - 90) * value / most
        chart.ticks.append(Tick(label_w - 8, y + 15, label[:28], "end"))
        chart.shapes.append(
            Shape(label_w, y, max(width, 0.5), 20, css, f"{label}: {value:g}{unit}")
        )
        chart.ticks.append(Tick(label_w + width + 6, y + 15, f"{value:g}{unit}", "start"))
    return chart
