"""Stored layers under a full disk and saves at once (issue 19, Low): a save that cannot be
written leaves nothing behind and says why; eight saves with one title, from threads and
from processes, are all kept with metadata that agrees with the file; a layer whose file
and metadata disagree is not listed."""

from __future__ import annotations

import errno
import json
import multiprocessing
import threading

import pandas as pd
import pyarrow.parquet as pq
import pytest

from kommunkarta.service import stored_layers
from kommunkarta.service.importers import ImportedLayer


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def layer(n: int) -> ImportedLayer:
    points = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "name": [f"Butik {i}" for i in range(n)],
            "kind": "grocery",
            "lat": [59.3 + i / 1000 for i in range(n)],
            "lon": 18.0,
            "population": 0,
            "kommun_kod": "0180",
        }
    )
    return ImportedLayer(points, "butiker.csv", "CSV")


def files(home) -> list[str]:
    folder = home / "layers"
    return sorted(p.name for p in folder.iterdir() if p.name != ".lock") if folder.exists() else []


def agree(home) -> None:
    """Every listed layer's JSON says as many points as its file holds (read independently)."""
    for info in stored_layers.list_layers():
        assert pq.read_metadata(home / "layers" / f"{info.id}.parquet").num_rows == info.points
        assert json.loads((home / "layers" / f"{info.id}.json").read_text())["points"] == info.points


def test_a_full_disk_during_a_save_leaves_nothing_and_says_so(home, monkeypatch):
    def full_disk(self, path, **kwargs):
        with open(path, "wb") as handle:
            handle.write(b"\0" * 2_000_000)  # 2 MB written, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_disk)
    with pytest.raises(stored_layers.SaveFailed) as caught:
        stored_layers.save(layer(3), "Butiker", "facilities")
    problem = caught.value.problems[0]
    assert problem.code == "layer_save_failed" and "disken är full" in problem.message
    assert problem.file == "Butiker"
    assert files(home) == [] and stored_layers.list_layers() == []
    monkeypatch.undo()
    info = stored_layers.save(layer(3), "Butiker", "facilities")  # with room again, it saves
    assert (info.id, info.points) == ("butiker", 3)


def test_a_full_disk_while_writing_the_metadata_leaves_nothing(home, monkeypatch):
    real_write_text = type(home).write_text

    def full_disk(self, *args, **kwargs):
        if self.name.endswith(".json.tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_text(self, *args, **kwargs)

    monkeypatch.setattr(type(home), "write_text", full_disk)
    with pytest.raises(stored_layers.SaveFailed):
        stored_layers.save(layer(3), "Butiker", "facilities")
    assert files(home) == []


def test_eight_saves_with_one_title_from_threads_are_all_kept(home):
    barrier = threading.Barrier(8)
    saved, errors = [], []

    def save(n):
        barrier.wait()
        try:
            saved.append(stored_layers.save(layer(n), "Butiker", "facilities"))
        except Exception as err:
            errors.append(err)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    listed = stored_layers.list_layers()
    assert sorted(i.points for i in listed) == list(range(1, 9))
    assert len({i.id for i in listed}) == 8
    agree(home)


def _save_in_process(home: str, n: int, start) -> None:
    import os

    os.environ["KOMMUNKARTA_HOME"] = home
    start.wait()
    stored_layers.save(layer(n), "Butiker", "facilities")


def test_eight_saves_with_one_title_from_processes_are_all_kept(home):
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    processes = [context.Process(target=_save_in_process, args=(str(home), n, start)) for n in range(1, 9)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(120)
    assert [p.exitcode for p in processes] == [0] * 8
    listed = stored_layers.list_layers()
    assert sorted(i.points for i in listed) == list(range(1, 9))
    agree(home)


def test_a_layer_whose_file_and_metadata_disagree_is_not_listed(home):
    good = stored_layers.save(layer(2), "Butiker", "facilities")
    bad = stored_layers.save(layer(2), "Orter", "facilities")
    layer(1).points.to_parquet(home / "layers" / f"{bad.id}.parquet", index=False)  # one point, not two
    (home / "layers" / "stray.json").write_text(json.dumps({"id": "x"}))
    assert [i.id for i in stored_layers.list_layers()] == [good.id]
