"""Which build of Footing is serving: a fingerprint of its code, templates and static files.

Content answers are kept and revalidated by the content version, but the same content
renders differently after a deploy that changed a template, an API schema or a static
file. Putting this fingerprint into their ETags and keys means a phone holding a page
from the previous build gets the new one, not a 304. It is computed from the files
themselves, so every worker process (and every app server) of one deploy agrees on it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

# Folders of the checkout that are not part of what a request runs.
NOT_SERVED = {"tests", "e2e", "bench", "scripts", "migrations"}


@cache
def build_id() -> str:
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    for name in _sources(base):
        digest.update(name.encode())
        digest.update((base / name).read_bytes())
    return digest.hexdigest()[:12]


def _sources(base: Path) -> list[str]:
    """The project's Python packages and templates, relative to the checkout, sorted."""
    roots = [folder for folder in base.iterdir() if (folder / "__init__.py").is_file()]
    templates: list[dict[str, Any]] = settings.TEMPLATES
    roots += [Path(folder) for template in templates for folder in template.get("DIRS", [])]
    names = {
        path.relative_to(base)
        for root in roots
        for path in root.rglob("*")
        if path.suffix in {".py", ".html"}
    }
    return sorted(name.as_posix() for name in names if not NOT_SERVED & set(name.parts))
