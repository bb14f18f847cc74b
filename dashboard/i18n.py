"""The UI string catalog: dashboard/locales/<language>/*.toml (one file per area); pages only name keys."""

import tomllib
from functools import cache
from pathlib import Path

import streamlit as st

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = {"zh-CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh-CN"


@cache
def catalog(language: str) -> dict[str, str]:
    """Flattened `section.key` → text, from every file of the language (a key defined twice is an error)."""
    flat: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for section, entries in data.items():
            for key, text in entries.items():
                name = f"{section}.{key}"
                if name in flat:
                    raise ValueError(f"{path.name}: {name} is defined twice in the {language} catalog")
                flat[name] = text
    return flat


def current_language() -> str:
    return st.session_state.get("language", DEFAULT_LANGUAGE)


def t(key: str, **values) -> str:
    """The text of `key` in the current language (falls back to Chinese, then to the key itself)."""
    text = catalog(current_language()).get(key) or catalog(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text
