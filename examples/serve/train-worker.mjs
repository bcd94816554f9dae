/**
 * The training worker of `server.mjs --train-in-worker`: fine-tunes the
 * served model on the `mnist` digits, epoch after epoch, and posts the new
 * weights after each one with torch.worker.postStateDict (the buffers are
 * copied here, off the main thread, then transferred). It lowers its own
 * thread priority first so the main thread's requests win the CPU, and keeps
 * its duty cycle at `duty` (torch.worker.pacer): sleeping after each step, it
 * computes at most that fraction of the time, so the requests keep the cores
 * (on two cores, beside the load test, a worker training flat out cost the
 * service ~20% of its requests/s and moved p99 from 7-9 ms to 12-18 ms).
 *
 * workerData: { modelPath, epochs (default: until terminated), lr (1e-4), seed, duty (0.25) }
 */
import { workerData } from 'node:worker_threads';
import { torch, workerApi, loadModel, mnistSplit, normalize, trainEpoch, accuracy } from './model.mjs';

const { modelPath, epochs = Infinity, lr = 1e-4, seed = 1, duty = 0.25 } = workerData ?? {};
// First, before any kernel runs (were the pool below larger than one thread, its
// helpers, started at the first large GEMM, would inherit the niceness).
workerApi.lowerThreadPriority(19);
// One thread: training uses at most the core the request handlers leave.
torch.setNumThreads(1);
torch.manualSeed(seed);
const { model } = await loadModel(modelPath);
const { xTrain, yTrain, xTest, yTest } = mnistSplit({ seed: 0 }); // the split train-model.mjs used
const opt = new torch.optim.Adam(model.parameters(), { lr });
const loader = new torch.data.DataLoader(new torch.data.TensorDataset(normalize(xTrain), yTrain),
  { batchSize: 100, shuffle: true, generator: new torch.Generator(seed) });
const pace = workerApi.pacer(duty);
for (let epoch = 1; epoch <= epochs; epoch++) {
  const t0 = performance.now();
  const loss = trainEpoch(model, opt, loader, pace);
  const heldOutAccuracy = accuracy(model, xTest, yTest);
  // This thread's own isolate (the server's /health reports the main thread's).
  const { heapTotal, external, arrayBuffers } = process.memoryUsage();
  const memory = { heapTotalBytes: heapTotal, externalBytes: external, arrayBuffersBytes: arrayBuffers };
  workerApi.postStateDict(model.stateDict(), { epoch, loss, heldOutAccuracy, ms: performance.now() - t0, memory });
}
