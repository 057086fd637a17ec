"""The Streamlit entry script: ``streamlit run app.py [-- --api-url URL]``."""

from __future__ import annotations

import sys

import streamlit as st

from lanterna_dashboard import routes
from lanterna_dashboard.formatting import escape_markdown
from lanterna_dashboard.launch import settings_from_args
from lanterna_dashboard.views import _common, sessions, trace, traces
from lanterna_dashboard.views.project_picker import render_project_picker


def main() -> None:
    """Configure the page, register the pages and draw the one the URL asks for."""
    st.set_page_config(page_title="Lanterna", page_icon=":material/flare:", layout="wide")
    _common.use_settings(settings_from_args(sys.argv[1:]))

    pages = {
        routes.TRACES: st.Page(
            traces.render,
            title="Traces",
            icon=":material/list:",
            url_path=routes.TRACES,
            default=True,
        ),
        routes.TRACE: st.Page(
            trace.render, title="Trace", icon=":material/account_tree:", url_path=routes.TRACE
        ),
        routes.SESSIONS: st.Page(
            sessions.render, title="Sessions", icon=":material/forum:", url_path=routes.SESSIONS
        ),
    }
    for url_path, page in pages.items():
        routes.register(url_path, page)

    render_project_picker()
    st.sidebar.caption(f"Collector: {escape_markdown(_common.settings().api_url)}")
    st.navigation(list(pages.values())).run()


main()
