#!/usr/bin/python3
"""The seed document's CIFAR-10 CNN recipe in PyTorch, as the reference for
`bench cnn` (package cnn).

Network: conv 3->32 (3x3, padding 1), ReLU, max-pool 2; conv 32->64 (3x3,
padding 1), ReLU, max-pool 2; fc 4096->512, ReLU; fc 512->10; for variant
"seed" a sigmoid on the outputs before CrossEntropyLoss (as the seed writes
it), for "fixed" none. SGD lr 0.001 momentum 0.9, batch 100, inputs x/255
(ToTensor, no normalisation), PyTorch's default initialisation.

It reads the CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin)
directly, without torchvision, and prints one line per epoch:

    epoch 1 train_loss 2.3012 test_accuracy 0.2291 seconds 71.2 eval_seconds 4.1

train_loss is the mean of the mini-batch losses of the epoch; seconds is the
training pass alone, eval_seconds the test evaluation, as in `bench cnn`.

Usage:
    /usr/bin/python3 scripts/torch_cnn.py -data $CIFAR10_DIR -variant fixed \
        [-epochs 10] [-train N] [-test M] [-threads 2] [-seed 1] [-json FILE]

Parity fixture for package cnn (cnn/testdata/torch_parity*, checked by
TestTorchParity without PyTorch):
    /usr/bin/python3 scripts/torch_cnn.py -data $CIFAR10_DIR -fixture cnn/testdata \
        -steps 5 -batch 10
takes the first steps*batch images of data_batch_1.bin, initialises both
variants with the same deterministic weights (splitmix64, see init_params; no
weights need storing), runs that many SGD steps (lr 0.001, momentum 0.9,
mini-batches in file order) and writes PyTorch's per-step losses and the
change of every parameter tensor (a strided sample of it and the sum over
each output unit), float32 little-endian.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn


def read_batches(folder, names):
    xs, ys = [], []
    for name in names:
        path = os.path.join(folder, name)
        raw = np.fromfile(path, dtype=np.uint8)
        if raw.size % 3073:
            sys.exit(f"{path}: {raw.size} bytes is not a whole number of 3073-byte CIFAR-10 records")
        raw = raw.reshape(-1, 3073)
        ys.append(raw[:, 0].astype(np.int64))
        xs.append(raw[:, 1:].reshape(-1, 3, 32, 32))
    return np.concatenate(xs), np.concatenate(ys)


class Net(nn.Module):
    def __init__(self, sigmoid):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.fc1 = nn.Linear(64 * 8 * 8, 512)
        self.fc2 = nn.Linear(512, 10)
        self.sigmoid = sigmoid

    def forward(self, x):
        x = self.features(x).flatten(1)
        x = self.fc2(torch.relu(self.fc1(x)))
        return torch.sigmoid(x) if self.sigmoid else x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-data", default=os.environ.get("CIFAR10_DIR", ""), help="folder of CIFAR-10 binary batches")
    ap.add_argument("-variant", choices=["seed", "fixed"], default="fixed")
    ap.add_argument("-epochs", type=int, default=10)
    ap.add_argument("-batch", type=int, default=100)
    ap.add_argument("-lr", type=float, default=0.001)
    ap.add_argument("-momentum", type=float, default=0.9)
    ap.add_argument("-train", type=int, default=0, help="use the first N training images (0: all)")
    ap.add_argument("-test", type=int, default=0, help="use the first M test images (0: all)")
    ap.add_argument("-threads", type=int, default=2)
    ap.add_argument("-seed", type=int, default=1)
    ap.add_argument("-json", default="", help="also write the epochs to this JSON file")
    ap.add_argument("-fixture", default="", help="write the parity fixture of package cnn into this folder (see above)")
    ap.add_argument("-steps", type=int, default=5, help="SGD steps of the parity fixture")
    a = ap.parse_args()
    if not a.data:
        sys.exit("no data: give -data DIR or set CIFAR10_DIR")
    if a.fixture:
        return fixture(a)

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = read_batches(a.data, [f"data_batch_{i}.bin" for i in range(1, 6)])
    xte, yte = read_batches(a.data, ["test_batch.bin"])
    if a.train:
        xtr, ytr = xtr[:a.train], ytr[:a.train]
    if a.test:
        xte, yte = xte[:a.test], yte[:a.test]
    xtr = torch.from_numpy(xtr.astype(np.float32) / 255)
    xte = torch.from_numpy(xte.astype(np.float32) / 255)
    ytr, yte = torch.from_numpy(ytr), torch.from_numpy(yte)

    net = Net(a.variant == "seed")
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=a.momentum)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(a.seed)
    print(f"torch {torch.__version__} threads {torch.get_num_threads()} variant {a.variant} "
          f"train {len(ytr)} test {len(yte)} epochs {a.epochs} batch {a.batch}", flush=True)
    epochs = []
    for epoch in range(1, a.epochs + 1):
        net.train()
        t0 = time.perf_counter()
        perm = torch.randperm(len(ytr), generator=gen)
        total, batches = 0.0, 0
        for b in range(0, len(ytr), a.batch):
            idx = perm[b:b + a.batch]
            opt.zero_grad()
            loss = loss_fn(net(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        secs = time.perf_counter() - t0
        net.eval()
        t0 = time.perf_counter()
        correct = 0
        with torch.no_grad():
            for b in range(0, len(yte), 1000):
                correct += (net(xte[b:b + 1000]).argmax(1) == yte[b:b + 1000]).sum().item()
        esecs = time.perf_counter() - t0
        e = {"epoch": epoch, "train_loss": total / batches, "test_accuracy": correct / len(yte),
             "seconds": secs, "eval_seconds": esecs}
        epochs.append(e)
        print(f"epoch {epoch} train_loss {e['train_loss']:.4f} test_accuracy {e['test_accuracy']:.4f} "
              f"seconds {secs:.1f} eval_seconds {esecs:.1f}", flush=True)
        if a.json:
            tmp = a.json + ".tmp"
            with open(tmp, "w") as f:
                json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(),
                           "variant": a.variant, "args": vars(a), "epochs": epochs}, f, indent=1)
            os.replace(tmp, a.json)


def splitmix64(n):
    """The first n outputs of splitmix64 seeded with 0 (Vigna), as uint64."""
    z = (np.arange(1, n + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def init_params(net):
    """Sets every parameter, in named_parameters order (PyTorch's layout),
    to bound*(k - 2^23)/2^23 with k the top 24 bits of the next splitmix64
    output and bound = 1/sqrt(fan_in) of the tensor's layer (PyTorch's
    default range). The product is taken in float64 and rounded to float32
    once, so cnn's TestTorchParity builds bit-identical weights."""
    sizes = [p.numel() for p in net.parameters()]
    k = (splitmix64(sum(sizes)) >> np.uint64(40)).astype(np.int64)
    u = (k - (1 << 23)).astype(np.float64) / float(1 << 23)
    off = 0
    with torch.no_grad():
        for name, p in net.named_parameters():
            layer = name.rsplit(".", 1)[0]
            w = dict(net.named_parameters())[layer + ".weight"]
            bound = 1 / np.sqrt(float(w[0].numel()))
            v = (u[off:off + p.numel()] * bound).astype(np.float32)
            p.copy_(torch.from_numpy(v).reshape(p.shape))
            off += p.numel()


