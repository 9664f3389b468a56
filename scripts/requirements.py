"""Print the pinned requirements from pyproject.toml, one per line, for pip.

Usage: requirements.py [GROUP ...]. With no group, the runtime dependencies only.
Keeps pyproject.toml the single list of pins without building the project as a package.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
lines = list(project["project"]["dependencies"])
for group in sys.argv[1:]:
    lines += project["dependency-groups"][group]
print("\n".join(lines))
