/**
 * The training worker of `server.mjs --train-in-worker`: fine-tunes the
 * served model on the `mnist` digits, epoch after epoch, and posts the new
 * weights after each one with torch.worker.postStateDict (the buffers are
 * copied here, off the main thread, then transferred). It lowers its own
 * thread priority first so the main thread's requests win the CPU.
 *
 * workerData: { modelPath, epochs (default: until terminated), lr (1e-4), seed }
 */
import { workerData } from 'node:worker_threads';
import { torch, workerApi, loadModel, mnistSplit, normalize, trainEpoch, accuracy } from './model.mjs';

const { modelPath, epochs = Infinity, lr = 1e-4, seed = 1 } = workerData ?? {};
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
for (let epoch = 1; epoch <= epochs; epoch++) {
  const t0 = performance.now();
  const loss = trainEpoch(model, opt, loader);
  const heldOutAccuracy = accuracy(model, xTest, yTest);
  // This thread's own isolate (the server's /health reports the main thread's).
  const { heapTotal, external, arrayBuffers } = process.memoryUsage();
  const memory = { heapTotalBytes: heapTotal, externalBytes: external, arrayBuffersBytes: arrayBuffers };
  workerApi.postStateDict(model.stateDict(), { epoch, loss, heldOutAccuracy, ms: performance.now() - t0, memory });
  // After each epoch: hand the allocator's free memory back, so the service's
  // RSS does not keep the high-water mark of every epoch's garbage (every 5
  // epochs was not enough: +16% over a load test).
  torch.emptyCache();
}
