"""PyTorch's side of `cargo bench -p bench --bench throughput`: the same models,
batches and steps (training: forward, cross-entropy, backward, SGD with momentum
or Adam; inference: evaluation mode under no_grad), timed the same way.

It reads workload keys from standard input, one per line, and answers each with
a line: the key, images per second. benches/throughput.rs keeps it running and
asks for each workload right before or after measuring its own, so that both
sides of a ratio see the machine as it is at that moment. By hand:

    echo train-conv | OMP_WAIT_POLICY=PASSIVE python bench/benches/pytorch_throughput.py 1

Argument: seconds per measurement (default 1). CNN_BENCH_THREADS sets torch's
threads (default 2).
"""
import os
import sys
import time

import torch
from torch import nn

# The models, as the checkpoint scripts write them (one definition each).
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "crates", "cnn", "tests", "fixtures"))
from load_in_pytorch import mlp, tiny_vgg  # noqa: E402
from make_pytorch_state_dict import ConvolutionalModel  # noqa: E402

torch.set_num_threads(int(os.environ.get("CNN_BENCH_THREADS", "2")))
torch.manual_seed(0)


def timed(step, batch, seconds):
    """Images per second over about `seconds` of steps (at least 10), after 3 warm-up steps."""
    for _ in range(3):
        step()
    steps, start = 0, time.perf_counter()
    while steps < 10 or time.perf_counter() - start < seconds:
        step()
        steps += 1
    return batch * steps / (time.perf_counter() - start)


def data(shape, batch):
    return torch.rand(batch, *shape) * 2 - 1, torch.arange(batch) % 10


def train(model, shape, batch, seconds, adam=False):
    x, y = data(shape, batch)
    model.train()
    if adam:
        opt = torch.optim.Adam(model.parameters(), lr=0.001)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    return timed(step, batch, seconds)


def infer(model, shape, batch, seconds):
    x, _ = data(shape, batch)
    model.eval()

    def step():
        with torch.no_grad():
            model(x)

    return timed(step, batch, seconds)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    assert sum(p.numel() for p in ConvolutionalModel(3, 32).parameters()) == 10_458
    assert sum(p.numel() for p in tiny_vgg(1, 28).parameters()) == 7_740
    assert sum(p.numel() for p in mlp(784).parameters()) == 199_210
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    cifar, fashion = (3, 32, 32), (1, 28, 28)
    runs = [
        ("train-conv", lambda: train(ConvolutionalModel(3, 32), cifar, 64, seconds)),
        ("train-vgg", lambda: train(tiny_vgg(1, 28), fashion, 32, seconds)),
        ("train-mlp784-sgd", lambda: train(mlp(784), fashion, 64, seconds)),
        ("train-mlp784-adam", lambda: train(mlp(784), fashion, 64, seconds, adam=True)),
        ("train-mlp3072-sgd", lambda: train(mlp(3072), cifar, 64, seconds)),
        ("train-mlp3072-adam", lambda: train(mlp(3072), cifar, 64, seconds, adam=True)),
        ("infer-conv", lambda: infer(ConvolutionalModel(3, 32), cifar, 256, seconds)),
        ("infer-vgg", lambda: infer(tiny_vgg(1, 28), fashion, 256, seconds)),
        ("infer-mlp784", lambda: infer(mlp(784), fashion, 256, seconds)),
        ("infer-mlp3072", lambda: infer(mlp(3072), cifar, 256, seconds)),
    ]
    runs = dict(runs)
    for line in sys.stdin:
        key = line.strip()
        if key in runs:
            print(f"{key} {runs[key]():.1f}", flush=True)
        elif key:
            print(f"unknown workload {key!r}; known: {', '.join(runs)}", flush=True)


if __name__ == "__main__":
    main()
