"""The course's by-hand sine fit written in numpy, timed: the yardstick the book's
appendix ("The sine fit") compares `cargo run --release -p solutions --bin sine`
with. The same network (1 -> 10 tanh -> 1, randn weights, zero biases), data
(200 points of sin x on linspace(-pi, 3 pi)) and recipe (full-batch gradient
descent on the MSE, lr 0.01, 100 000 iterations).

    python3 bench/numpy_sine.py
"""
import time

import numpy as np

np.random.seed(1)
x = np.linspace(-np.pi, 3 * np.pi, 200).reshape(-1, 1)
t = np.sin(x)
hidden, lr = 10, 0.01
w1, b1 = np.random.randn(1, hidden), np.zeros((1, hidden))
w2, b2 = np.random.randn(hidden, 1), np.zeros((1, 1))

start = time.perf_counter()
for _ in range(100_000):
    h = np.tanh(x @ w1 + b1)
    y = h @ w2 + b2
    d = 2 * (y - t) / len(x)  # dMSE/dy
    dh = d @ w2.T * (1 - h**2)
    w2 -= lr * (h.T @ d)
    b2 -= lr * d.sum(axis=0, keepdims=True)
    w1 -= lr * (x.T @ dh)
    b1 -= lr * dh.sum(axis=0, keepdims=True)
seconds = time.perf_counter() - start
print(f"numpy, 100000 iterations: MSE {np.mean((y - t) ** 2):.5f} in {seconds:.2f} s")
