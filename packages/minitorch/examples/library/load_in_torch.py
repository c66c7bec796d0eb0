"""Loads bars.safetensors (written by train.mjs with saveSafetensors) into the
same network in PyTorch and classifies two clean bar images.

    python3 load_in_torch.py bars.safetensors

With the safetensors package: `from safetensors.torch import load_file`.
Without it (Debian has none), `load_file` below reads the format from its
spec: an 8-byte little-endian header length, a JSON header, raw data.
"""
import json
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn


def load_file(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    dtypes = {"F32": torch.float32, "F64": torch.float64}
    out = {}
    for name, info in json.loads(raw[8 : 8 + n]).items():
        if name != "__metadata__":
            begin, end = info["data_offsets"]
            data = bytearray(raw[8 + n + begin : 8 + n + end])
            out[name] = torch.frombuffer(data, dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.drop = nn.Dropout(0.25)
        self.fc = nn.Linear(4 * 4 * 4, 2)

    def forward(self, x):
        # minitorch's conv2d keeps the size, reading zeros past the bottom and right edges.
        h = F.max_pool2d(F.relu(self.conv(F.pad(x, (0, 2, 0, 2)))), 2)
        return self.fc(self.drop(h.flatten(1)))


model = Net()
model.load_state_dict(load_file(sys.argv[1]), strict=True)
model.eval()
images = torch.zeros(2, 1, 8, 8)
images[0, 0, 3, :] = 1  # a horizontal bar: class 0
images[1, 0, :, 5] = 1  # a vertical bar: class 1
with torch.no_grad():
    print("predicted classes:", model(images).argmax(1).tolist())
