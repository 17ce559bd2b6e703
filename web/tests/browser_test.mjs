// End-to-end browser test of `xpusim ui` (CTest: web.browser, label browser).
// Starts the server on a free port, drives headless Chromium with
// playwright-core, changes inputs and checks that the numbers and the
// charts' data change consistently, saves screenshots, then stops the
// server with SIGTERM and expects exit status 0.
//   node web/tests/browser_test.mjs --binary build/src/cli/xpusim \
//     --data-dir data --chromium /usr/bin/chromium --screenshot build/ui_screenshot.png
// Exit 77 (CTest: skipped) when playwright-core or the built UI is missing.
import { spawn } from 'node:child_process';
import path from 'node:path';

const SKIP = 77;
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const binary = args.binary;
const chromiumPath = args.chromium || '/usr/bin/chromium';
const shot = args.screenshot || 'ui_screenshot.png';
if (!binary) {
  console.error('usage: browser_test.mjs --binary PATH [--data-dir DIR] [--chromium PATH] [--screenshot FILE]');
  process.exit(2);
}

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.log('SKIP: playwright-core is not installed; run scripts/build_web.sh (npm ci in web/)');
  process.exit(SKIP);
}

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.log(`ok: ${what}`);
}

// ---- start the server -------------------------------------------------------
const serverArgs = [...(args['data-dir'] ? ['--data-dir', args['data-dir']] : []), 'ui', '--port', '0'];
const server = spawn(binary, serverArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
let serverErr = '';
const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no URL on stderr within 30 s:\n${serverErr}`)), 30000);
  server.stderr.on('data', (d) => {
    serverErr += d;
    const m = serverErr.match(/serving (http:\/\/\S+\/)/);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${serverErr}`)); });
});
console.log(`server at ${url}`);

