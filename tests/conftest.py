from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "gold").is_dir():
        pytest.skip(f"../shared (gold sets, scorer) is not beside this checkout: {SHARED} not found")
    return SHARED
