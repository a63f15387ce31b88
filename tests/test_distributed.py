"""dask.distributed: map_files, bench and folder compression on a LocalCluster."""
from __future__ import annotations

import sys

import pytest

from n1codec.tools import synthetic
from n1codec.errors import N1CodecError
from n1codec.errors import SchedulerUnavailableError
from n1codec.tools.parallel import map_files


def test_missing_distributed_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(SchedulerUnavailableError, match=r"dask support not installed.*n1codec\[dask\]"):
        map_files(abs, [1], scheduler="tcp://127.0.0.1:8786")


try:
    import distributed
except ImportError:  # every test below needs it; the one above runs without it
    distributed = None

needs_distributed = pytest.mark.skipif(
    distributed is None, reason='dask.distributed is not installed (pip install "n1codec[dask]")')


def _fail_on_three(x):
    if x == 3:
        raise ValueError("three")
    return x


@pytest.fixture(scope="module")
def cluster():
    # processes=False: workers are threads of this process, quick to start in CI.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster, set_as_default=False) as c:
        yield c


@needs_distributed
def test_map_files_on_a_client(client):
    assert sorted(map_files(abs, [-1, -2, 3, -4, 5], scheduler=client)) == [1, 2, 3, 4, 5]
    assert client.status == "running"  # a Client passed in is left open


@needs_distributed
def test_map_files_on_a_cluster_object_and_an_address(cluster):
    assert sorted(map_files(abs, [-7, 8], scheduler=cluster)) == [7, 8]
    assert sorted(map_files(abs, [-9, 10], scheduler=cluster.scheduler_address)) == [9, 10]
    assert cluster.status.name.lower() == "running"


@needs_distributed
def test_empty_items_only_connect(client):
    assert list(map_files(abs, [], scheduler=client)) == []


@needs_distributed
def test_task_errors_propagate(client):
    with pytest.raises(ValueError, match="three"):
        list(map_files(_fail_on_three, [1, 2, 3, 4], scheduler=client))


@needs_distributed
def test_closing_early_cancels_the_rest(client):
    stream = map_files(abs, list(range(-50, 0)), scheduler=client)
    first = next(stream)
    stream.close()
    assert first in range(1, 51)
    assert list(stream) == []


@needs_distributed
def test_unreachable_scheduler_is_a_clear_error():
    import time
    from n1codec.tools.distributed import connect
    start = time.perf_counter()
    with pytest.raises(SchedulerUnavailableError, match="cannot reach the dask scheduler.*refused"):
        connect("tcp://127.0.0.1:9")  # nothing listens there: refused at once, no 10 s wait
    assert time.perf_counter() - start < 5
    with pytest.raises(SchedulerUnavailableError, match="cannot reach the dask scheduler"):
        connect("inproc://nowhere/1/1", timeout=1)  # not a scheduler of this process


@needs_distributed
@pytest.mark.parametrize("bad", ["local:0", "local:x", 42])
def test_bad_scheduler_values(bad):
    with pytest.raises(N1CodecError):
        list(map_files(abs, [1], scheduler=bad))


@pytest.fixture
def wav_folder(tmp_path):
    src = tmp_path / "wavs"
    src.mkdir()
    originals = {}
    for i in range(4):
        data = synthetic.wav_bytes(synthetic.n1_like(seconds=0.1, seed=30 + i, channels=1 + i % 2))
        (src / f"rec{i}.wav").write_bytes(data)
        originals[f"rec{i}.wav"] = data
    (src / "notes.txt").write_text("not a recording")
    return src, originals


@needs_distributed
def test_compress_and_decompress_a_folder_on_the_cluster(tmp_path, client, wav_folder):
    from n1codec.tools.batch import compress_folder, decompress_folder
    src, originals = wav_folder
    outcomes = compress_folder(src, tmp_path / "n1", codec="delta+huffman", scheduler=client, verify=True)
    assert sorted(o.dst.rsplit("/", 1)[-1] for o in outcomes) == ["rec0.n1", "rec1.n1", "rec2.n1", "rec3.n1"]
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    back = decompress_folder(tmp_path / "n1", tmp_path / "back", scheduler=client)
    assert all(o.ok for o in back)
    for name, data in originals.items():
        assert (tmp_path / "back" / name).read_bytes() == data

    # Existing outputs are kept and reported, file by file; the others still go on.
    (tmp_path / "n1" / "rec1.n1").unlink()
    again = compress_folder(src, tmp_path / "n1", codec="delta+huffman", scheduler=client)
    failed = sorted(o.src.rsplit("/", 1)[-1] for o in again if not o.ok)
    assert failed == ["rec0.wav", "rec2.wav", "rec3.wav"] and all("exists" in o.error for o in again if not o.ok)


@needs_distributed
def test_batch_command_line(tmp_path, cluster, wav_folder, capsys):
    from n1codec.tools.batch import main
    src, originals = wav_folder
    assert main(["compress", str(src), str(tmp_path / "n1"), "--scheduler", cluster.scheduler_address,
                 "--codec", "n1", "-q"]) == 0
    assert "4 file(s) compressed, 0 failed" in capsys.readouterr().out
    assert main(["decompress", str(tmp_path / "n1"), str(tmp_path / "back"), "-q"]) == 0
    for name, data in originals.items():
        assert (tmp_path / "back" / name).read_bytes() == data
    assert main(["compress", str(src), str(tmp_path / "n1"), "-q"]) == 1  # outputs exist
    assert "exists" in capsys.readouterr().err


@needs_distributed
def test_bench_on_the_cluster(client):
    from n1codec.tools.bench import resolve_codecs, run_bench
    from n1codec.tools.datasets import discover
    data = discover(None, limit=2)
    codecs, _ = resolve_codecs("delta+huffman,n1")
    run = run_bench(data, codecs, scheduler=client, progress=False)
    assert not run.interrupted and not run.failures
    assert all(r.complete for r in run.results)
