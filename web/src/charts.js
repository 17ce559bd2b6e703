// Charts (Observable Plot, SVG). Every chart sits in a <figure data-chart=NAME>
// whose data-values attribute holds the plotted rows as JSON, so tests and
// curious users can read exactly what is drawn.
import * as Plot from '@observablehq/plot';

const WIDTH = 640;

function figure(name, title, plot, rows) {
  const fig = document.createElement('figure');
  fig.className = 'chart';
  fig.dataset.chart = name;
  fig.dataset.values = JSON.stringify(rows);
  const cap = document.createElement('figcaption');
  cap.textContent = title;
  fig.append(cap, plot);
  return fig;
}

// Parts of a whole per row (time or memory breakdowns), stacked horizontally.
// rows: [{row, part, value}]; rules: optional [{x, label}] (e.g. capacity).
export function stacked(name, title, rows, { unit, rules = [] } = {}) {
  const nonzero = rows.filter((r) => r.value > 0);
  const plot = Plot.plot({
    width: WIDTH,
    height: 60 + 34 * new Set(rows.map((r) => r.row)).size,
    marginLeft: 120,
    x: { label: unit, grid: true },
    y: { label: null },
    color: { legend: true, scheme: 'tableau10' },
    marks: [
      Plot.barX(nonzero, Plot.stackX({ y: 'row', x: 'value', fill: 'part', order: null, tip: true,
        title: (d) => `${d.part}: ${fmt(d.value)} ${unit}` })),
      Plot.ruleX(rules, { x: 'x', stroke: 'black', strokeDasharray: '4,3' }),
      Plot.text(rules, { x: 'x', text: 'label', frameAnchor: 'top', dy: 4, textAnchor: 'end', dx: -4 }),
      Plot.ruleX([0]),
    ],
  });
  return figure(name, title, plot, rows);
}

// One bar per row (comparisons). rows: [{label, value}].
export function bars(name, title, rows, { unit } = {}) {
  const plot = Plot.plot({
    width: WIDTH / 2 - 10,
    height: 50 + 30 * rows.length,
    marginLeft: 120,
    marginRight: 60,
    x: { label: unit, grid: true, tickFormat: '~s', ticks: 4 },
    y: { label: null },
    marks: [
      Plot.barX(rows, { y: 'label', x: 'value', fill: 'label', sort: { y: null } }),
      Plot.text(rows, { y: 'label', x: 'value', text: (d) => fmt(d.value), textAnchor: 'start', dx: 4 }),
      Plot.ruleX([0]),
    ],
  });
  return figure(name, title, plot, rows);
}

// Plans from a search: step time against memory per chip (the trade the
// search makes: recompute, ZeRO and more pipeline stages save memory at a
// cost in time); the Pareto front (no other plan both faster and lighter)
// is circled and joined.
export function pareto(name, title, points) {
  const front = paretoFront(points, 'step_time_s', 'memory_per_chip_gb');
  const plot = Plot.plot({
    width: WIDTH,
    height: 340,
    grid: true,
    x: { label: 'step time (s) →' },
    y: { label: '↑ memory per chip (GB)' },
    color: { legend: true, label: 'tp', type: 'ordinal', scheme: 'tableau10' },
    marks: [
      Plot.line(front, { x: 'step_time_s', y: 'memory_per_chip_gb', stroke: '#999', strokeWidth: 1.5 }),
      Plot.dot(points, { x: 'step_time_s', y: 'memory_per_chip_gb', fill: (d) => `tp${d.tp}`, r: 4, tip: true,
        title: (d) => `${d.label}\nstep ${fmt(d.step_time_s)} s, MFU ${(100 * d.mfu).toFixed(1)}%\n` +
          `${fmt(d.memory_per_chip_gb)} GB/chip, ${fmt(d.energy_per_token_j)} J/token` }),
      Plot.dot(front, { x: 'step_time_s', y: 'memory_per_chip_gb', r: 7, stroke: 'black', fill: 'none' }),
    ],
  });
  const fig = figure(name, title, plot, front);
  fig.dataset.points = JSON.stringify(points.map((p) => [p.step_time_s, p.memory_per_chip_gb]));
  return fig;
}

// Points not dominated in (a, b), both lower-is-better, sorted by a.
export function paretoFront(points, a, b) {
  const sorted = [...points].sort((p, q) => p[a] - q[a] || p[b] - q[b]);
  const front = [];
  let best = Infinity;
  for (const p of sorted) {
    if (p[b] < best) {
      front.push(p);
      best = p[b];
    }
  }
  return front;
}

