"""Reads the run scripts/tensorboard-check.mjs wrote with TensorBoard's
EventAccumulator and compares it with what was written (expected.json)."""
import json
import math
import os
import sys

from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.plugins.hparams import plugin_data_pb2

logdir = sys.argv[1]
expected = json.load(open(os.path.join(logdir, "expected.json")))
acc = ea.EventAccumulator(logdir, size_guidance={ea.SCALARS: 0, ea.HISTOGRAMS: 0, ea.TENSORS: 0})
acc.Reload()
print("tags:", {k: v for k, v in acc.Tags().items() if v})

for tag, points in expected["scalars"].items():
    got = [(e.step, e.value) for e in acc.Scalars(tag)]
    assert got == [tuple(p) for p in points], (tag, got[:3], points[:3])
    print(f"scalar {tag}: {len(got)} points, steps and values equal")

for key, want in expected["histograms"].items():
    tag, step = key.split("@")
    (h,) = [e.histogram_value for e in acc.Histograms(tag) if e.step == int(step)]
    assert h.num == want["num"] and h.min == want["min"] and h.max == want["max"], (key, h.num, h.min, h.max)
    assert math.isclose(h.sum, want["sum"], rel_tol=1e-9, abs_tol=1e-9), (key, h.sum, want["sum"])
    assert sum(h.bucket) == h.num and len(h.bucket) == len(h.bucket_limit)
    print(f"histogram {key}: num {h.num:.0f}, {len(h.bucket)} buckets, min/max/sum equal")

for tag, text in expected["texts"].items():
    (t,) = acc.Tensors(tag)
    assert t.tensor_proto.string_val[0].decode() == text
    print(f"text {tag}: {text!r}")

session = ea.EventAccumulator(os.path.join(logdir, "session"))
session.Reload()
meta = session.SummaryMetadata("_hparams_/session_start_info")
data = plugin_data_pb2.HParamsPluginData.FromString(meta.plugin_data.content)
print("hparams session_start_info:", {k: str(v).strip() for k, v in data.session_start_info.hparams.items()})
print("hparams metric:", [(e.step, round(e.value, 6)) for e in session.Scalars("hparam/accuracy")])
# A crash in the middle of a write leaves a cut last record: TensorBoard reads what precedes it.
(event_file,) = [f for f in os.listdir(logdir) if f.startswith("events.out.tfevents.")]
with open(os.path.join(logdir, event_file), "ab") as f:
    f.write(bytes.fromhex("2a00000000000000") + b"\x00\x01")
cut = ea.EventAccumulator(logdir, size_guidance={ea.SCALARS: 0})
cut.Reload()
assert len(cut.Scalars("loss/train")) == len(expected["scalars"]["loss/train"])
print("truncated tail record: skipped, every scalar before it still read")
print("OK: TensorBoard read back every scalar, histogram and text")
