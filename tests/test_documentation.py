"""Every command of `kiemtra` has help text and appears in README.md."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "kiemtra") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
            # the default command of `kiemtra findings` is documented as `kiemtra findings ID`
            continue
        found.append((path, command))
    return found


def test_there_are_commands_to_check() -> None:
    assert len(_commands(cli)) > 30


def test_every_command_has_help() -> None:
    missing = [path for path, command in _commands(cli) if not (command.help or "").strip()]
    assert missing == []


def test_every_command_appears_in_the_readme() -> None:
    def documented(path: str) -> bool:
        if path in README:
            return True
        # `kiemtra findings list ID` is documented as `kiemtra findings INSPECTION_ID`
        return path.endswith(" list") and path.removesuffix(" list") + " INSPECTION_ID" in README

    missing = [path for path, _ in _commands(cli) if not documented(path)]
    assert missing == []


def test_readme_gives_exactly_two_set_up_commands() -> None:
    setup = README.split("## Set up", 1)[1].split("##", 1)[0]
    block = setup.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
