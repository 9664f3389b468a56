from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from pwa.icons import icons_build


class Command(BaseCommand):
    help = "Draw the app icons, favicon and install screenshots into build/static/icons/."

    def add_arguments(self, parser: CommandParser) -> None:
        default = Path(settings.BASE_DIR) / "build" / "static" / "icons"
        parser.add_argument("--out", type=Path, default=default)

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        written = icons_build(out_dir=out)
        self.stdout.write(f"Wrote {len(written)} files to {out}")
