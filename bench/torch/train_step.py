"""The `train` section's torch peer: the same LeNet and Kim-CNN training
steps as minitorch-ts's apps (bench/src/sections/train.ts), timed here and
reported to the bench, which alternates blocks of these with its own.

Protocol (one JSON object per line): it first prints {"ready": true,
"torch": version, "blas": ...}; then for each request {"net": "lenet" |
"kim", "dtype": "float64" | "float32", "threads": n, "steps": n} it runs
that many steps in a plain loop and prints {"times": [ms, ...]}.

The networks follow minitorch's definitions: convolutions keep the size,
anchored top-left with zeros past the right/bottom edge (pad right/bottom by
k - 1, then a valid convolution), LeNet's NLL of one-hot targets and
Kim-CNN's BCE in minitorch's form, SGD lr 0.01, the input requiring a
gradient as in the apps. Data are synthetic, of the real shapes.
"""

import json
import os
import sys
import time

import torch
import torch.nn.functional as F

LR = 0.01


def uniform(shape, generator):
    return (torch.rand(shape, generator=generator, dtype=torch.float64) - 0.5) * 0.1


class LeNet:
    """Conv2d 1→4 3×3, ReLU, Conv2d 4→8 3×3, ReLU, avgpool 4×4, Linear 392→64, ReLU, dropout 0.25, Linear 64→10, log-softmax."""

    def __init__(self, dtype, generator):
        self.params = [
            uniform((4, 1, 3, 3), generator), uniform((4, 1, 1), generator),
            uniform((8, 4, 3, 3), generator), uniform((8, 1, 1), generator),
            uniform((392, 64), generator), uniform((64,), generator),
            uniform((64, 10), generator), uniform((10,), generator),
        ]
        self.params = [p.to(dtype).requires_grad_(True) for p in self.params]

    def forward(self, x):
        w1, b1, w2, b2, l1, c1, l2, c2 = self.params
        h = F.relu(F.conv2d(F.pad(x, (0, 2, 0, 2)), w1) + b1)
        h = F.relu(F.conv2d(F.pad(h, (0, 2, 0, 2)), w2) + b2)
        h = F.avg_pool2d(h, 4).reshape(x.shape[0], 392)
        h = F.dropout(F.relu(h @ l1 + c1), 0.25, training=True)
        return F.log_softmax(h @ l2 + c2, dim=1)


class Kim:
    """Three Conv1d 100→100 (k = 3, 4, 5), ReLU, max over time, summed; Linear 100→1, dropout 0.25, sigmoid."""

    def __init__(self, dtype, generator, dim=100, features=100):
        self.params = []
        for k in (3, 4, 5):
            self.params += [uniform((features, dim, k), generator), uniform((features, 1), generator)]
        self.params += [uniform((features, 1), generator), uniform((1,), generator)]
        self.params = [p.to(dtype).requires_grad_(True) for p in self.params]

    def forward(self, x):
        x = x.permute(0, 2, 1)
        pooled = 0
        for i, k in enumerate((3, 4, 5)):
            w, b = self.params[2 * i], self.params[2 * i + 1]
            pooled = pooled + F.relu(F.conv1d(F.pad(x, (0, k - 1)), w) + b).amax(dim=2)
        h = F.dropout(pooled @ self.params[6] + self.params[7], 0.25, training=True)
        return torch.sigmoid(h).reshape(x.shape[0])


def lenet_step(dtype):
    g = torch.Generator().manual_seed(1)
    model = LeNet(dtype, g)
    batches = [
        ((torch.rand((16, 1, 28, 28), generator=g) * 255).floor().to(dtype),
         F.one_hot(torch.randint(0, 10, (16,), generator=g), 10).to(dtype))
        for _ in range(8)
    ]
    state = {"step": 0}

    def step():
        x, y = batches[state["step"] % len(batches)]
        state["step"] += 1
        x = x.clone().requires_grad_(True)
        loss = -(model.forward(x) * y).sum(1).div(x.shape[0]).sum()
        loss.backward()
        loss.item()
        with torch.no_grad():
            for p in model.params:
                p -= LR * p.grad
                p.grad = None

    return step


def kim_step(dtype):
    g = torch.Generator().manual_seed(2)
    model = Kim(dtype, g)
    batches = [
        ((torch.rand((10, 52, 100), generator=g) - 0.5).to(dtype),
         torch.randint(0, 2, (10,), generator=g).to(dtype))
        for _ in range(6)
    ]
    state = {"step": 0}

    def step():
        x, y = batches[state["step"] % len(batches)]
        state["step"] += 1
        x = x.clone().requires_grad_(True)
        p = model.forward(x)
        loss = -(p * y + (p - 1) * (y - 1)).log().div(x.shape[0]).sum()
        loss.backward()
        loss.item()
        with torch.no_grad():
            for q in model.params:
                q -= LR * q.grad
                q.grad = None

    return step


def main():
    torch.manual_seed(0)
    steps = {}
    # Debian's torch calls the system BLAS, libblas.so.3: the alternative it resolves to says which one (OpenBLAS or the slow reference).
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    print(json.dumps({"ready": True, "torch": torch.__version__, "blas": blas}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        torch.set_num_threads(int(request["threads"]))
        key = (request["net"], request["dtype"])
        if key not in steps:
            dtype = torch.float32 if request["dtype"] == "float32" else torch.float64
            steps[key] = (lenet_step if request["net"] == "lenet" else kim_step)(dtype)
            for _ in range(3):
                steps[key]()
        step = steps[key]
        times = []
        for _ in range(int(request["steps"])):
            start = time.perf_counter()
            step()
            times.append((time.perf_counter() - start) * 1000)
        print(json.dumps({"times": times}), flush=True)


if __name__ == "__main__":
    main()
