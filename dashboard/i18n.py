"""The UI string catalog: one TOML file per language in dashboard/locales; pages only name keys."""

import tomllib
from functools import cache
from pathlib import Path

import streamlit as st

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = {"zh-CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh-CN"


@cache
def catalog(language: str) -> dict[str, str]:
    """Flattened `section.key` → text."""
    with (LOCALES / f"{language}.toml").open("rb") as handle:
        data = tomllib.load(handle)
    flat = {}
    for section, entries in data.items():
        for key, text in entries.items():
            flat[f"{section}.{key}"] = text
    return flat


def current_language() -> str:
    return st.session_state.get("language", DEFAULT_LANGUAGE)


def t(key: str, **values) -> str:
    """The text of `key` in the current language (falls back to Chinese, then to the key itself)."""
    text = catalog(current_language()).get(key) or catalog(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text
