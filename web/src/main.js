// xpusim ui: inputs on the left, the chosen view on the right; every input
// change re-runs the view's commands through the JSON API (debounced, the
// previous request cancelled) and redraws its numbers and charts.
import './style.css';
import { call, get } from './api.js';
import { bars, fmt, lines, pareto, stacked, yearsBehind } from './charts.js';

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

// Inputs per view: [state key, label, kind, options].
const INPUTS = {
  train: ['model', 'system', 'chips', 'global_batch', 'seq', 'precision', 'search', 'tp', 'pp', 'tokens'],
  compare: ['model', 'compare', 'chips', 'global_batch', 'seq', 'precision', 'tokens'],
  serve: ['model', 'system', 'chips', 'input_len', 'output_len', 'batch', 'weights'],
  outlook: ['model', 'chips', 'tokens', 'from', 'to'],
  plan: ['scenario'],
};
const FIELDS = {
  model: { label: 'Model', kind: 'select', options: () => catalog.models.map((m) => [m.id, `${m.id} (${fmt(m.total_params / 1e9)}B)`]) },
  system: { label: 'System', kind: 'select', options: () => catalog.systems.map((s) => [s.id, `${s.id} (${s.chip})`]) },
  compare: { label: 'Systems to compare', kind: 'multi', options: () => catalog.systems.map((s) => [s.id, s.id]) },
  chips: { label: 'Chips', kind: 'number', min: 1, max: 1000000 },
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
  extra: { label: 'More flags (JSON object)', kind: 'textarea' },
  scenario: { label: 'Scenario (examples/plan-*.yaml)', kind: 'select', options: () => scenarios.map((n) => [n, n]) },
  from: { label: 'First year', kind: 'number', min: 2000, max: 2100 },
  to: { label: 'Last year', kind: 'number', min: 2000, max: 2100 },
};

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
  for (const key of INPUTS[state.tab]) {
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
      if (f.min) input.min = f.min;
      if (f.max) input.max = f.max;
    }
    input.id = `in-${key}`;
    const onChange = () => {
      if (f.kind === 'multi') state[key] = [...input.selectedOptions].map((o) => o.value);
      else if (f.kind === 'check') state[key] = input.checked;
      else if (f.kind === 'number') state[key] = num(input.value);
      else state[key] = input.value;
      schedule();
    };
    input.addEventListener('change', onChange);
    if (f.kind === 'number' || f.kind === 'text') input.addEventListener('input', onChange);
    const label = el('label', { htmlFor: input.id, textContent: f.label });
    form.append(el('div', { className: `field ${f.kind}` }, label, input));
  }
  $('#inputs').replaceChildren(form);
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

function kpis(items) {
  return el('dl', { className: 'kpis' }, ...items.flatMap(([id, label, value, unit]) => [
    el('div', { className: 'kpi' }, el('dt', { textContent: label }),
      el('dd', { id: `kpi-${id}`, textContent: value }, unit ? el('small', { textContent: ` ${unit}` }) : null)),
  ]));
}

const parts = (row, obj, skip = ['total']) =>
  Object.entries(obj).filter(([k]) => !skip.includes(k)).map(([part, value]) => ({ row, part: part.replaceAll('_', ' '), value }));

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
    const flags = { model: state.model, system: state.system, chips: state.chips, input_len: state.input_len,
      output_len: state.output_len, weights: state.weights };
    if (state.batch === '') flags.search = true;
    else flags.batch = state.batch;
    const r = await call('serve', flags, signal);
    const p = r.parallel;
    return [
      el('h2', { textContent: `Serving ${r.model} on ${r.chips} × ${r.chip} (${r.system})` }),
      el('p', { className: 'plan', id: 'plan', textContent: `tp${p.tp} pp${p.pp} dp${p.dp} ep${p.ep}, batch ${r.batch} of at most ${r.max_batch}${r.note ? ` — ${r.note}` : ''}` }),
      kpis([
        ['ttft', 'Time to first token', fmt(1000 * r.ttft_s), 'ms'],
        ['tpot', 'Time per output token', fmt(1000 * r.tpot_s), 'ms'],
        ['tokens-per-s', 'Throughput', fmt(r.tokens_per_s), 'tokens/s'],
        ['per-chip', 'Per chip', fmt(r.tokens_per_s_per_chip), 'tokens/s'],
        ['energy', 'Energy per token', fmt(r.energy_per_token_j), 'J'],
        ['cost', 'Cost', fmt(r.cost_per_mtok_usd), 'USD/Mtok'],
      ]),
      stacked('serve-steps', 'Step time, by part (one prefill step, one decode step)',
        [...parts('prefill', r.prefill_step_breakdown_s), ...parts('decode', r.decode_step_breakdown_s)], { unit: 's' }),
      stacked('memory', 'Memory per chip, by part', parts('chip', r.memory_breakdown_gb),
        { unit: 'GB', rules: [{ x: r.memory_capacity_gb, label: 'capacity' }] }),
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
      kpis([
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
