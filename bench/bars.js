// bench/bars: the performance bars of a workload (its spec's `bars`, from
// issues 14 and 15) checked against one run's ratios. Shared by bench/train.js, which
// prints them under its table, and bench/run-all.js, which puts them in the
// summary's notes. A bar:
//   { peers: [id, ...], max }  native/peer ≤ max; with several peers, against
//                              the fastest of them (the smallest median, so the
//                              largest ratio) that was measured
// Peer ids and labels are those of train.js's columns ('js', 'pytorch',
// 'pytorch2', ...).
'use strict';

/** '≤ 0.8× the faster of PyTorch 1.13 / PyTorch 2.13', 'native ≥ 30× torchlet js'. */
function barText(bar, labelOf) {
  if (bar.max < 1 && bar.peers.length === 1 && bar.peers[0] === 'js') return `native ≥ ${Math.round(1 / bar.max)}× ${labelOf('js')}`;
  const who = bar.peers.length === 1 ? labelOf(bar.peers[0]) : `the faster of ${bar.peers.map(labelOf).join(' / ')}`;
  return `≤ ${Number.isInteger(bar.max) ? bar.max.toFixed(1) : bar.max}× ${who}`;
}

/**
 * Checks each bar of `spec` on `results` (train.js's per-implementation
 * results of that workload: { median, nativeOverThis } or { error }).
 * Returns [{ text, status: 'met' | 'MISS' | 'not measured', ratio, against, missing, several }]:
 * `against` the peer whose ratio decided, `missing` the bar's peers that were
 * not measured, `several` whether the bar is against the fastest of several.
 */
function checkBars(spec, results, labelOf = (id) => id) {
  return (spec.bars ?? []).map((bar) => {
    const measured = bar.peers.filter((id) => results[id] && !results[id].error && results[id].nativeOverThis != null);
    const missing = bar.peers.filter((id) => !measured.includes(id));
    const text = barText(bar, labelOf);
    const several = bar.peers.length > 1;
    if (measured.length === 0) return { text, status: 'not measured', ratio: null, against: null, missing, several };
    const against = measured.reduce((a, b) => (results[b].median < results[a].median ? b : a));
    const ratio = results[against].nativeOverThis;
    return { text, status: ratio <= bar.max ? 'met' : 'MISS', ratio, against, missing, several };
  });
}

/** One line per bar: 'bar ≤ 0.8× PyTorch 1.13: met (0.62)', with the peers that were not measured. */
function formatBar(b, labelOf = (id) => id) {
  const shown = b.ratio == null ? '' : ` (${b.ratio >= 0.1 ? b.ratio.toFixed(2) : b.ratio.toFixed(3)}${b.several ? ` against ${labelOf(b.against)}` : ''})`;
  const absent = b.ratio != null && b.missing.length ? `; ${b.missing.map(labelOf).join(', ')} not measured` : '';
  return `bar ${b.text}: ${b.status}${shown}${absent}`;
}

module.exports = { checkBars, formatBar };
