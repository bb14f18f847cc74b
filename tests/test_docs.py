"""The README documents every CLI command and every upload kind (sqlite-utils style docs tests)."""

from pathlib import Path

import pytest

from culture_dash.cli import build_parser
from culture_dash.ingest.kinds import KINDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRACT = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
COMMANDS = list(build_parser()._subparsers._group_actions[0].choices)


def test_readme_opens_with_the_two_commands():
    code = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [line.split("#")[0].strip() for line in code] == ["bash scripts/run.sh", "bash scripts/test.sh"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_cli_command_is_in_the_readme(command):
    assert f"culture-dash {command}" in README


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_upload_kind_is_in_the_readme_and_the_contract(kind):
    assert f"`{kind}`" in README
    assert f"### {kind} —" in CONTRACT


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_contract_header_is_implemented(kind):
    section = CONTRACT.split(f"### {kind} —", 1)[1].split("\n### ", 1)[0]
    documented = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")][1:]
    implemented = [c.header for c in KINDS[kind].columns]
    assert documented == implemented
