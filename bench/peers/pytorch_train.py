#!/usr/bin/python3
"""PyTorch peer for bench/train.js: runs the workloads of bench/workloads.js
on PyTorch's CPU backend and reports seconds per batch of steps as JSON.

Run by bench/train.js as a child process, once under Debian's interpreter
(/usr/bin/python3, where python3-torch 1.13 lives) and once under the
virtual environment of `npm run bench:setup` (a PyTorch 2.x CPU wheel); the
same file runs under both:

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/peers/pytorch_train.py --threads 1

Protocol: one JSON object per line on stdin, one JSON reply per line on stdout.
  (start)                                  -> {"ready": true, "info": {...}} or {"ready": false, "error": ...}
  {"cmd": "setup", "spec": {...}, "x": path, "y": path}
                                           -> {"ok": true, "batches": k}
  {"cmd": "run", "steps": n}               -> {"seconds": s, "loss": l}   (s: wall time of n steps)
  {"cmd": "quit"}                          -> exits
Errors are replies {"error": "..."}; the process keeps serving.

x is raw little-endian float32 [n, features], y raw int32 [n] (class labels,
cross-entropy) or float32 [n] (0/1 targets, BCE), written by bench/train.js
from bench/workloads.js's makeData, so every framework trains on the same
numbers (read with torch.frombuffer: the 2.x environment has no numpy).
Batches are cut once at setup (contiguous copies); one step is
zero_grad(set_to_none=True) (torchlet's and PyTorch 2's default), forward,
loss, backward, optimizer step (SGD, or Adam with its defaults). Timed with
time.perf_counter around the steps only. An "lstm" layer is nn.LSTM
(batch_first) followed by its last hidden state h_n[-1], the module a user
writes to put an LSTM in front of a classifier.

Threads: --threads sets torch.set_num_threads (intra-op); inter-op is 1. On
Debian's 1.13 GEMM goes to OpenBLAS, whose thread count follows
OPENBLAS_NUM_THREADS (set by the parent), not torch.set_num_threads; the 2.x
wheel's BLAS (MKL) follows the intra-op threads. Convolutions (both) and
LSTMs (2.x) go to oneDNN (mkldnn, on by default: the info reports it), which
splits over the intra-op threads.
"""
import json
import os
import sys
import time


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def parse_threads(argv):
    threads = 1
    if "--threads" in argv:
        threads = int(argv[argv.index("--threads") + 1])
    return threads


def read_raw(torch, path, dtype):
    """A raw little-endian file (bench/train.js writes them) as a 1-D tensor of `dtype`."""
    with open(path, "rb") as fh:
        return torch.frombuffer(bytearray(fh.read()), dtype=dtype).clone()


def last_hidden_module(torch):
    """nn.LSTM -> its last layer's final hidden state [batch, hidden]."""
    class LastHidden(torch.nn.Module):
        def __init__(self, lstm):
            super().__init__()
            self.lstm = lstm

        def forward(self, x):
            _, (h, _) = self.lstm(x)
            return h[-1]
    return LastHidden


class Session:
    def __init__(self, torch, spec, x_path, y_path):
        self.torch = torch
        nn = torch.nn
        d = spec["data"]
        n, f, b = d["n"], d["features"], spec["batch"]
        x = read_raw(torch, x_path, torch.float32).reshape(n, f)
        if spec["loss"] == "cross_entropy":
            y = read_raw(torch, y_path, torch.int32).long()
            self.loss_fn = nn.CrossEntropyLoss()
        elif spec["loss"] == "bce":
            y = read_raw(torch, y_path, torch.float32).reshape(n, 1)
            self.loss_fn = nn.BCELoss()
        else:
            raise ValueError("unknown loss " + str(spec["loss"]))
        k = max(1, n // b)
        shape = [b] + spec["input"] if "input" in spec else [b, f]
        self.batches = [(x[i * b:(i + 1) * b].reshape(shape).clone(), y[i * b:(i + 1) * b].clone()) for i in range(k)]
        torch.manual_seed(0)
        layers = []
        for layer in spec["layers"]:
            t = layer["type"]
            if t == "linear":
                layers.append(nn.Linear(layer["in"], layer["out"]))
            elif t == "relu":
                layers.append(nn.ReLU())
            elif t == "sigmoid":
                layers.append(nn.Sigmoid())
            elif t == "conv2d":
                layers.append(nn.Conv2d(layer["in"], layer["out"], layer["kernel"], padding=layer["padding"]))
            elif t == "maxpool2d":
                layers.append(nn.MaxPool2d(layer["kernel"]))
            elif t == "flatten":
                layers.append(nn.Flatten())
            elif t == "lstm":
                layers.append(last_hidden_module(torch)(nn.LSTM(layer["in"], layer["hidden"], batch_first=True)))
            else:
                raise ValueError("unknown layer " + t)
        self.model = nn.Sequential(*layers)
        o = spec["optim"]
        if o.get("type") == "adam":
            self.opt = torch.optim.Adam(self.model.parameters(), lr=o["lr"])
        else:
            self.opt = torch.optim.SGD(self.model.parameters(), lr=o["lr"], momentum=o.get("momentum", 0))
        self.k = 0

    def run(self, steps):
        model, opt, loss_fn, batches = self.model, self.opt, self.loss_fn, self.batches
        nb = len(batches)
        k = self.k
        loss = None
        t0 = time.perf_counter()
        for _ in range(steps):
            xb, yb = batches[k]
            k = (k + 1) % nb
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - t0
        self.k = k
        return seconds, float(loss.item())


def main():
    threads = parse_threads(sys.argv)
    try:
        import torch
    except Exception as e:  # no torch on this interpreter
        reply({"ready": False, "error": "cannot import torch: %s" % e})
        return
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    config = torch.__config__.show()
    blas = [part.split("=", 1)[1] for part in config.replace(",", "\n").split() if part.startswith("BLAS_INFO=")]
    reply({"ready": True, "info": {
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "intraOpThreads": torch.get_num_threads(),
        "interOpThreads": torch.get_num_interop_threads(),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "blas": blas[0] if blas else None,
        "mkldnn": torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled,
    }})
    session = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
            cmd = msg.get("cmd")
            if cmd == "quit":
                break
            if cmd == "setup":
                session = None
                session = Session(torch, msg["spec"], msg["x"], msg["y"])
                reply({"ok": True, "batches": len(session.batches)})
            elif cmd == "run":
                if session is None:
                    raise RuntimeError("run before setup")
                seconds, loss = session.run(int(msg["steps"]))
                reply({"seconds": seconds, "loss": loss})
            else:
                raise ValueError("unknown command %r" % cmd)
        except Exception as e:
            reply({"error": "%s: %s" % (type(e).__name__, e)})


if __name__ == "__main__":
    main()
