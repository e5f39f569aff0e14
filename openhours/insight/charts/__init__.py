"""Charts drawn on the server as SVG: no JavaScript, no CDN, nothing to download.

Every chart has a ``<title>`` and a ``<desc>`` (its text alternative, naming the largest
figures), is scaled by its ``viewBox`` to the width of the screen, and stays readable in
greyscale: values are written on the bars and cells, the two series of a line chart differ
by dash and marker shape, and paired bars by a hatch pattern. Colours are from the
Okabe-Ito palette, which colour-blind readers can tell apart. A table with the same rows
sits beside every chart (templates), so nothing is only in the picture.
"""

from .bars import bar_chart, ei_chart
from .lines import line_chart
from .matrix import heatmap, sankey
from .svg import escape
from .tables import table

__all__ = ["bar_chart", "ei_chart", "escape", "heatmap", "line_chart", "sankey", "table"]
