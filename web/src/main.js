// xpusim ui: inputs on the left, the chosen view on the right; every input
// change re-runs the view's commands through the JSON API (debounced, the
// previous request cancelled) and redraws its numbers and charts.
import './style.css';
import { call, get } from './api.js';
import { bars, fmt, lines, pareto, stacked, throughputLatency, yearsBehind } from './charts.js';

const state = {
  tab: 'train',
  model: 'llama3-70b',
  system: 'dgx-h100',
  chips: 1024,
  global_batch: '',
  seq: '',
  precision: 'bf16',
  search: true,
  tp: '',
  pp: '',
  compare: ['dgx-h100', 'gb200-nvl72', 'mi300x-oam8'],
  input_len: 2000,
  output_len: 500,
  batch: '',
  weights: 'bf16',
  kv: 'bf16',
  tpot_slo_ms: '',
  ttft_slo_ms: '',
  ep_overlap: false,
  balanced_routing: false,
  prefix_cache_hit: '',
  draft_tokens: '',
  disagg: 'off',
  prefill_chips: '',
  decode_chips: '',
  prefill_tp: '',
  prefill_ep: '',
  decode_tp: '',
  decode_ep: '',
  tokens: '15e12',
  scenario: '',
  from: 2024,
  to: 2030,
  extra: '{}',
};
let catalog = { models: [], systems: [], chips: [] };
let commands = [];
let scenarios = [];

const TABS = [
  { id: 'train', label: 'Train', needs: 'train' },
  { id: 'compare', label: 'Compare systems', needs: 'match' },
  { id: 'serve', label: 'Serve', needs: 'serve' },
  { id: 'outlook', label: 'Outlook', needs: 'outlook' },
  { id: 'plan', label: 'Fleet plan', needs: 'plan' },
];

