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

Parity check against package cnn, step by step from the same initial weights:
    CNN_PARITY_DIR=/tmp/parity CIFAR10_DIR=... go test -run TorchParity ./cnn/
    /usr/bin/python3 scripts/torch_cnn.py -data $CIFAR10_DIR -parity /tmp/parity
loads DIR/VARIANT-params.bin (the Go network's initial weights in PyTorch's
layout), runs the same 20 SGD steps (mini-batches of 100 in file order) and
prints PyTorch's loss beside the Go loss of DIR/VARIANT-losses.json.
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
    ap.add_argument("-parity", default="", help="compare with the Go losses in this folder (see above)")
    a = ap.parse_args()
    if not a.data:
        sys.exit("no data: give -data DIR or set CIFAR10_DIR")
    if a.parity:
        return parity(a)

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


def parity(a):
    torch.set_num_threads(a.threads)
    xtr, ytr = read_batches(a.data, ["data_batch_1.bin"])
    x = torch.from_numpy(xtr[:2000].astype(np.float32) / 255)
    y = torch.from_numpy(ytr[:2000])
    worst = 0.0
    for variant in ["fixed", "seed"]:
        with open(os.path.join(a.parity, variant + "-losses.json")) as f:
            ref = json.load(f)
        raw = np.fromfile(os.path.join(a.parity, variant + "-params.bin"), dtype="<f4")
        net = Net(variant == "seed")
        off = 0
        with torch.no_grad():
            for name, p in net.named_parameters():
                n = p.numel()
                if off + n > raw.size:
                    sys.exit(f"{variant}-params.bin too short at {name}")
                p.copy_(torch.from_numpy(raw[off:off + n].copy()).reshape(p.shape))
                off += n
        if off != raw.size:
            sys.exit(f"{variant}-params.bin has {raw.size - off} values too many")
        opt = torch.optim.SGD(net.parameters(), lr=ref["lr"], momentum=ref["momentum"])
        loss_fn = nn.CrossEntropyLoss()
        print(f"{variant}: step  go_loss    torch_loss  rel_diff")
        for s, go in enumerate(ref["losses"]):
            b = slice(s * ref["batch"], (s + 1) * ref["batch"])
            opt.zero_grad()
            loss = loss_fn(net(x[b]), y[b])
            loss.backward()
            opt.step()
            t = loss.item()
            rel = abs(go - t) / abs(t)
            worst = max(worst, rel)
            print(f"{variant}: {s + 1:4d}  {go:.6f}  {t:.6f}    {rel:.1e}")
    print(f"largest relative difference {worst:.1e}")


if __name__ == "__main__":
    main()
