"""Lanterna's dashboard: a Streamlit app that reads the collector's REST API."""

from lanterna_dashboard.launch import command

__all__ = ["command"]