// Inputs per view: state keys (FIELDS), and { group, hint } to start a
// titled group of the keys that follow.
const searching = () => state.batch === '';
const INPUTS = {
  train: ['model', 'system', 'chips', 'global_batch', 'seq', 'precision', 'search', 'tp', 'pp', 'tokens'],
  compare: ['model', 'compare', 'chips', 'global_batch', 'seq', 'precision', 'tokens'],
  serve: ['model', 'system', 'chips', 'input_len', 'output_len', 'batch',
    { group: 'Latency targets (SLOs)', hint: 'With a blank batch the search keeps to them; with a batch they are only compared.' },
    'tpot_slo_ms', 'ttft_slo_ms',
    { group: 'Formats and serving stack' },
    'weights', 'kv', 'prefix_cache_hit', 'draft_tokens', 'ep_overlap', 'balanced_routing',
    { group: 'Disaggregated prefill / decode', hint: 'Prompts on one pool of chips, generation on another; the KV cache crosses the network.' },
    'disagg', 'prefill_chips', 'decode_chips', 'prefill_tp', 'prefill_ep', 'decode_tp', 'decode_ep'],
  outlook: ['model', 'chips', 'tokens', 'from', 'to'],
  plan: ['scenario'],
};
const FIELDS = {
  model: { label: 'Model', kind: 'select', options: () => catalog.models.map((m) => [m.id, `${m.id} (${fmt(m.total_params / 1e9)}B)`]) },
  system: { label: 'System', kind: 'select', options: () => catalog.systems.map((s) => [s.id, `${s.id} (${s.chip})`]) },
  compare: { label: 'Systems to compare', kind: 'multi', options: () => catalog.systems.map((s) => [s.id, s.id]) },
  chips: { label: 'Chips', kind: 'number', min: 1, max: 1000000,
    show: () => state.tab !== 'serve' || state.disagg !== 'pd' },
  global_batch: { label: 'Global batch (sequences; blank: ~4M tokens)', kind: 'number', min: 1 },
  seq: { label: 'Sequence length (blank: default)', kind: 'number', min: 1 },
  precision: { label: 'Precision', kind: 'select', options: () => ['bf16', 'fp16', 'fp8'].map((p) => [p, p]) },
  search: { label: 'Search the best parallel plan', kind: 'check' },
  tp: { label: 'TP (without search)', kind: 'number', min: 1 },
  pp: { label: 'PP (without search)', kind: 'number', min: 1 },
  tokens: { label: 'Training tokens (days, MWh, cost)', kind: 'text' },
  input_len: { label: 'Prompt tokens', kind: 'number', min: 1 },
  output_len: { label: 'Output tokens', kind: 'number', min: 1 },
  batch: { label: 'Batch in flight (blank: search)', kind: 'number', min: 1 },
  weights: { label: 'Weights', kind: 'select', options: () => ['bf16', 'fp8', 'int8', 'int4', 'fp4'].map((p) => [p, p]) },
  kv: { label: 'KV cache', kind: 'select', options: () => ['bf16', 'fp8', 'int8'].map((p) => [p, p]) },
  tpot_slo_ms: { label: 'Time per output token at most (ms; blank: no limit)', kind: 'number', min: 0, step: 'any' },
  ttft_slo_ms: { label: 'Time to first token at most (ms; blank: no limit)', kind: 'number', min: 0, step: 'any' },
  prefix_cache_hit: { label: 'Prompt share from a prefix cache (0 to 0.99)', kind: 'number', min: 0, max: 0.99, step: 0.05 },
  draft_tokens: { label: 'Draft tokens per decode step (MTP / speculative, 0 to 8)', kind: 'number', min: 0, max: 8 },
  ep_overlap: { label: 'Hide the EP all-to-all behind the other micro-batch (MoE)', kind: 'check' },
  balanced_routing: { label: 'Perfectly balanced expert load (MoE)', kind: 'check' },
  disagg: { label: 'Pools', kind: 'select', rerender: true,
    options: () => [['off', 'off: one pool does both'], ['pd', 'P:D: chips of each pool'], ['auto', 'auto: search the split (blank batch)']],
    set: (v) => {
      // Start P:D from the chips of one pool: a quarter for prefill.
      if (v === 'pd' && state.prefill_chips === '' && state.decode_chips === '') {
        const total = Math.max(2, Number(state.chips) || 2);
        state.prefill_chips = Math.max(1, Math.round(total / 4));
        state.decode_chips = total - state.prefill_chips;
      }
    } },
  prefill_chips: { label: 'Prefill chips (P)', kind: 'number', min: 1, max: 1000000, show: () => state.disagg === 'pd' },
  decode_chips: { label: 'Decode chips (D)', kind: 'number', min: 1, max: 1000000, show: () => state.disagg === 'pd' },
  prefill_tp: { label: 'Prefill pool tp (blank: smallest that fits)', kind: 'number', min: 1, ...poolLayout() },
  prefill_ep: { label: 'Prefill pool ep (blank: 1)', kind: 'number', min: 1, ...poolLayout() },
  decode_tp: { label: 'Decode pool tp (blank: smallest that fits)', kind: 'number', min: 1, ...poolLayout() },
  decode_ep: { label: 'Decode pool ep (blank: 1)', kind: 'number', min: 1, ...poolLayout() },
  extra: { label: 'More flags (JSON object)', kind: 'textarea' },
  scenario: { label: 'Scenario (examples/plan-*.yaml)', kind: 'select', options: () => scenarios.map((n) => [n, n]) },
  from: { label: 'First year', kind: 'number', min: 2000, max: 2100 },
  to: { label: 'Last year', kind: 'number', min: 2000, max: 2100 },
};

// Each pool's layout is set with P:D and a batch; the search (blank batch)
// chooses it.
function poolLayout() {
  return { show: () => state.disagg === 'pd', enabled: () => !searching(), disabledHint: 'searched: give a batch to set it' };
}

const $ = (sel) => document.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children.filter((c) => c != null));
  return e;
};
const num = (v) => (v === '' ? '' : Number(v));

function setStatus(text, error = false) {
  const s = $('#status');
  s.textContent = text;
  s.className = error ? 'error' : '';
}

// ---- inputs ---------------------------------------------------------------

