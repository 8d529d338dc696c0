"""The child process of an export job: ``python -m workshops.export_worker FOLDER ARGS...``.

Runs ``diagnostic ARGS...`` (the ``export`` command) and records the outcome in
``FOLDER/result.json`` — ``{"status": "done"}`` or ``{"status": "failed", "error": ...}``
— so the server that started it, or any other sharing the instance folder, can tell.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path


def run(folder: Path, args: list[str]) -> int:
    """Run the CLI with ``args`` and write the result file; returns the exit code."""
    from .cli import main

    try:
        main.main(args=args, prog_name="diagnostic", standalone_mode=False)
        outcome = {"status": "done"}
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
        outcome = {"status": "done"} if code == 0 else {
            "status": "failed", "error": f"exit code {code}"}
    except Exception as error:  # noqa: BLE001 - any failure is reported, never lost
        traceback.print_exc()
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        outcome = {"status": "failed", "error": message[:500]}
        code = 1
    temporary = folder / "result.tmp"
    temporary.write_text(json.dumps(outcome), encoding="utf-8")
    os.replace(temporary, folder / "result.json")
    return code


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]), sys.argv[2:]))
