#!/usr/bin/env python3
"""Django's command-line utility; `tillit` (installed into the venv) is the same command."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from tillit.cli import main

if __name__ == "__main__":
    main()
