"""Insight Hub: the analytical warehouse of a council's Insight & Intelligence Hub."""

__version__ = "0.1.0"