function renderTabs() {
  const nav = $('#tabs');
  nav.replaceChildren(...TABS.filter((t) => commands.includes(t.needs)).map((t) => {
    const b = el('button', { textContent: t.label, role: 'tab', id: `tab-${t.id}` });
    b.setAttribute('aria-selected', String(t.id === state.tab));
    b.addEventListener('click', () => { state.tab = t.id; renderTabs(); renderInputs(); schedule(0); });
    return b;
  }));
}

function renderInputs() {
  const form = el('form', { id: 'form' });
  form.addEventListener('submit', (e) => e.preventDefault());
  let box = form;
  for (const item of INPUTS[state.tab]) {
    if (typeof item === 'object') {
      box = el('fieldset', {}, el('legend', { textContent: item.group }),
        item.hint ? el('p', { className: 'hint', textContent: item.hint }) : null);
      form.append(box);
      continue;
    }
    box.append(renderField(item));
  }
  $('#inputs').replaceChildren(form);
  refreshFields();
}

function renderField(key) {
  const f = FIELDS[key];
  let input;
  if (f.kind === 'select') {
    input = el('select', { name: key }, ...f.options().map(([v, t]) => el('option', { value: v, textContent: t })));
    input.value = state[key];
  } else if (f.kind === 'multi') {
    input = el('select', { name: key, multiple: true, size: 8 },
      ...f.options().map(([v, t]) => el('option', { value: v, textContent: t, selected: state[key].includes(v) })));
  } else if (f.kind === 'check') {
    input = el('input', { name: key, type: 'checkbox', checked: state[key] });
  } else if (f.kind === 'textarea') {
    input = el('textarea', { name: key, rows: 4, value: state[key] });
  } else {
    input = el('input', { name: key, type: f.kind, value: state[key] });
    for (const attr of ['min', 'max', 'step']) if (f[attr] != null) input[attr] = f[attr];
  }
  input.id = `in-${key}`;
  const onChange = () => {
    if (f.kind === 'multi') state[key] = [...input.selectedOptions].map((o) => o.value);
    else if (f.kind === 'check') state[key] = input.checked;
    else if (f.kind === 'number') state[key] = num(input.value);
    else state[key] = input.value;
    f.set?.(state[key]);
    if (f.rerender) renderInputs();
    else refreshFields();
    schedule();
  };
  input.addEventListener('change', onChange);
  if (f.kind === 'number' || f.kind === 'text') input.addEventListener('input', onChange);
  const label = el('label', { htmlFor: input.id, textContent: f.label });
  return el('div', { className: `field ${f.kind}`, id: `field-${key}` }, label, input,
    f.disabledHint ? el('small', { className: 'hint', textContent: f.disabledHint }) : null);
}

// Shows, hides, enables and disables the fields whose predicates depend on
// other inputs (disaggregation on, batch blank), without rebuilding the form.
function refreshFields() {
  for (const key of INPUTS[state.tab]) {
    const f = typeof key === 'string' ? FIELDS[key] : null;
    if (!f || !(f.show || f.enabled)) continue;
    const box = document.getElementById(`field-${key}`);
    if (!box) continue;
    box.hidden = f.show ? !f.show() : false;
    const on = f.enabled ? f.enabled() : true;
    box.querySelector('input, select').disabled = !on;
    box.querySelector('small.hint')?.toggleAttribute('hidden', on);
  }
}

// ---- running --------------------------------------------------------------

let timer = null;
let inflight = null;
let generation = 0;

function schedule(delay = 300) {
  clearTimeout(timer);
  timer = setTimeout(update, delay);
}

