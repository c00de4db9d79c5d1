"""Marker texts that one stage writes into an input and another recognises.

``genreport new`` and ``rollup`` write them, validation and the checks look for them:
one definition, so the writer and the reader never drift apart.
"""

from __future__ import annotations

__all__ = ["CONDENSE_MARK", "TO_CONFIRM", "TO_FILL", "UNFILLED"]

#: The value ``genreport new`` writes where this year's figure is still to be typed in.
TO_FILL = "待填"
#: How every problem about a 待填 field starts, so the summary can count them.
UNFILLED = "尚未填写"
#: Heads the county texts ``genreport rollup`` collects into a city input. Until the author
#: condenses them, their figures are each county's own, not the city's: only years are
#: checked in such a text.
CONDENSE_MARK = "【待压缩：以下为各县区原文，请改写为全市表述后删除本行】"
#: Marks a value ``genreport import`` inferred from last year's report and is not sure of:
#: ``check`` lists every line that still carries it, and the user deletes it once confirmed.
TO_CONFIRM = "【待核对】"
