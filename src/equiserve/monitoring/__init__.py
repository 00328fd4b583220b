"""Indicators, targets, equality measures and the half-yearly report (issue 6).

Indicators are data (`plans/<plan>/indicators/*.yaml`, read by `definitions`);
their values are computed live from the registries by `values.compute`, judged
against the plan's targets by `targets.judge`, and measured across towns and
groups by `measures` (through `equiserve.equality`). Reports (clause 4.2) are
written, submitted, returned and approved through `services`.
"""