async function update() {
  inflight?.abort();
  inflight = new AbortController();
  const gen = ++generation;
  const view = $('#view');
  view.setAttribute('aria-busy', 'true');
  setStatus('computing…');
  const t0 = performance.now();
  try {
    const content = await VIEWS[state.tab](inflight.signal);
    if (gen !== generation) return;
    view.replaceChildren(...content.filter(Boolean));
    view.dataset.updates = String(Number(view.dataset.updates || 0) + 1);
    setStatus(`updated in ${Math.round(performance.now() - t0)} ms`);
  } catch (e) {
    if (e.name === 'AbortError' || gen !== generation) return;
    view.replaceChildren(el('p', { className: 'error', id: 'error', textContent: e.message }));
    view.dataset.updates = String(Number(view.dataset.updates || 0) + 1);
    setStatus(e.message, true);
  } finally {
    if (gen === generation) view.removeAttribute('aria-busy');
  }
}

function trainFlags() {
  const f = { model: state.model, system: state.system, chips: state.chips, global_batch: state.global_batch,
    seq: state.seq, precision: state.precision, tokens: state.tokens };
  if (state.search) Object.assign(f, { search: true, top: 60 });
  else Object.assign(f, { tp: state.tp, pp: state.pp });
  return f;
}

// items: [id, label, value, unit, extra element under the value].
function kpis(items) {
  return el('dl', { className: 'kpis' }, ...items.map(([id, label, value, unit, extra]) =>
    el('div', { className: 'kpi' }, el('dt', { textContent: label }),
      el('dd', { id: `kpi-${id}`, textContent: value }, unit ? el('small', { textContent: ` ${unit}` }) : null), extra)));
}

const parts = (row, obj, skip = ['total']) =>
  Object.entries(obj).filter(([k]) => !skip.includes(k)).map(([part, value]) => ({ row, part: part.replaceAll('_', ' '), value }));

const layoutLabel = (p) => `tp${p.tp} pp${p.pp} dp${p.dp} ep${p.ep}`;

// "≤ 50 ms SLO" (met) or "> 50 ms SLO" (missed) under a latency, when a limit is given.
function sloMark(id, seconds, limitMs) {
  if (limitMs === '' || !(limitMs > 0)) return null;
  const ok = 1000 * seconds <= limitMs;
  return el('div', { className: `slo ${ok ? 'met' : 'missed'}`, id: `slo-${id}`,
    textContent: `${ok ? '≤' : '>'} ${fmt(limitMs)} ms SLO ${ok ? '(met)' : '(missed)'}` });
}

// The serve request of the inputs, after the page's own checks (the server
// checks again: src/web/request_check.cc, then the CLI).
function serveFlags() {
  const problem = serveProblem();
  if (problem) throw new Error(problem);
  const f = { model: state.model, system: state.system, input_len: state.input_len, output_len: state.output_len,
    weights: state.weights, kv: state.kv, prefix_cache_hit: state.prefix_cache_hit || '',
    draft_tokens: state.draft_tokens || '', ep_overlap: state.ep_overlap, balanced_routing: state.balanced_routing };
  if (searching()) Object.assign(f, { search: true, tpot_slo_ms: state.tpot_slo_ms, ttft_slo_ms: state.ttft_slo_ms });
  else f.batch = state.batch;
  if (state.disagg === 'pd') {
    f.disagg = `${state.prefill_chips}:${state.decode_chips}`;
    if (!searching()) {
      for (const k of ['prefill_tp', 'prefill_ep', 'decode_tp', 'decode_ep']) f[k] = state[k];
    }
  } else {
    f.chips = state.chips;
    if (state.disagg === 'auto') f.disagg = 'auto';
  }
  return f;
}

