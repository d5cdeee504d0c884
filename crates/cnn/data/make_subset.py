"""Writes the embedded Fashion-MNIST subset: the first N_TRAIN training and N_TEST
test images of the official files, in the same gzipped idx format.

Usage: python3 make_subset.py /usr/share/datasets/fashion-mnist
"""
import gzip
import struct
import sys
from pathlib import Path

N_TRAIN, N_TEST = 6000, 1000


def subset(src: Path, dst: Path, n: int) -> None:
    data = gzip.open(src).read()
    magic, count = struct.unpack(">II", data[:8])
    dims = (magic & 0xFF) - 1  # 3 for images (count, rows, cols), 1 for labels
    header = 4 + 4 * (dims + 1)
    item = 1
    for i in range(dims):
        item *= struct.unpack(">I", data[8 + 4 * i : 12 + 4 * i])[0]
    assert count >= n
    out = data[:4] + struct.pack(">I", n) + data[8:header] + data[header : header + n * item]
    # mtime=0 keeps the files byte-identical when regenerated.
    with open(dst, "wb") as f:
        f.write(gzip.compress(out, compresslevel=9, mtime=0))


root = Path(sys.argv[1])
here = Path(__file__).parent / "fashion-mnist"
for split, n in (("train", N_TRAIN), ("t10k", N_TEST)):
    for kind in ("images-idx3", "labels-idx1"):
        name = f"{split}-{kind}-ubyte.gz"
        subset(root / name, here / name, n)
        print(here / name)
