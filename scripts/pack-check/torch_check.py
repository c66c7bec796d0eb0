"""Loads a model.safetensors written by minitorch into PyTorch and checks that
PyTorch's forward pass gives the logits minitorch gave on the same batch.

    python3 torch_check.py OUT_DIR      (OUT_DIR holds model.safetensors and check.json)

Debian has no safetensors package, so the file is read here from the format's
spec: an 8-byte little-endian header length N, N bytes of JSON naming each
tensor's dtype, shape and [start, end) byte offsets into the data that follows,
then the raw little-endian data.
"""
import json
import struct
import sys

import torch
import torch.nn.functional as F

DTYPES = {"F64": torch.float64, "F32": torch.float32}


def load_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n])
    data = blob[8 + n :]
    tensors = {}
    covered = 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0] if kv[0] != "__metadata__" else -1):
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        if start != covered:
            raise ValueError(f"{path}: tensor {name} starts at byte {start}, expected {covered} (no holes allowed)")
        dtype = DTYPES[info["dtype"]]
        t = torch.frombuffer(bytearray(data[start:end]), dtype=dtype)
        tensors[name] = t.reshape(info["shape"])
        covered = end
    if covered != len(data):
        raise ValueError(f"{path}: the tensors cover {covered} of {len(data)} data bytes")
    return tensors


def forward(sd, names, layout, x):
    """conv → relu → 2×2 max-pool → flatten → linear, the consumer scripts' net (dropout is off in eval mode).

    minitorch's conv2d keeps the input's size: kernel anchored top-left, zeros
    past the right and bottom edges. Layout "minitorch" is the parameters as
    minitorch holds them (Linear [in, out], conv bias [out, 1, 1]); "torch" is
    PyTorch's state_dict (Linear [out, in], conv bias [out]).
    """
    w = sd[names["convWeight"]].double()
    kh, kw = w.shape[2], w.shape[3]
    conv_bias = sd[names["convBias"]].double().reshape(1, -1, 1, 1)
    h = F.conv2d(F.pad(x, (0, kw - 1, 0, kh - 1)), w) + conv_bias
    h = F.max_pool2d(F.relu(h), 2)
    h = h.reshape(x.shape[0], -1)
    fc_weight, fc_bias = sd[names["fcWeight"]].double(), sd[names["fcBias"]].double()
    if layout == "torch":
        out = F.linear(h, fc_weight, fc_bias)
    elif layout == "minitorch":
        out = h @ fc_weight + fc_bias
    else:
        raise ValueError(f"unknown layout {layout!r}")
    return out


def main(out_dir):
    sd = load_safetensors(f"{out_dir}/model.safetensors")
    with open(f"{out_dir}/check.json") as f:
        check = json.load(f)
    x = torch.tensor(check["input"], dtype=torch.float64)
    expected = torch.tensor(check["logits"], dtype=torch.float64)
    got = forward(sd, check["params"], check.get("layout", "minitorch"), x)
    if check.get("logSoftmax", True):
        got = F.log_softmax(got, dim=1)
    diff = (got - expected).abs().max().item()
    shapes = ", ".join(f"{k} {list(v.shape)}" for k, v in sd.items())
    print(f"torch {torch.__version__}: loaded {shapes}; logits of {x.shape[0]} examples within {diff:.2e} of minitorch's")
    # float64 weights agree to rounding; float32 ones only to float32's precision.
    tolerance = 1e-9 if all(v.dtype == torch.float64 for v in sd.values()) else 1e-4
    if not diff < tolerance:
        sys.exit(f"torch_check: PyTorch's logits differ from minitorch's by {diff}")


if __name__ == "__main__":
    main(sys.argv[1])
