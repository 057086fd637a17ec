"""The demo's knowledge base: docstrings of standard-library modules, cut into passages."""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# Modules whose docstrings say something useful and import quickly on every platform.
STDLIB_MODULES: tuple[str, ...] = (
    "abc", "argparse", "array", "ast", "asyncio", "base64", "bisect", "bz2", "calendar",
    "cmath", "cmd", "codecs", "collections", "colorsys", "compileall", "concurrent.futures",
    "configparser", "contextlib", "contextvars", "copy", "copyreg", "csv", "dataclasses",
    "datetime", "decimal", "difflib", "dis", "doctest", "email", "enum", "filecmp",
    "fileinput", "fnmatch", "fractions", "ftplib", "functools", "gc", "getopt", "getpass",
    "gettext", "glob", "graphlib", "gzip", "hashlib", "heapq", "hmac", "html", "html.parser",
    "http", "http.client", "http.server", "imaplib", "importlib", "inspect", "io",
    "ipaddress", "itertools", "json", "keyword", "linecache", "locale", "logging", "lzma",
    "mailbox", "marshal", "math", "mimetypes", "numbers", "operator", "os", "pathlib",
    "pickle", "pkgutil", "platform", "plistlib", "pprint", "profile", "pstats", "queue",
    "quopri", "random", "re", "reprlib", "sched", "secrets", "selectors", "shelve", "shlex",
    "shutil", "signal", "smtplib", "socket", "socketserver", "sqlite3", "statistics",
    "string", "struct", "subprocess", "symtable", "sys", "sysconfig", "tabnanny", "tarfile",
    "tempfile", "textwrap", "threading", "timeit", "token", "tokenize", "tomllib", "trace",
    "traceback", "types", "typing", "unicodedata", "unittest", "urllib.parse",
    "urllib.request", "uuid", "warnings", "wave", "weakref", "webbrowser", "xml.dom",
    "zipfile", "zipimport", "zlib",
)  # fmt: skip

_PASSAGE_TARGET_CHARS = 600
_MIN_PARAGRAPH_CHARS = 20
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Passage:
    """One searchable piece of a module's docstring."""

    module: str
    index: int
    text: str


def module_docstring(name: str) -> str | None:
    """Return the docstring of an importable module, or ``None`` when it has none."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        logger.debug("module %s is not importable here; left out of the corpus", name)
        return None
    return module.__doc__ or None


def split_into_passages(module: str, text: str) -> list[Passage]:
    """Cut a docstring at paragraph breaks into passages of about 600 characters."""
    passages: list[Passage] = []
    current: list[str] = []
    current_chars = 0
    for raw_paragraph in _PARAGRAPH_BREAK.split(text):
        paragraph = _WHITESPACE.sub(" ", raw_paragraph).strip()
        if len(paragraph) < _MIN_PARAGRAPH_CHARS:
            continue
        current.append(paragraph)
        current_chars += len(paragraph)
        if current_chars >= _PASSAGE_TARGET_CHARS:
            passages.append(Passage(module, len(passages), " ".join(current)))
            current, current_chars = [], 0
    if current:
        passages.append(Passage(module, len(passages), " ".join(current)))
    return passages


def load_corpus(modules: tuple[str, ...] = STDLIB_MODULES) -> list[Passage]:
    """Read the docstrings of ``modules`` and return all their passages."""
    passages: list[Passage] = []
    for name in modules:
        docstring = module_docstring(name)
        if docstring:
            passages.extend(split_into_passages(name, docstring))
    return passages
