"""The department's service: receives the desks' day summaries and consolidates them.

A separate program sharing only ``desk_app.domain.statistics`` and ``desk_app.sync.protocol``
with the desk: it never imports the desk's store, services or user interface.
"""
