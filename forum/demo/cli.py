"""`flask --app wsgi forum …` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

forum_cli = AppGroup("forum", help="GFMD Forum commands.")


@forum_cli.command("demo")
@click.option("--scale", type=click.Choice(["demo", "large", "small"]), default="demo", show_default=True)
@click.option("--seed", type=int, default=2010, show_default=True, help="Random seed for the generated data.")
def demo_command(scale: str, seed: int) -> None:
    """Load the GFMD demo data (idempotent), or generate a large data set for the benchmark."""
    from forum.demo import loader

    if scale == "demo":
        summary = loader.load_demo()
    else:
        from forum.demo import scale as scale_data

        summary = scale_data.generate(scale, seed=seed)
    for line in summary:
        click.echo(line)


@forum_cli.command("welcome")
def welcome_command() -> None:
    """Print where the site is served and the demo sign-ins (used by `make run`)."""
    from flask import current_app

    from forum.demo.loader import DEMO_ACCOUNTS

    click.echo(f"\nThe GFMD Forum is starting at {current_app.config['BASE_URL']}")
    click.echo(f"Demo sign-ins (password: {current_app.config['DEMO_PASSWORD']}):")
    for email, name, title, country, _role in DEMO_ACCOUNTS:
        who = f"{title.split(' (')[0]}" + (f", {country}" if country else "")
        click.echo(f"  {email:<32} {name} — {who}")
    click.echo("Stop with Ctrl+C.\n")
