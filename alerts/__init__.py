"""Warnings during the year (年中预警, `assess warn`): the units heading for a veto or a deduction before the
year ends, from the data as of a date. `alerts.projection` projects what accumulates to the year end,
`alerts.watch` measures each veto and rule against the projection and the ledgers' deadlines, `alerts.grades`
the grade lines the projected total crosses, `alerts.run`
loads, checks the as-of date and puts the list together. (Not `warnings`: that is Python's own module.)"""
