from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from library.content_files import content_read
from library.illustrations.lookup import build_dir
from library.illustrations.renditions import contact_sheet as sheet
from library.illustrations.renditions import illustrations_build


class Command(BaseCommand):
    help = (
        "Draw every exercise's illustrations from content/poses/ into "
        "build/static/illustrations/ (only what changed), and optionally a contact sheet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=None)
        parser.add_argument("--force", action="store_true", help="Redraw everything.")
        parser.add_argument(
            "--contact-sheet", type=Path, default=None, help="Also write a review PNG here."
        )

    def handle(
        self, *args: Any, out: Path | None, force: bool, contact_sheet: Path | None, **options: Any
    ) -> None:
        poses = Path(settings.CONTENT_DIR) / "poses"
        started = time.monotonic()
        drawn = illustrations_build(poses_dir=poses, out_dir=out or build_dir(), force=force)
        self.stdout.write(
            f"Drew {len(drawn)} exercise(s) in {time.monotonic() - started:.1f} s"
            + (f": {', '.join(drawn)}" if drawn else " (all up to date)")
        )
        if contact_sheet is not None:
            bundle = content_read(root=Path(settings.CONTENT_DIR))
            names = {e.slug: e.name for e in bundle.exercises}
            contact_sheet.parent.mkdir(parents=True, exist_ok=True)
            sheet(poses_dir=poses, names=names).save(contact_sheet, optimize=True)
            self.stdout.write(f"Wrote the contact sheet to {contact_sheet}")
