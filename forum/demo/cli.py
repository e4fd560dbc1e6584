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