def fixture(a):
    torch.set_num_threads(a.threads)
    n = a.steps * a.batch
    raw = np.fromfile(os.path.join(a.data, "data_batch_1.bin"), dtype=np.uint8)[:n * 3073]
    if raw.size != n * 3073:
        sys.exit(f"data_batch_1.bin holds fewer than {n} records")
    recs = raw.reshape(n, 3073)
    # The same float32 inputs as cnn: x * float32(1/255), not x / 255.
    x = torch.from_numpy(recs[:, 1:].reshape(n, 3, 32, 32).astype(np.float32) * np.float32(1 / 255))
    y = torch.from_numpy(recs[:, 0].astype(np.int64))
    os.makedirs(a.fixture, exist_ok=True)
    recs.tofile(os.path.join(a.fixture, "torch_parity_images.bin"))
    meta = {"source": "scripts/torch_cnn.py -fixture", "torch": torch.__version__,
            "threads": torch.get_num_threads(), "images": "first %d records of data_batch_1.bin" % n,
            "steps": a.steps, "batch": a.batch, "lr": a.lr, "momentum": a.momentum, "variants": {}}
    for variant in ["fixed", "sigmoid-loss"]:  # cnn's names for the variants
        net = Net(variant == "sigmoid-loss")
        init_params(net)
        init = [p.detach().numpy().copy() for p in net.parameters()]
        opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=a.momentum)
        loss_fn = nn.CrossEntropyLoss()
        losses = []
        for s in range(a.steps):
            b = slice(s * a.batch, (s + 1) * a.batch)
            opt.zero_grad()
            loss = loss_fn(net(x[b]), y[b])
            loss.backward()
            opt.step()
            losses.append(loss.item())
        tensors, out = [], []
        for (name, p), p0 in zip(net.named_parameters(), init):
            d = p.detach().numpy() - p0  # float32, as cnn's test subtracts
            flat = d.reshape(-1)
            stride = max(1, flat.size // 4096)
            sample = flat[::stride]
            units = d.reshape(d.shape[0], -1).astype(np.float64).sum(axis=1).astype(np.float32)
            tensors.append({"name": name, "shape": list(d.shape), "stride": stride,
                            "sample": int(sample.size), "units": int(units.size)})
            out += [sample, units]
        np.concatenate(out).astype("<f4").tofile(os.path.join(a.fixture, f"torch_parity_{variant}.f32"))
        meta["variants"][variant] = {"losses": losses, "tensors": tensors}
        print(f"{variant}: losses " + " ".join(f"{v:.6f}" for v in losses))
    with open(os.path.join(a.fixture, "torch_parity.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
