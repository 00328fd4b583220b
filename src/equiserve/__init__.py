"""equiserve: run, measure and publish a city's plan for equal public services."""

__version__ = "0.1.0"
