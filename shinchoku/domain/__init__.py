"""Pure-Python domain core: codes, names, statuses, dates and progress formulas (no Django here).

Import from the submodules (``shinchoku.domain.codes``, ``.calendar``, ``.names``, ``.progress``,
``.rollup``, ``.status`` …); this package re-exports nothing.
"""