// One line per ecosystem over the years. rows: [{year, ecosystem, [y]}].
export function lines(name, title, rows, y, unit) {
  const plot = Plot.plot({
    width: WIDTH / 2 - 10,
    height: 260,
    grid: true,
    x: { label: 'year', tickFormat: 'd' },
    y: { label: unit, tickFormat: '~s' },
    color: { legend: true },
    marks: [
      Plot.line(rows, { x: 'year', y, stroke: 'ecosystem', strokeDasharray: (d) => (d.extrapolated ? '4,3' : null) }),
      Plot.dot(rows, { x: 'year', y, fill: 'ecosystem', tip: true }),
    ],
  });
  return figure(name, title, plot, rows.map((r) => ({ year: r.year, ecosystem: r.ecosystem, [y]: r[y] })));
}

// Years behind per year, per chip and for the workload. rows: [{year, kind, years, bound}].
export function yearsBehind(name, title, rows) {
  const plot = Plot.plot({
    width: WIDTH,
    height: 260,
    x: { axis: null },
    fx: { label: 'year', tickFormat: 'd' },
    y: { label: 'years behind', grid: true },
    color: { legend: true },
    marks: [
      Plot.barY(rows, { fx: 'year', x: 'kind', y: 'years', fill: 'kind', tip: true,
        title: (d) => `${d.year} ${d.kind}: ${d.bound === 'exact' ? '' : `${d.bound.replace('_', ' ')} `}${d.years} years` }),
      Plot.ruleY([0]),
    ],
  });
  return figure(name, title, plot, rows);
}

// Throughput against latency over a batch sweep (serve's "curve"): output
// tokens/s per chip against time per output token, one dot per batch, the
// evaluated point circled and a TPOT limit as a dashed rule. points: the API's
// curve ({batch, tpot_s, ttft_s, tokens_per_s_per_chip, fits}); marked: the
// answer's {batch, tpot_s, tokens_per_s_per_chip}; sloMs: the TPOT limit or 0.
// data-values holds the drawn (fitting) points in ms, data-marked the marked
// one, data-slo-ms the limit.
export function throughputLatency(name, title, points, { marked, sloMs = 0 } = {}) {
  const rows = points.filter((p) => p.fits).map((p) => ({ batch: p.batch, tpot_ms: 1000 * p.tpot_s,
    ttft_ms: 1000 * p.ttft_s, tokens_per_s_per_chip: p.tokens_per_s_per_chip }));
  const mark = marked ? [{ batch: marked.batch, tpot_ms: 1000 * marked.tpot_s,
    tokens_per_s_per_chip: marked.tokens_per_s_per_chip, label: `batch ${marked.batch.toLocaleString('en-US')}` }] : [];
  const slo = sloMs > 0 ? [{ x: sloMs, label: `TPOT SLO ${fmt(sloMs)} ms` }] : [];
  const plot = Plot.plot({
    width: WIDTH,
    height: 320,
    grid: true,
    x: { label: 'time per output token (ms) →', zero: true },
    y: { label: '↑ output tokens/s per chip', zero: true },
    marks: [
      Plot.line(rows, { x: 'tpot_ms', y: 'tokens_per_s_per_chip', stroke: '#1f77b4', strokeWidth: 1.5 }),
      Plot.dot(rows, { x: 'tpot_ms', y: 'tokens_per_s_per_chip', fill: '#1f77b4', r: 3, tip: true,
        title: (d) => `batch ${d.batch.toLocaleString('en-US')}\nTPOT ${fmt(d.tpot_ms)} ms, TTFT ${fmt(d.ttft_ms)} ms\n` +
          `${fmt(d.tokens_per_s_per_chip)} tokens/s per chip` }),
      Plot.ruleX(slo, { x: 'x', stroke: '#b00020', strokeDasharray: '4,3' }),
      Plot.text(slo, { x: 'x', text: 'label', frameAnchor: 'bottom', dy: -6, textAnchor: 'start', dx: 4, fill: '#b00020' }),
      Plot.dot(mark, { x: 'tpot_ms', y: 'tokens_per_s_per_chip', r: 7, stroke: 'black', strokeWidth: 2, fill: 'none' }),
      Plot.text(mark, { x: 'tpot_ms', y: 'tokens_per_s_per_chip', text: 'label', dy: 14, dx: 6, textAnchor: 'start', fill: 'black',
        stroke: 'white', strokeWidth: 3, paintOrder: 'stroke' }),
    ],
  });
  const fig = figure(name, title, plot, rows);
  if (mark.length) fig.dataset.marked = JSON.stringify(mark[0]);
  fig.dataset.sloMs = String(sloMs > 0 ? sloMs : 0);
  return fig;
}

// Numbers for people: 3 significant digits, thousands separators, M/G/T above a million.
export function fmt(v, digits = 3) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v ?? '–');
  const a = Math.abs(v);
  if (a >= 1e12) return `${(v / 1e12).toPrecision(digits)} T`;
  if (a >= 1e9) return `${(v / 1e9).toPrecision(digits)} G`;
  if (a >= 1e6) return `${(v / 1e6).toPrecision(digits)} M`;
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a === 0) return '0';
  return Number(v.toPrecision(digits)).toString();
}
