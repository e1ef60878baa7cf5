"""Run the whole test suite: quality gates, then pytest on SQLite and on a throw-away PostgreSQL 15.

Used by `make test` (and so by CI). Exits non-zero if any step fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))

from pg_cluster import throwaway_cluster  # noqa: E402


def run(step: str, args: list[str], env: dict[str, str] | None = None) -> None:
    print(f"\n=== {step}: {' '.join(args)}", flush=True)
    result = subprocess.run(args, cwd=ROOT, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        print(f"=== GAGAL: {step} (kode keluar {result.returncode})", flush=True)
        sys.exit(result.returncode)


def main() -> None:
    # Hypothesis draws the same examples on every run of `make test` (and in CI); set
    # HYPOTHESIS_PROFILE=dev to explore at random locally (tests/conftest.py).
    os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")
    extra = sys.argv[1:]
    run("ruff", [str(BIN / "ruff"), "check", "src", "tests", "benchmarks", "scripts"])
    run("import-linter", [str(BIN / "lint-imports")])
    # One run over src/selaras; which packages are strict is set in pyproject.toml [tool.mypy].
    run("mypy", [str(BIN / "mypy")])
    # --durations: the CI log names the slowest tests, so that the 20-minute budget can be watched.
    pytest = [str(BIN / "python"), "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "--durations=30", *extra]
    run("pytest (SQLite)", pytest, {"SELARAS_DATABASE_URL": ""})
    # The second pass is only for what can differ by database backend. The pabutools parity tests
    # touch no database, nor do the unit tests (tests/unit/conftest.py refuses any unit test that
    # asks for the database): once (on SQLite) is enough for both.
    only_db = [] if any(arg.startswith("tests/unit") for arg in extra) else ["--ignore=tests/unit"]
    with throwaway_cluster() as url:
        run("pytest (PostgreSQL 15)", [*pytest, "-m", "not pabutools", *only_db], {"SELARAS_DATABASE_URL": url})


if __name__ == "__main__":
    main()
