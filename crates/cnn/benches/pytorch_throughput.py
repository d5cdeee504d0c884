"""PyTorch's side of `cargo bench -p cnn`: the same two models, the same batches,
the same training step (forward, cross-entropy, backward, SGD with momentum),
timed the same way. Prints one line per model: name, images per second.

Run by benches/throughput.rs when CNN_BENCH_PYTHON names a Python with torch.
"""
import os
import sys
import time

import torch
from torch import nn

torch.set_num_threads(int(os.environ.get("CNN_BENCH_THREADS", "2")))
torch.manual_seed(0)


class ConvolutionalModel(nn.Module):
    """The course's CIFAR-10 model: 10 458 parameters."""

    def __init__(self, features=16, layers=4, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, features, 3, padding=1, bias=False), nn.BatchNorm2d(features))
        self.blocks = nn.Sequential(
            *[
                nn.Sequential(
                    nn.Conv2d(features, features, 3, padding=1, bias=False),
                    nn.BatchNorm2d(features),
                    nn.ReLU(),
                    nn.MaxPool2d(2),
                )
                for _ in range(layers)
            ]
        )
        self.classifier = nn.Linear(features * 2 * 2, classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.blocks(self.stem(x)), 1))


def tiny_vgg(hidden=10, classes=10):
    """TinyVGG for 28 × 28 grey images: 7 740 parameters."""

    def block(c_in):
        return nn.Sequential(
            nn.Conv2d(c_in, hidden, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(hidden, hidden, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )

    return nn.Sequential(block(1), block(hidden), nn.Flatten(), nn.Linear(hidden * 7 * 7, classes))


def throughput(model, shape, batch, seconds):
    x = torch.rand(batch, *shape) * 2 - 1
    y = torch.arange(batch) % 10
    opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    steps, start = 0, time.perf_counter()
    while steps < 10 or time.perf_counter() - start < seconds:
        step()
        steps += 1
    return batch * steps / (time.perf_counter() - start)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    conv = ConvolutionalModel()
    assert sum(p.numel() for p in conv.parameters()) == 10_458
    vgg = tiny_vgg()
    assert sum(p.numel() for p in vgg.parameters()) == 7_740
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    print(f"convolutional {throughput(conv, (3, 32, 32), 64, seconds):.1f}", flush=True)
    print(f"tinyvgg {throughput(vgg, (1, 28, 28), 32, seconds):.1f}", flush=True)


if __name__ == "__main__":
    main()
