// Shared by the benchmarks: merges one section ("gemm", "overhead") into
// bench/results.json (gitignored) with an atomic write (temp file + rename),
// so two benches writing one after the other never leave a torn file.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const FILE = path.join(__dirname, 'results.json');

/** Facts about the run that a reader needs to compare two results files. */
function environment() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0] ? os.cpus()[0].model : 'unknown',
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? null,
    OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? null,
  };
}

/** Replaces results.json[key] with `value`, keeping the other keys. */
function writeResults(key, value) {
  let all = {};
  try {
    const parsed = JSON.parse(fs.readFileSync(FILE, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) all = parsed;
  } catch {
    // missing or unreadable: start afresh
  }
  all[key] = value;
  const tmp = `${FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n');
  fs.renameSync(tmp, FILE);
  return FILE;
}

/** Median of a list of numbers. */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Seconds since `start` (a process.hrtime.bigint()). */
function since(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

module.exports = { writeResults, environment, median, since, FILE };
