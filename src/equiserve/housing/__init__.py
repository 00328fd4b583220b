"""Public rental housing (clause 3.8): applications, a waiting list, verifiable rounds.

The Django side of `equiserve.allocation`: applications are checked by the policy
engine, ranked by a published configuration (`ranking.py`), frozen into rounds
whose hashes are published before the draw, drawn by the core, and published
with masked names so anyone can recompute a round from its round.json.
"""
