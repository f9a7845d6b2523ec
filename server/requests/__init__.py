"""Service requests on the server: workflow, SLA timers, record handlers, catalog, Open311."""
