"""Bad input is a Python exception naming the problem: never a crash, never a lost document."""
import ctypes
import ctypes.util
import os
import struct

import pytest

import simcore

TEXT = "a reasonably long text with more than five words in it"


@pytest.mark.parametrize("item,error,message", [
    (None, TypeError, r"texts\[1\] is NoneType, expected str or bytes"),
    (42, TypeError, r"texts\[1\] is int"),
    (["a", "b"], TypeError, r"texts\[1\] is list"),
    ("", ValueError, r"texts\[1\] is empty"),
    (b"", ValueError, r"texts\[1\] is empty"),
    ("lone \ud800 surrogate", ValueError, r"texts\[1\] cannot be encoded as UTF-8"),
    (b"bad \xc3\x28 bytes", ValueError, r"texts\[1\] is not valid UTF-8 \(byte 4\)"),
])
def test_bad_items(item, error, message):
    with pytest.raises(error, match=message):
        simcore.signatures([TEXT, item, TEXT])
    with simcore.Deduplicator() as dedup:
        with pytest.raises(error, match=message):
            dedup.add_many([TEXT, item, TEXT + " more"])
        # Everything before the bad item was added, nothing from it on.
        assert len(dedup) == 1
        with pytest.raises(error, match=message.replace(r"texts\[1\]", "text")):
            dedup.add(item)
        assert len(dedup) == 1


def test_bad_item_in_a_later_batch_keeps_the_earlier_ones():
    texts = [f"{TEXT} {i}" for i in range(25)] + [b"\xff"] + [TEXT] * 5
    with simcore.Deduplicator() as dedup:
        with pytest.raises(ValueError, match=r"texts\[25\] is not valid UTF-8"):
            dedup.add_many(texts, batch_size=10)
        assert len(dedup) == 25


def test_invalid_utf8_can_be_replaced():
    with simcore.Deduplicator(invalid_utf8="replace") as dedup:
        assert dedup.add(b"caf\xe9 and more words here ok").duplicate_of is None
    assert simcore.signatures([b"\xff\xfe text"], invalid_utf8="replace").shape == (1, 128)


@pytest.mark.parametrize("texts,message", [
    ("a single string", "not a single str"),
    (b"bytes", "not a single bytes"),
    (None, "not None"),
    (42, "not int"),
])
def test_texts_must_be_an_iterable_of_texts(texts, message):
    with pytest.raises(TypeError, match=message):
        simcore.signatures(texts)
    with simcore.Deduplicator() as dedup, pytest.raises(TypeError, match=message):
        dedup.add_many(texts)


def test_bad_ids():
    with simcore.Deduplicator() as dedup:
        with pytest.raises(TypeError, match=r"ids\[1\] is int"):
            dedup.add_many([TEXT, TEXT], ids=["a", 7])
        assert len(dedup) == 1
        with pytest.raises(ValueError, match=r"ids\[0\] is empty"):
            dedup.add_many([TEXT], ids=[""])
        with pytest.raises(ValueError, match="texts has more items than ids"):
            dedup.add_many([TEXT, TEXT + " x"], ids=["b"])
        assert dedup.keys() == ["a", "b"]
        with pytest.raises(ValueError, match="ids has more items than texts"):
            dedup.add_many([TEXT], ids=["c", "d"])
        with pytest.raises(TypeError, match="id is int"):
            dedup.add(TEXT, id=3)