// What is wrong with the serve inputs, in the words of the form; '' if nothing.
function serveProblem() {
  const bad = (key, v, { min = 1, max = Infinity, whole = true, below = false } = {}) => {
    if (v === '') return '';
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || (below ? n >= max : n > max) || (whole && !Number.isInteger(n))) {
      const range = max === Infinity ? `${whole ? 'a whole number ' : 'a number '}≥ ${min}` : `${min} to ${below ? 'below ' : ''}${max}`;
      return `${FIELDS[key].label}: must be ${range} (got ${v})`;
    }
    return '';
  };
  const checks = [
    bad('input_len', state.input_len), bad('output_len', state.output_len), bad('batch', state.batch),
    bad('tpot_slo_ms', state.tpot_slo_ms, { min: 0, whole: false }), bad('ttft_slo_ms', state.ttft_slo_ms, { min: 0, whole: false }),
    bad('prefix_cache_hit', state.prefix_cache_hit, { min: 0, max: 1, whole: false, below: true }),
    bad('draft_tokens', state.draft_tokens, { min: 0, max: 8 }),
  ];
  if (state.input_len === '' || state.output_len === '') checks.push('give the prompt and output tokens');
  if (state.disagg === 'pd') {
    checks.push(bad('prefill_chips', state.prefill_chips), bad('decode_chips', state.decode_chips));
    if (state.prefill_chips === '' || state.decode_chips === '') checks.push('P:D pools: give the prefill and the decode chips');
    if (!searching()) for (const k of ['prefill_tp', 'prefill_ep', 'decode_tp', 'decode_ep']) checks.push(bad(k, state[k]));
  } else {
    checks.push(bad('chips', state.chips));
    if (state.chips === '') checks.push('give the number of chips');
  }
  if (state.disagg === 'auto' && !searching())
    checks.push('an automatic P:D split is searched: clear the batch, or choose P:D pools');
  if (state.disagg === 'auto' && Number(state.chips) < 2) checks.push('an automatic P:D split needs at least 2 chips');
  return checks.find(Boolean) || '';
}

const planLabel = (p) => `tp${p.tp} pp${p.pp} dp${p.dp} cp${p.cp}${p.ep > 1 ? ` ep${p.ep}` : ''} zero${p.zero} ${p.recompute}`;

// ---- views ----------------------------------------------------------------

