"""Next/Previous paging over token-paged API lists, kept in the session state."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st


@dataclass
class PageStack:
    """The tokens of the pages visited so far; the last one is the page shown.

    The first page has no token. ``scope`` is what the pages belong to (a filter,
    a session): when it changes, paging starts again from the first page.
    """

    scope: str = ""
    tokens: list[str | None] = field(default_factory=lambda: [None])

    @property
    def current_token(self) -> str | None:
        return self.tokens[-1]

    @property
    def page_number(self) -> int:
        return len(self.tokens)

    def next(self, token: str) -> None:
        self.tokens.append(token)

    def previous(self) -> None:
        if len(self.tokens) > 1:
            self.tokens.pop()


def page_stack(key: str, scope: str) -> PageStack:
    """The page stack stored under ``key``, started afresh if its scope changed."""
    stack = st.session_state.get(key)
    if not isinstance(stack, PageStack) or stack.scope != scope:
        stack = PageStack(scope=scope)
        st.session_state[key] = stack
    return stack


def paging_buttons(stack: PageStack, next_token: str | None, key: str) -> None:
    """Draw Previous / page number / Next; the buttons move the stack before the rerun."""
    left, middle, right = st.columns([1, 2, 1], vertical_alignment="center")
    left.button(
        "Previous",
        key=f"{key}_previous",
        disabled=stack.page_number == 1,
        on_click=stack.previous,
        icon=":material/chevron_left:",
    )
    middle.caption(f"Page {stack.page_number}")
    right.button(
        "Next",
        key=f"{key}_next",
        disabled=not next_token,
        on_click=stack.next,
        args=(next_token,),
        icon=":material/chevron_right:",
    )
