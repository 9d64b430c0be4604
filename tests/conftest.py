import csv
import shutil
from pathlib import Path

import pytest

from kommunkarta import paths, query
from kommunkarta.loader import load_dataset

DATA_DIR = paths.PROJECT_ROOT / "data"
SHARED_DIR = paths.PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def dataset():
    return load_dataset(DATA_DIR)


@pytest.fixture(scope="session")
def table(dataset):
    return query.membership_table(dataset)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def edit_rows(path: Path, edit) -> None:
    """Rewrite a CSV file with ``edit(rows)`` applied to its rows (a list of dicts)."""
    fields, rows = read_csv(path)
    write_csv(path, fields, edit(rows) or rows)
