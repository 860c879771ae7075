#!/usr/bin/env python3
"""Independent reader of the safetensors format, to cross-check files written by perceptron's SafeTensors.

The `safetensors` Python package is not in Debian, so this follows the Hugging Face spec directly with the
standard library and NumPy (and converts to PyTorch tensors when torch is importable):

    python3 tools/safetensors_check.py FILE            # validate, print every tensor and the metadata
    python3 tools/safetensors_check.py FILE --fixture  # also compare with the fixture SafeTensorsTest writes
                                                       # to core/target/interop/fixture.safetensors

Checks: 8-byte little-endian header length; UTF-8 JSON header starting with '{', padded with spaces so the data
starts 8-byte aligned; duplicate keys; dtype/shape/data_offsets consistent; offsets tile the data buffer exactly;
header order equals the reference writer's (dtype alignment descending, then name).
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
          "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?"}
# The reference's Dtype enum order (safetensors/src/tensor.rs); the writer sorts by it, descending.
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64",
         "I64", "U64"]


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate keys in the header")
    return dict(pairs)


def read(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header runs past the end of the file"
    assert (8 + n) % 8 == 0, "data does not start 8-byte aligned"
    text = data[8:8 + n].decode("utf-8")
    assert text.startswith("{"), "header must start with '{'"
    assert text.rstrip(" ").endswith("}"), "only spaces may pad the header"
    header = json.loads(text, object_pairs_hook=no_duplicates)
    metadata = header.pop("__metadata__", {})
    names = list(header)
    expected_order = sorted(names, key=lambda k: (-ORDER.index(header[k]["dtype"]), k.encode("utf-8")))
    assert names == expected_order, f"header order {names} differs from the reference's {expected_order}"
    buffer = data[8 + n:]
    end = 0
    tensors = {}
    for name in sorted(names, key=lambda k: tuple(header[k]["data_offsets"])):
        info = header[name]
        begin, stop = info["data_offsets"]
        assert begin == end, f"{name}: hole or overlap at {begin}, previous tensor ends at {end}"
        dtype = np.dtype(DTYPES[info["dtype"]])
        count = int(np.prod(info["shape"], dtype=np.int64))
        assert stop - begin == count * dtype.itemsize, f"{name}: shape and offsets disagree"
        tensors[name] = np.frombuffer(buffer[begin:stop], dtype=dtype).reshape(info["shape"])
        end = stop
    assert end == len(buffer), f"{len(buffer) - end} bytes after the last tensor"
    return tensors, metadata, names


def main():
    path = sys.argv[1]
    tensors, metadata, names = read(path)
    try:
        import torch
        as_torch = {k: torch.from_numpy(v.copy()) for k, v in tensors.items()}
    except ImportError:
        as_torch = None
    print(f"{path}: {len(tensors)} tensors in header order {names}; metadata {metadata}")
    for name in names:
        t = as_torch[name] if as_torch is not None else tensors[name]
        print(f"  {name}: {t.dtype} {list(t.shape)} {t.flatten()[:6].tolist()}")
    if "--fixture" in sys.argv:
        expected = {
            "fc1.weight": np.arange(12, dtype=np.float32).reshape(3, 4) / np.float32(8),
            "fc1.bias": np.array([-1, 0.5, 2], dtype=np.float32),
            "scale": np.array(np.pi, dtype=np.float64),
            "empty": np.zeros((0, 3), dtype=np.float32),
        }
        assert metadata == {"format": "pt", "epoch": "3"}, metadata
        assert set(tensors) == set(expected), sorted(tensors)
        for k, v in expected.items():
            assert tensors[k].dtype == v.dtype and tensors[k].shape == v.shape, k
            assert np.array_equal(tensors[k], v), k
        if as_torch is not None:
            w = as_torch["fc1.weight"]
            assert w.dtype == torch.float32 and torch.equal(w @ torch.ones(4), torch.tensor([0.75, 2.75, 4.75]))
        print("fixture matches" + (" (checked as PyTorch tensors too)" if as_torch is not None else ""))


if __name__ == "__main__":
    main()