let browser;
let status = 1;
try {
  const cmds = await (await fetch(`${url}api/commands`)).json();
  if (!cmds.ui_built) {
    console.log('SKIP: the binary was built without web/dist; run scripts/build_web.sh and rebuild');
    status = SKIP;
    throw null;
  }
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);

  const updates = () => page.$eval('#view', (v) => Number(v.dataset.updates || 0));
  const waitUpdate = async (after) => {
    await page.waitForFunction((n) => {
      const v = document.querySelector('#view');
      return Number(v.dataset.updates || 0) > n && !v.hasAttribute('aria-busy');
    }, after, { timeout: 30000 });
  };
  const chartData = (name) => page.$eval(`figure[data-chart="${name}"]`, (f) => JSON.parse(f.dataset.values));
  const number = async (id) => Number((await page.textContent(`#kpi-${id}`)).replace(/[^0-9.eE+-].*$/, '').replace(/,/g, ''));
  const text = (sel) => page.textContent(sel);

  // ---- first render: numbers and charts agree --------------------------------
  await waitUpdate(0);
  check((await page.$$('figure.chart svg')).length >= 3, 'train view draws its charts (time, memory, Pareto)');
  const time1 = await chartData('time');
  const step1 = Number((await text('#kpi-step-time')).replace(/[^0-9.]/g, ''));
  const sum1 = time1.reduce((s, r) => s + r.value, 0);
  // The parts of a step add up to the step time shown (3 significant digits).
  check(step1 > 0 && Math.abs(sum1 - step1) / step1 < 0.01, `time breakdown sums to the step time shown (${sum1.toFixed(3)} vs ${step1})`);
  const mem1 = await chartData('memory');
  const memText = await text('#kpi-memory');
  const memShown = Number(memText.split('/')[0].replace(/[^0-9.]/g, ''));
  const memSum = mem1.reduce((s, r) => s + r.value, 0);
  check(Math.abs(memSum - memShown) / memShown < 0.01, `memory breakdown sums to the memory shown (${memSum.toFixed(2)} vs ${memShown})`);
  const front = await chartData('pareto');
  const all = await page.$eval('figure[data-chart="pareto"]', (f) => JSON.parse(f.dataset.points));
  // Brute force: a plan is on the front when no other is at least as fast and
  // as light and better in one of the two.
  const dominated = (p) => all.some((q) => q[0] <= p[0] && q[1] <= p[1] && (q[0] < p[0] || q[1] < p[1]));
  const brute = all.filter((p) => !dominated(p));
  const uniq = new Set(brute.map((p) => p.join(','))).size;
  check(front.length >= 1 && front.length === uniq,
    `Pareto front: ${front.length} of ${all.length} plans, brute force finds ${uniq}`);
  for (let i = 1; i < front.length; i++) {
    check(front[i].step_time_s >= front[i - 1].step_time_s && front[i].memory_per_chip_gb < front[i - 1].memory_per_chip_gb,
      `Pareto point ${i}: slower but lighter than point ${i - 1}`);
  }
  const tput1 = Number((await text('#kpi-tokens-per-s')).replace(/[^0-9.]/g, ''));

  // ---- change an input: chip count doubles -----------------------------------
  let n = await updates();
  await page.fill('#in-chips', '2048');
  await waitUpdate(n);
  const time2 = await chartData('time');
  check(JSON.stringify(time2) !== JSON.stringify(time1), 'time chart data changed after chips 1024 -> 2048');
  const tput2 = Number((await text('#kpi-tokens-per-s')).replace(/[^0-9.]/g, ''));
  // Twice the chips at the same global batch: faster, but at most about 2x.
  check(tput2 > 1.2 * tput1 && tput2 < 2.2 * tput1, `throughput rose ${(tput2 / tput1).toFixed(2)}x for 2x chips`);
  check((await text('h2')).includes('2,048'), 'heading shows 2,048 chips');

  // ---- change the system ----------------------------------------------------
  n = await updates();
  await page.selectOption('#in-system', 'gb200-nvl72');
  await waitUpdate(n);
  check((await text('h2')).includes('gb200'), 'heading names the GB200 chip after choosing gb200-nvl72');
  check(JSON.stringify(await chartData('time')) !== JSON.stringify(time2), 'time chart data changed after the system change');
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);

  // ---- a user error is shown, not a crash ------------------------------------
  n = await updates();
  await page.uncheck('#in-search');
  await waitUpdate(n);
  n = await updates();
  await page.fill('#in-tp', '7');
  await waitUpdate(n);
  await page.waitForSelector('#error', { timeout: 30000 });
  check((await text('#error')).length > 10, `a bad tp shows the CLI's message: "${(await text('#error')).slice(0, 80)}…"`);

  // ---- compare systems: equivalence via match ---------------------------------
  const tab = await page.$('#tab-compare');
  if (tab) {
    await tab.click();
    await page.waitForSelector('figure[data-chart="eq-chips"]', { timeout: 60000 });
    const eq = await chartData('eq-chips');
    check(eq.length === 3 && eq[0].label === 'dgx-h100' && eq[0].value === 2048,
      `equivalence chart: ${eq.map((e) => `${e.label}=${e.value}`).join(', ')}`);
    check(eq.slice(1).every((e) => e.value > 0), 'every candidate system has an equivalent chip count');
    await page.screenshot({ path: shot.replace(/\.png$/, '_compare.png'), fullPage: true });
  }
  // ---- serving: time to first token is at most a full prefill iteration ------
  // (TTFT follows the load: the wait for the iteration in progress, at most
  // half of one, then the iteration holding the prompt, at most the budget's.)
  await page.click('#tab-serve');
  await page.waitForSelector('figure[data-chart="serve-steps"]', { timeout: 60000 });
  const steps = await chartData('serve-steps');
  const prefill = steps.filter((r) => r.row === 'prefill').reduce((s, r) => s + r.value, 0);
  const ttftMs = Number((await text('#kpi-ttft')).replace(/[^0-9.]/g, ''));
  check(prefill > 0 && steps.some((r) => r.row === 'decode' && r.value > 0), 'serve chart has prefill and decode parts');
  check(ttftMs > 0 && ttftMs <= 1.5 * 1.02 * 1000 * prefill,
    `TTFT shown (${ttftMs} ms) <= 1.5 full prefill iterations (${(1500 * prefill).toFixed(1)} ms)`);

  // ---- serving: the throughput-latency curve, with the answer on it ----------
  // The number of a KPI as shown (3 significant digits, thousands separators).
  const shown = async (id) => Number((await text(`#kpi-${id}`)).replace(/,/g, '').match(/^[0-9.]+/)[0]);
  const curve = async (what) => {
    const fig = 'figure[data-chart="serve-curve"]';
    const pts = await chartData('serve-curve');
    const marked = await page.$eval(fig, (f) => JSON.parse(f.dataset.marked));
    check(pts.length >= 2 && pts.every((p, i) => i === 0 || p.batch > pts[i - 1].batch),
      `${what}: curve of ${pts.length} batches, increasing (${pts[0].batch} to ${pts[pts.length - 1].batch})`);
    // A larger batch keeps more sequences busy: throughput per chip rises.
    check(pts[pts.length - 1].tokens_per_s_per_chip > pts[0].tokens_per_s_per_chip,
      `${what}: the largest batch gives more tokens/s per chip than the smallest`);
    const on = pts.find((p) => p.batch === marked.batch);
    check(on && on.tokens_per_s_per_chip === marked.tokens_per_s_per_chip && on.tpot_ms === marked.tpot_ms,
      `${what}: the marked batch ${marked.batch} is a point of the curve`);
    const perChip = await shown('per-chip');
    check(Math.abs(marked.tokens_per_s_per_chip - perChip) / perChip < 0.01,
      `${what}: marked point ${marked.tokens_per_s_per_chip.toFixed(1)} tokens/s per chip is the ${perChip} shown`);
    check(await page.$$eval(`${fig} svg circle`, (c) => c.length) > pts.length, `${what}: a dot per batch and the mark are drawn`);
    return { pts, marked, slo: Number(await page.$eval(fig, (f) => f.dataset.sloMs)) };
  };
  let c = await curve('aggregated');
  const planBatch = Number(/batch (\d+)/.exec(await text('#plan'))[1]);
  check(c.marked.batch === planBatch, `the marked batch is the plan's (${planBatch})`);
  check(c.slo === 0 && !(await page.textContent('figure[data-chart="serve-curve"]')).includes('SLO'), 'no TPOT limit, no SLO rule');
  check(await page.$('figure[data-chart="memory"]') && !(await page.$('figure[data-chart="memory-prefill"]')),
    'one pool: one memory chart');

  // ---- serving, disaggregated: both pools, which one limits, the SLOs ---------
  // Sets input #in-ID (a select or a field) and waits for the view to redraw.
  const set = async (id, value) => {
    const before = await updates();
    const sel = `#in-${id}`;
    if ((await page.$eval(sel, (e) => e.tagName)) === 'SELECT') await page.selectOption(sel, value);
    else await page.fill(sel, value);
    await waitUpdate(before);
  };
  await set('system', 'dgx-h100');
  check(await page.isHidden('#field-prefill_chips') && await page.isHidden('#field-decode_tp'),
    'P:D inputs are hidden while disaggregation is off');
  await set('disagg', 'pd');
  check(await page.isHidden('#field-chips'), 'with P:D pools the total chips field gives way to the pools\' chips');
  check(await page.isVisible('#field-prefill_tp') && await page.isDisabled('#in-prefill_tp'),
    'per-pool tp is shown, and left to the search while the batch is blank');
  await set('prefill_chips', '8');
  await set('decode_chips', '24');
  const layout = (name) => page.$eval(`#pool-${name}`, (e) => JSON.parse(e.dataset.layout));
  const covers = (p) => p.tp * p.pp * p.dp === p.chips;
  let pre = await layout('prefill');
  let dec = await layout('decode');
  check(pre.chips === 8 && covers(pre) && dec.chips === 24 && covers(dec),
    `searched pools: prefill ${JSON.stringify(pre)}, decode ${JSON.stringify(dec)}`);
  check((await text('h2')).includes('8 + 24'), 'heading shows the 8 + 24 chips of the pools');
  const note = await text('#note');
  const limiting = /limited by the (prefill|decode|KV transfer) pool/.exec(note)?.[1];
  check(limiting, `the note says what limits the throughput: "${note}"`);
  if (limiting !== 'KV transfer') {
    check(await page.$eval(`#pool-${limiting}`, (e) => e.classList.contains('limits')), `the ${limiting} pool is marked as the limit`);
  }
  // A batch: each pool's layout comes from the inputs (dp = chips / tp).
  for (const [id, v] of [['batch', '64'], ['prefill_tp', '8'], ['decode_tp', '4']]) await set(id, v);
  pre = await layout('prefill');
  dec = await layout('decode');
  check(pre.tp === 8 && pre.dp === 1 && dec.tp === 4 && dec.dp === 6,
    `pools as given: prefill tp${pre.tp} dp${pre.dp}, decode tp${dec.tp} dp${dec.dp}`);
  check((await chartData('serve-steps')).some((r) => r.row === 'decode' && r.value > 0),
    'the step chart has the decode pool\'s step');
  c = await curve('P:D');
  check(c.marked.batch === 64 && c.pts[0].batch === dec.dp,
    `P:D curve: from one sequence per decode replica (${c.pts[0].batch}), batch 64 marked`);
  // Each pool's memory chart: its own rows, adding up to the memory its card shows.
  check(!(await page.$('figure[data-chart="memory"]')), 'P:D: no single memory chart');
  const poolMemory = {};
  for (const name of ['prefill', 'decode']) {
    const rows = await chartData(`memory-${name}`);
    const sum = rows.reduce((s, r) => s + r.value, 0);
    const card = Number((await text(`#pool-${name}-memory`)).replace(/,/g, '').match(/^[0-9.]+/)[0]);
    check(rows.length > 0 && rows.every((r) => r.row === `${name} pool`) &&
      (await page.$$(`figure[data-chart="memory-${name}"] svg rect`)).length >= rows.length,
    `${name} pool memory chart drawn, labelled "${name} pool"`);
    check(Math.abs(sum - card) / card < 0.01, `${name} pool memory parts sum to its card (${sum.toFixed(2)} vs ${card} GB)`);
    poolMemory[name] = rows;
  }
  // tp8 holds an eighth of the weights per chip, tp4 a quarter.
  const weights = (rows) => rows.find((r) => r.part === 'weights').value;
  const ratio = weights(poolMemory.decode) / weights(poolMemory.prefill);
  check(Math.abs(ratio - 2) < 0.02, `decode tp4 holds twice the weights per chip of prefill tp8 (${ratio.toFixed(3)}x)`);
  // The page's own check: an automatic split is searched, so a batch is refused.
  await set('disagg', 'auto');
  check((await text('#error')).includes('clear the batch'), `auto with a batch: "${await text('#error')}"`);
  await set('batch', '');
  await set('tpot_slo_ms', '50');
  pre = await layout('prefill');
  dec = await layout('decode');
  check(pre.chips + dec.chips === 2048 && covers(pre) && covers(dec),
    `auto split of 2,048 chips: ${pre.chips} prefill + ${dec.chips} decode`);
  const tpotMs = await number('tpot');
  check(tpotMs <= 50 && (await text('#slo-tpot')).includes('met'), `TPOT ${tpotMs} ms shown against the 50 ms SLO: "${await text('#slo-tpot')}"`);
  c = await curve('auto split');
  check(c.slo === 50 && (await page.textContent('figure[data-chart="serve-curve"]')).includes('TPOT SLO 50 ms'),
    'the curve draws the 50 ms TPOT limit');
  check(c.marked.tpot_ms <= 50, `the searched point is left of the limit (${c.marked.tpot_ms.toFixed(1)} ms)`);
  check(await page.$('figure[data-chart="memory-prefill"]') && await page.$('figure[data-chart="memory-decode"]'),
    'auto split: both pools\' memory charts');
  await page.screenshot({ path: shot.replace(/\.png$/, '_serve.png'), fullPage: true });

  // ---- outlook and fleet plan, when the program has them ----------------------
  const outlookTab = await page.$('#tab-outlook');
  if (outlookTab) {
    await outlookTab.click();
    await page.waitForSelector('figure[data-chart="outlook-eflops"]', { timeout: 90000 });
    const rows = await chartData('outlook-eflops');
    const years = new Set(rows.map((r) => r.year));
    check(years.has(2024) && years.has(2030) && rows.every((r) => r.installed_bf16_eflops >= 0),
      `outlook chart covers 2024-2030 (${rows.length} points)`);
    await page.screenshot({ path: shot.replace(/\.png$/, '_outlook.png'), fullPage: true });
  }
  const planTab = await page.$('#tab-plan');
  if (planTab) {
    await planTab.click();
    await page.waitForFunction(() => document.querySelector('figure[data-chart="plan-fleet"], #error'), null, { timeout: 120000 });
    const fleet = await page.$('figure[data-chart="plan-fleet"]');
    if (fleet) {
      const rows = await chartData('plan-fleet');
      const shown = Number((await text('#kpi-chips')).replace(/[^0-9.]/g, ''));
      // The fleet's chips add up to the total shown.
      check(rows.reduce((s, r) => s + r.value, 0) === shown, `fleet plan: ${rows.map((r) => `${r.label}=${r.value}`).join(', ')} = ${shown} chips`);
      await page.screenshot({ path: shot.replace(/\.png$/, '_plan.png'), fullPage: true });
    } else {
      check((await text('#error')).length > 0, `fleet plan reports: ${await text('#error')}`);
    }
    // A serving scenario (objective throughput): the KPIs are the fleet's
    // tokens/s and cost per million tokens, and the tokens/s is the objective.
    const most = 'plan-serve-most-10mw-domestic-v3';
    const offered = !!(await page.$(`#in-scenario option[value="${most}"]`));
    check(offered, `the scenario list offers ${most}`);
    if (offered) {
      await set('scenario', most);
      await page.waitForSelector('#kpi-tokens', { timeout: 120000 });
      // fmt() writes "2.65 M" or "14,395".
      const num = (s) => {
        const m = /([0-9][0-9.,]*)\s*([kMGT]?)/.exec(s);
        return m ? Number(m[1].replace(/,/g, '')) * { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2]] : NaN;
      };
      const tokens = num(await text('#kpi-tokens'));
      const objective = num((await text('#plan')).split('=')[1] || '');
      check(objective > 0 && Math.abs(tokens - objective) <= 0.01 * objective,
        `serving plan: ${tokens} output tokens/s shown, objective ${objective}`);
      check(await page.isVisible('#kpi-mtok') && !(await page.$('#kpi-days')),
        'serving plan shows cost per million tokens, not days to train');
    }
  }
  check(pageErrors.length === 0, `no JavaScript errors (${pageErrors.join('; ')})`);
  status = 0;
} catch (e) {
  if (e) console.error(e.stack || e.message);
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  const { code, signal } = await exited;
  if (status === 0) {
    if (code !== 0) { console.error(`server exit: code ${code} signal ${signal}\n${serverErr}`); status = 1; }
    else console.log('ok: server stopped cleanly on SIGTERM (exit 0)');
  }
}
process.exit(status);