@pytest.mark.parametrize("options,error,message", [
    ({"threshold": 1.5}, ValueError, "threshold must be in"),
    ({"threshold": "high"}, TypeError, "threshold must be a float"),
    ({"k": 0}, ValueError, "k must be in 1...4096"),
    ({"k": "128"}, TypeError, "k must be an int"),
    ({"scheme": "simhash"}, ValueError, "scheme must be one of"),
    ({"scheme": "minhash-b1"}, ValueError, "cannot be banded"),
    ({"measure": "containment"}, ValueError, "measure must be one of"),
    ({"shingle": "words:0"}, ValueError, "shingle width"),
    ({"shingle": "lines:3"}, ValueError, "shingle unit"),
    ({"bands": 4}, ValueError, "bands and rows together"),
    ({"bands": 20, "rows": 10, "measure": "jaccard"}, ValueError, "bands × options.rows"),
    ({"bands": 4, "rows": 4}, ValueError, "JACCARD only"),
    ({"threads": 0}, ValueError, "threads must be in"),
    ({"verification": "maybe"}, ValueError, "verification must be one of"),
    ({"invalid_utf8": "ignore"}, ValueError, "invalid_utf8 must be one of"),
])
def test_bad_options(options, error, message):
    with pytest.raises(error, match=message):
        simcore.Deduplicator(**options)


def test_use_after_close():
    dedup = simcore.Deduplicator()
    dedup.add(TEXT)
    dedup.close()
    dedup.close()
    assert dedup.closed and "closed" in repr(dedup)
    for call in [lambda: dedup.add(TEXT), lambda: dedup.add_many([TEXT]), dedup.kept, dedup.clusters,
                 dedup.assignments, lambda: len(dedup), lambda: dedup.save("x")]:
        with pytest.raises(ValueError, match="this Deduplicator is closed"):
            call()


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "state.simcore"
    with simcore.Deduplicator() as dedup:
        dedup.add_many([f"{TEXT} number {i}" for i in range(20)])
        dedup.save(path)
    return path


def test_missing_and_unwritable_files(tmp_path):
    with pytest.raises(OSError, match="none.simcore"):
        simcore.Deduplicator.load(tmp_path / "none.simcore")
    with simcore.Deduplicator() as dedup, pytest.raises(OSError):
        dedup.save(tmp_path / "no-such-directory" / "state.simcore")


def test_corrupt_files(saved, tmp_path):
    data = saved.read_bytes()
    cases = {
        "truncated": data[: len(data) // 2],
        "bit-flipped": data[:40] + bytes([data[40] ^ 1]) + data[41:],
        "not an index": b"just some text, not a SimCore file at all" * 3,
        "empty": b"",
    }
    for name, content in cases.items():
        path = tmp_path / f"{name}.simcore"
        path.write_bytes(content)
        with pytest.raises(simcore.IndexFileError) as caught:
            simcore.Deduplicator.load(path)
        assert isinstance(caught.value, ValueError), name


def xxh3_64(data):
    """XXH3-64 (seed 0) from the system's libxxhash, the library SimCore's checksum comes from."""
    library = ctypes.CDLL(ctypes.util.find_library("xxhash") or "libxxhash.so.0")
    library.XXH3_64bits.restype = ctypes.c_uint64
    library.XXH3_64bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    return library.XXH3_64bits(bytes(data), len(data))


def test_other_version_and_other_options(saved, tmp_path):
    data = bytearray(saved.read_bytes())
    # Header: 8-byte magic, UInt32 version, UInt32 reserved, UInt64 payload length (little-endian);
    # the file ends with XXH3-64 of everything before it. A later version, correctly checksummed:
    (version,) = struct.unpack_from("<I", data, 8)
    struct.pack_into("<I", data, 8, version + 1)
    struct.pack_into("<Q", data, len(data) - 8, xxh3_64(data[:-8]))
    path = tmp_path / "future.simcore"
    path.write_bytes(bytes(data))
    with pytest.raises(simcore.IndexFileError, match=f"version {version + 1} was written by a newer SimCore"):
        simcore.Deduplicator.load(path)
    with pytest.raises(simcore.IndexFileError, match="other parameters.*threshold=0.7"):
        simcore.Deduplicator.load(saved, threshold=0.7)
    with simcore.Deduplicator.load(os.fspath(saved)) as loaded:
        assert len(loaded) == 20
