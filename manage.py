#!/usr/bin/env python
from __future__ import annotations

import os
import sys
from pathlib import Path

# `make run` keeps the secret key it generated in .local-secret-key: commands run by hand in
# that checkout (the README's `.venv/bin/python manage.py load_content`) get the same local
# settings as `make run`. A deployment has no such file, or says FOOTING_LOCAL=0, and must
# set SECRET_KEY itself.
LOCAL_SECRET_KEY = Path(__file__).resolve().parent / ".local-secret-key"

if __name__ == "__main__":
    if LOCAL_SECRET_KEY.exists():
        os.environ.setdefault("FOOTING_LOCAL", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "footing.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