const VIEWS = {
  async train(signal) {
    const r = await call('train', trainFlags(), signal);
    const p = r.parallel;
    const out = [
      el('h2', { textContent: `${r.model} on ${r.chips.toLocaleString('en-US')} × ${r.chip} (${r.system})` }),
      el('p', { className: 'plan', id: 'plan', textContent: `plan: ${planLabel(p)}, ${p.schedule}, global batch ${p.global_batch}, sequence ${r.seq_len}` }),
      kpis([
        ['step-time', 'Step time', fmt(r.step_time_s), 's'],
        ['tokens-per-s', 'Throughput', fmt(r.tokens_per_s), 'tokens/s'],
        ['mfu', 'MFU', (100 * r.mfu).toFixed(1), '%'],
        ['memory', 'Memory per chip', `${fmt(r.memory_per_chip_gb)} / ${fmt(r.memory_capacity_gb)}`, 'GB'],
        ['power', 'Cluster power', fmt(r.cluster_power_kw), 'kW'],
        ['energy', 'Energy per token', fmt(r.energy_per_token_j), 'J'],
        ...(r.train_days ? [['days', 'Time to train', fmt(r.train_days), 'days'], ['cost', 'Cost', fmt(r.cost_usd), 'USD']] : []),
      ]),
      r.fits ? null : el('p', { className: 'error', textContent: 'Does not fit in memory.' }),
      stacked('time', 'Time per step, by part', parts('step', r.time_breakdown_s), { unit: 's' }),
      stacked('memory', 'Memory per chip, by part', parts('chip', r.memory_breakdown_gb),
        { unit: 'GB', rules: [{ x: r.memory_capacity_gb, label: 'capacity' }] }),
    ];
    if (r.search?.top?.length) {
      const pts = r.search.top.map((t) => ({ ...t, label: planLabel(t) }));
      out.push(pareto('pareto', `Plans found (${r.search.evaluated.toLocaleString('en-US')} evaluated): Pareto front of step time and memory per chip`, pts));
    }
    return out;
  },

  async compare(signal) {
    const systems = state.compare.slice(0, 6);
    if (!systems.length) throw new Error('pick at least one system to compare');
    const base = { model: state.model, chips: state.chips, global_batch: state.global_batch, seq: state.seq,
      precision: state.precision, search: true, top: 1 };
    const runs = await Promise.all(systems.map((s) => call('train', { ...base, system: s }, signal)));
    const matches = await Promise.all(systems.slice(1).map((s) => call('match', {
      reference: `${systems[0]}:${state.chips}`, candidate: s, model: state.model, tokens: state.tokens,
      global_batch: state.global_batch, seq: state.seq, precision: state.precision }, signal)));
    const row = (r) => `${r.system}`;
    const out = [
      el('h2', { textContent: `${state.model} on ${state.chips.toLocaleString('en-US')} chips of each system (best plan each)` }),
      el('div', { className: 'grid' },
        bars('cmp-tokens', 'Throughput (tokens/s)', runs.map((r) => ({ label: row(r), value: r.tokens_per_s })), { unit: 'tokens/s' }),
        bars('cmp-mfu', 'MFU (%)', runs.map((r) => ({ label: row(r), value: 100 * r.mfu })), { unit: '%' }),
        bars('cmp-power', 'Cluster power (kW)', runs.map((r) => ({ label: row(r), value: r.cluster_power_kw })), { unit: 'kW' }),
        bars('cmp-energy', 'Energy per token (J)', runs.map((r) => ({ label: row(r), value: r.energy_per_token_j })), { unit: 'J' })),
      stacked('cmp-time', 'Time per step, by part', runs.flatMap((r) => parts(row(r), r.time_breakdown_s)), { unit: 's' }),
      stacked('cmp-memory', 'Memory per chip, by part', runs.flatMap((r) => parts(row(r), r.memory_breakdown_gb)), { unit: 'GB' }),
    ];
    if (matches.length) {
      const ref = matches[0].reference;
      const eq = [{ label: ref.system, chips: ref.chips, mw: ref.power_mw, cost: ref.cost_usd, days: ref.train_days },
        ...matches.map((m) => ({ label: m.candidate.system, chips: m.candidate_chips, mw: m.candidate.power_mw,
          cost: m.candidate.cost_usd, days: m.candidate.train_days }))];
      out.push(el('h3', { textContent: `Equivalent fleets: as fast as ${ref.chips.toLocaleString('en-US')} × ${ref.system} (${fmt(ref.train_days)} days for ${fmt(matches[0].tokens)} tokens)` }),
        el('div', { className: 'grid' },
          bars('eq-chips', 'Chips for the same time to train', eq.map((e) => ({ label: e.label, value: e.chips })), { unit: 'chips' }),
          bars('eq-mw', 'Facility power (MW)', eq.map((e) => ({ label: e.label, value: e.mw })), { unit: 'MW' }),
          bars('eq-cost', 'Cost of the run (USD)', eq.map((e) => ({ label: e.label, value: e.cost })), { unit: 'USD' }),
          bars('eq-days', 'Days to train', eq.map((e) => ({ label: e.label, value: e.days })), { unit: 'days' })));
    }
    return out;
  },

  async serve(signal) {
    const r = await call('serve', { ...serveFlags(), curve: true }, signal);
    const d = r.disagg;
    const limit = d && /limited by the (\w+)/.exec(r.note || '')?.[1];
    const capacity = [{ x: r.memory_capacity_gb, label: 'capacity' }];
    // One pool's card; data-layout holds its chips and degrees for tests.
    const pool = (name, chips, p, what, memoryGb) => {
      const box = el('div', { className: `pool${limit === name ? ' limits' : ''}`, id: `pool-${name}` },
        el('h3', { textContent: `${name[0].toUpperCase()}${name.slice(1)} pool: ${chips.toLocaleString('en-US')} chips` },
          limit === name ? el('span', { className: 'badge', textContent: 'limits throughput' }) : null),
        el('p', { className: 'plan', textContent: layoutLabel(p) }), el('p', { textContent: what }),
        el('p', { id: `pool-${name}-memory`, textContent: `${fmt(memoryGb)} of ${fmt(r.memory_capacity_gb)} GB per chip` }));
      box.dataset.layout = JSON.stringify({ chips, ...p });
      return box;
    };
    // The batch sweep of `serve --plot`: the deployment's layout (each
    // pool's) fixed, the batch (the decode pool's) varied.
    const curve = r.curve || [];
    const end = curve.length && !curve[curve.length - 1].fits ? curve[curve.length - 1].batch : null;
    const curveTitle = `Throughput against latency over batch sizes (${d ? 'decode pool\'s batch; per chip of both pools' : 'layout fixed'})` +
      (end ? `; batch ${end.toLocaleString('en-US')} and more do not fit` : '');
    return [
      el('h2', { textContent: d
        ? `Serving ${r.model} on ${d.prefill_chips.toLocaleString('en-US')} + ${d.decode_chips.toLocaleString('en-US')} × ${r.chip} (${r.system}), prefill and decode on separate pools`
        : `Serving ${r.model} on ${r.chips.toLocaleString('en-US')} × ${r.chip} (${r.system})` }),
      d ? el('div', { className: 'pools', id: 'pools' },
        pool('prefill', d.prefill_chips, d.prefill_parallel, `prompts at ${fmt(r.prefill_tokens_per_s_per_chip)} tokens/s per chip`,
          d.prefill_memory_per_chip_gb),
        pool('decode', d.decode_chips, d.decode_parallel,
          `batch ${r.batch.toLocaleString('en-US')} of at most ${r.max_batch.toLocaleString('en-US')}; ${fmt(r.decode_tokens_per_s_per_chip)} output tokens/s per chip`,
          d.decode_memory_per_chip_gb))
        : el('p', { className: 'plan', id: 'plan', textContent: `${layoutLabel(r.parallel)}, batch ${r.batch} of at most ${r.max_batch}` }),
      r.note ? el('p', { className: 'note', id: 'note', textContent: r.note }) : null,
      kpis([
        ['ttft', 'Time to first token', fmt(1000 * r.ttft_s), 'ms', sloMark('ttft', r.ttft_s, state.ttft_slo_ms)],
        ['tpot', 'Time per output token', fmt(1000 * r.tpot_s), 'ms', sloMark('tpot', r.tpot_s, state.tpot_slo_ms)],
        ['tokens-per-s', 'Throughput', fmt(r.tokens_per_s), 'tokens/s'],
        ['per-chip', d ? 'Per chip (both pools)' : 'Per chip', fmt(r.tokens_per_s_per_chip), 'tokens/s'],
        ['energy', 'Energy per token', fmt(r.energy_per_token_j), 'J'],
        ['cost', 'Cost', fmt(r.cost_per_mtok_usd), 'USD/Mtok'],
      ]),
      curve.some((p) => p.fits) ? throughputLatency('serve-curve', curveTitle, curve,
        { marked: r, sloMs: Number(state.tpot_slo_ms) || 0 }) : null,
      stacked('serve-steps', d ? 'Step time, by part (one prefill step of the prefill pool, one decode step of the decode pool)'
        : 'Step time, by part (one prefill step, one decode step)',
      [...parts('prefill', r.prefill_step_breakdown_s), ...parts('decode', r.decode_step_breakdown_s)], { unit: 's' }),
      ...(d ? [
        stacked('memory-prefill', `Memory per chip of the prefill pool (${d.prefill_chips.toLocaleString('en-US')} chips, ${layoutLabel(d.prefill_parallel)}), by part`,
          parts('prefill pool', d.prefill_memory_breakdown_gb), { unit: 'GB', rules: capacity }),
        stacked('memory-decode', `Memory per chip of the decode pool (${d.decode_chips.toLocaleString('en-US')} chips, ${layoutLabel(d.decode_parallel)}), by part`,
          parts('decode pool', r.memory_breakdown_gb), { unit: 'GB', rules: capacity }),
      ] : [
        stacked('memory', 'Memory per chip, by part', parts('chip', r.memory_breakdown_gb), { unit: 'GB', rules: capacity }),
      ]),
    ];
  },

  async outlook(signal) {
    const r = await call('outlook', { model: state.model, chips: state.chips, tokens: state.tokens,
      from: state.from, to: state.to }, signal);
    const rows = r.series.flatMap((s) => s.years.map((y) => ({ ...y, ecosystem: s.id })));
    const gap = r.years_behind.flatMap((y) => [
      { year: y.year, kind: 'per chip', years: y.per_chip?.years ?? null, bound: y.per_chip?.kind },
      { year: y.year, kind: 'workload', years: y.workload?.years ?? null, bound: y.workload?.kind }])
      .filter((g) => g.years !== null);
    return [
      el('h2', { textContent: `Outlook ${r.first_year}–${r.last_year}: ${r.leader} and ${r.follower}` }),
      el('div', { className: 'grid' },
        lines('outlook-eflops', 'Installed compute (BF16 EFLOPS)', rows, 'installed_bf16_eflops', 'EFLOPS'),
        lines('outlook-power', 'Facility power (GW)', rows, 'power_gw', 'GW')),
      gap.length ? yearsBehind('outlook-gap', `Years ${r.follower} is behind ${r.leader}`, gap) : null,
      r.notes?.length ? el('ul', {}, ...r.notes.map((n) => el('li', { textContent: n }))) : null,
      el('details', {}, el('summary', { textContent: 'JSON' }), el('pre', { textContent: JSON.stringify(r, null, 2) })),
    ];
  },

  async plan(signal) {
    if (!state.scenario) throw new Error('no bundled plan scenarios (examples/plan-*.yaml) on this server');
    const r = await call('plan', { scenario: state.scenario }, signal);
    const t = r.totals || {};
    return [
      el('h2', { textContent: r.scenario }),
      el('p', { className: 'plan', id: 'plan', textContent: `status: ${r.status}; objective ${r.objective_name} = ${fmt(r.objective)}` }),
      kpis(r.workload === 'serve' ? [
        ['chips', 'Chips', fmt(t.chips)], ['tokens', 'Output tokens/s', fmt(t.tokens_per_s)],
        ['mw', 'Site power', fmt(t.site_mw), 'MW'], ['capex', 'Capex', fmt(t.capex_usd), 'USD'],
        ['mtok', 'Cost per million tokens', fmt(t.cost_per_mtok_usd), 'USD'],
      ] : [
        ['chips', 'Chips', fmt(t.chips)], ['days', 'Days to train', fmt(t.train_days)],
        ['mw', 'Site power', fmt(t.site_mw), 'MW'], ['capex', 'Capex', fmt(t.capex_usd), 'USD'],
        ['cost', 'Total cost', fmt(t.total_cost_usd), 'USD'],
      ]),
      r.fleet?.length ? bars('plan-fleet', 'Chips per system in the chosen fleet', r.fleet.map((f) => ({ label: f.system, value: f.chips })), { unit: 'chips' }) : null,
      r.binding_constraints?.length ? bars('plan-limits', 'Limits used (% of each)', r.binding_constraints.filter((c) => c.limit)
        .map((c) => ({ label: c.name, value: 100 * c.used / c.limit })), { unit: '%' }) : null,
      el('details', {}, el('summary', { textContent: 'JSON' }), el('pre', { textContent: JSON.stringify(r, null, 2) })),
    ];
  },
};

// ---- start ----------------------------------------------------------------

async function start() {
  try {
    const [cmds, chips, systems, models] = await Promise.all([
      get('commands'), get('catalog/chips'), get('catalog/systems'), get('catalog/models')]);
    commands = cmds.commands;
    if (commands.includes('plan')) {
      scenarios = (await get('scenarios')).scenarios;
      state.scenario = scenarios[0] || '';
    }
    catalog = { chips: chips.chips, systems: systems.systems, models: models.models };
  } catch (e) {
    setStatus(`cannot reach the xpusim API: ${e.message}`, true);
    return;
  }
  const ids = new Set(catalog.systems.map((s) => s.id));
  state.compare = state.compare.filter((s) => ids.has(s));
  if (!ids.has(state.system)) state.system = catalog.systems[0]?.id;
  if (!catalog.models.some((m) => m.id === state.model)) state.model = catalog.models[0]?.id;
  renderTabs();
  renderInputs();
  schedule(0);
}

start();
