"""What phones keep offline: a saved routine's files and the app's version (manifest.py),
and whether saved copies are current (sync.py)."""
