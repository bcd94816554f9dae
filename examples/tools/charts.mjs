/**
 * Loss curves and decision boundaries as SVG files, rendered in Node by
 * vega-lite → vega (`view.toSVG()`), no browser or canvas needed.
 *
 * A course function describes its charts as plain data:
 *   { kind: 'line', file, title, xTitle, yTitle, logY?, series: { name: [[x, y], ...] } }
 *   { kind: 'boundary', file, title, domain: [[x0, x1], [y0, y1]], classes: [names],
 *     probability?: true, points: [[x1, x2, label], ...],
 *     panels: [{ title, predict(grid: number[][]) → number[] }] }
 *   { kind: 'images', file, title, columns, size?, diverging?,
 *     images: [{ title, width, height, pixels: number[] (row-major) }] }
 * For a boundary, `predict` gets the centres of a grid over `domain` and returns
 * a class index per point, or with `probability` the probability of class 1.
 * Images are drawn as grids of grey squares (ink dark), `size` pixels wide each; with
 * `diverging` (weights, filters) the colour scale is centred on 0: blue negative, red positive.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';

const WIDTH = 420;
const HEIGHT = 300;

function lineSpec({ title, xTitle, yTitle, logY = false, series }) {
  const values = [];
  for (const [name, points] of Object.entries(series)) {
    for (const [x, y] of points) if (Number.isFinite(y) && (!logY || y > 0)) values.push({ x, y, series: name });
  }
  return {
    title, width: WIDTH, height: HEIGHT, data: { values }, mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: logY ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'top-right' } },
    },
  };
}

function boundarySpec({ title, domain, classes, probability = false, points, panels }, cells = 50) {
  const [[x0, x1], [y0, y1]] = domain;
  const dx = (x1 - x0) / cells;
  const dy = (y1 - y0) / cells;
  const centres = [];
  for (let j = 0; j < cells; j++) for (let i = 0; i < cells; i++) centres.push([x0 + (i + 0.5) * dx, y0 + (j + 0.5) * dy]);
  const x = { field: 'x', type: 'quantitative', title: 'x1', scale: { domain: [x0, x1], nice: false } };
  const y = { field: 'y', type: 'quantitative', title: 'x2', scale: { domain: [y0, y1], nice: false } };
  const classColor = { type: 'nominal', title: 'class', scale: { domain: classes, scheme: 'category10' } };
  const pointLayer = {
    data: { values: points.map(([px, py, label]) => ({ x: px, y: py, label: classes[label] })) },
    mark: { type: 'point', filled: true, size: points.length > 50 ? 18 : 90, stroke: 'black', strokeWidth: 0.6, opacity: 1 },
    encoding: { x, y, color: { field: 'label', ...classColor } },
  };
  const panelSpec = ({ title: panelTitle, predict }) => {
    const out = predict(centres);
    const values = centres.map(([cx, cy], k) => ({
      x: cx - dx / 2, x2: cx + dx / 2, y: cy - dy / 2, y2: cy + dy / 2,
      ...(probability ? { p: out[k] } : { label: classes[out[k]] }),
    }));
    const fill = probability
      ? { field: 'p', type: 'quantitative', title: 'P(class 1)', scale: { domain: [0, 1], scheme: 'blueorange' } }
      : { field: 'label', ...classColor };
    return {
      title: panelTitle, width: HEIGHT, height: HEIGHT,
      layer: [{ data: { values }, mark: { type: 'rect', opacity: probability ? 0.75 : 0.35 },
        encoding: { x, x2: { field: 'x2' }, y, y2: { field: 'y2' }, color: fill } }, pointLayer],
      ...(probability ? { resolve: { scale: { color: 'independent' } } } : {}),
    };
  };
  return { title, hconcat: panels.map(panelSpec), ...(probability ? { resolve: { scale: { color: 'independent' } } } : {}) };
}

function imagesSpec({ title, columns, size = 56, diverging = false, images }) {
  const values = [];
  images.forEach((image, k) => {
    const panel = `${k + 1}. ${image.title}`;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) values.push({ panel, x, y, v: image.pixels[y * image.width + x] });
    }
  });
  const peak = Math.max(1e-12, ...values.map((d) => Math.abs(d.v)));
  const color = diverging
    ? { field: 'v', type: 'quantitative', title: 'weight', scale: { scheme: 'redblue', reverse: true, domain: [-peak, peak] } }
    : { field: 'v', type: 'quantitative', legend: null, scale: { domain: [0, 1], range: ['#ffffff', '#000000'], clamp: true } };
  const axis = { axis: null };
  return {
    title, data: { values }, columns,
    facet: { field: 'panel', type: 'nominal', sort: images.map((image, k) => `${k + 1}. ${image.title}`), header: { title: null, labelFontSize: 11 } },
    spec: {
      width: size, height: size, mark: { type: 'rect' },
      encoding: { x: { field: 'x', type: 'ordinal', ...axis }, y: { field: 'y', type: 'ordinal', ...axis }, color },
    },
  };
}

const SPECS = { line: lineSpec, boundary: boundarySpec, images: imagesSpec };

/** Renders a vega-lite spec to an SVG string. */
export async function toSvg(spec) {
  const { spec: vegaSpec } = vl.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white', ...spec });
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Writes each chart of `charts` as `<dir>/<file>.svg`; returns the paths written.
 * @param {object[]} charts  chart descriptions (see the top of this file)
 * @param {string} dir
 */
export async function writeCharts(charts, dir) {
  mkdirSync(dir, { recursive: true });
  const written = [];
  for (const chart of charts) {
    const spec = SPECS[chart.kind](chart);
    const file = path.join(dir, `${chart.file}.svg`);
    writeFileSync(file, await toSvg(spec));
    written.push(file);
  }
  return written;
}
