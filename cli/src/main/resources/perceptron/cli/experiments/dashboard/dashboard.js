// The perceptron dashboard. Polls /api/runs once a second; fetches a run's metrics again when its version
// changes; draws the curves as plain SVG. No libraries: the page must work offline from the jar.
'use strict';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
                 '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
// One line style per split: the colour says which run, the dash which data the number comes from.
const SPLITS = [
  {prefix: 'train', label: 'train', dash: ''},
  {prefix: 'val', label: 'validation', dash: '7 4'},
  {prefix: 'test', label: 'test', dash: '2 3'},
];
const POLL_MS = 1000;

const state = {
  runs: [],                  // summaries from /api/runs
  details: new Map(),        // id -> {version, data}
  confusions: new Map(),     // id -> {version, data}
  checked: new Set(),
  focus: null,
  colours: new Map(),
  initialised: false,
};

function el(tag, attrs, ...children) {
  const svg = ['svg', 'g', 'line', 'polyline', 'circle', 'text', 'rect', 'path'].includes(tag);
  const e = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'onclick' || k === 'onchange') e.addEventListener(k.slice(2), v);
    else if (k === 'style' && typeof v === 'object') Object.assign(e.style, v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (typeof v !== 'number') return String(v);
  if (digits !== undefined) return v.toFixed(digits);
  if (Number.isInteger(v)) return v.toLocaleString('en');
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4);
}

function seconds(s) {
  if (!(s > 0)) return '–';
  if (s < 90) return s.toFixed(1) + ' s';
  const m = Math.floor(s / 60);
  return m + ' min ' + Math.round(s - 60 * m) + ' s';
}

function colour(id) {
  if (!state.colours.has(id)) state.colours.set(id, PALETTE[state.colours.size % PALETTE.length]);
  return state.colours.get(id);
}

function headline(run) {
  const l = run.last || {};
  if (l.val_acc !== undefined && l.val_acc !== null) return ['val acc', l.val_acc];
  if (l.test_acc !== undefined && l.test_acc !== null) return ['test acc', l.test_acc];
  if (l.train_loss !== undefined) return ['train loss', l.train_loss];
  return ['', null];
}

async function getJson(url) {
  const response = await fetch(url, {cache: 'no-store'});
  if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
  return response.json();
}

// ---- polling ------------------------------------------------------------------------------------------------

async function poll() {
  const status = document.getElementById('status');
  try {
    const list = await getJson('/api/runs');
    state.runs = list.runs;
    document.getElementById('root').textContent = list.root;
    if (!state.initialised) initialSelection();
    // A run that starts while the page is open is what its reader is waiting for: overlay it.
    for (const r of state.runs) {
      if (!state.colours.has(r.id) && r.training) state.checked.add(r.id);
      colour(r.id);
    }
    const known = new Set(state.runs.map(r => r.id));
    for (const id of [...state.checked]) if (!known.has(id)) state.checked.delete(id);
    if (state.focus && !known.has(state.focus)) state.focus = null;
    await refreshDetails();
    render();
    status.className = 'status live';
    status.textContent = 'live · updated ' + new Date().toLocaleTimeString('en-GB');
  } catch (e) {
    status.className = 'status down';
    status.textContent = 'no answer from the server (stopped?) · retrying';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

// The four newest runs, the newest inspected; or what the address asks for: #run=ID&run=ID&focus=ID
function initialSelection() {
  state.initialised = true;
  state.runs.forEach(r => colour(r.id));
  const asked = new URLSearchParams(location.hash.slice(1));
  const known = new Set(state.runs.map(r => r.id));
  const runs = asked.getAll('run').filter(id => known.has(id));
  const newest = [...state.runs].sort((a, b) => b.modified - a.modified).map(r => r.id);
  (runs.length ? runs : newest.slice(0, 4)).forEach(id => state.checked.add(id));
  state.focus = known.has(asked.get('focus')) ? asked.get('focus') : (runs[0] || newest[0] || null);
}

async function refreshDetails() {
  const wanted = new Set(state.checked);
  if (state.focus) wanted.add(state.focus);
  const jobs = [];
  for (const run of state.runs) {
    if (!wanted.has(run.id)) continue;
    const have = state.details.get(run.id);
    if (have && have.version === run.version) continue;
    jobs.push(getJson('/api/run?id=' + encodeURIComponent(run.id))
      .then(data => state.details.set(run.id, {version: run.version, data})));
  }
  await Promise.all(jobs);
  const focus = state.runs.find(r => r.id === state.focus);
  if (focus && !focus.training) {
    const have = state.confusions.get(focus.id);
    if (!have || have.version !== focus.version) {
      // The first time, the server loads the model and the test set: draw the rest without waiting for it.
      state.confusions.set(focus.id, {version: focus.version, data: null});
      getJson('/api/confusion?id=' + encodeURIComponent(focus.id))
        .then(data => { state.confusions.set(focus.id, {version: focus.version, data}); render(); })
        .catch(e => state.confusions.set(focus.id, {version: focus.version, data: {unavailable: String(e.message)}}));
    }
  }
}

// ---- rendering ----------------------------------------------------------------------------------------------

let lastDrawn = '';

function render() {
  renderList();
  const shown = state.runs.filter(r => state.checked.has(r.id) && state.details.has(r.id));
  // Redraw the rest only when something changed, so that a pointer resting on a chart keeps its read-out.
  const confusion = state.confusions.get(state.focus);
  const key = JSON.stringify([shown.map(r => [r.id, state.details.get(r.id).version]), state.focus,
    confusion ? [confusion.version, !!confusion.data] : null, window.innerWidth,
    (state.runs.find(r => r.id === state.focus) || {}).version]);
  if (key === lastDrawn) return;
  lastDrawn = key;
  renderChart('chart-loss', shown, c => c.endsWith('_loss'), {floorZero: true});
  renderChart('chart-acc', shown, c => c.endsWith('_acc'), {floorZero: false});
  renderLegend(shown);
  renderSettings(shown);
  renderConfusion();
}

function renderList() {
  const ul = document.getElementById('runs');
  document.getElementById('count').textContent = state.runs.length + (state.runs.length === 1 ? ' run' : ' runs');
  ul.replaceChildren();
  if (!state.runs.length) {
    ul.append(el('li', {class: 'hint'}, 'No runs yet. Train one: bin/perceptron train'));
    return;
  }
  let group = null;
  for (const run of state.runs) {
    if (run.group !== group) {
      group = run.group;
      if (group) {
        const members = state.runs.filter(r => r.group === group).map(r => r.id);
        const all = members.every(id => state.checked.has(id));
        ul.append(el('li', {class: 'group', title: 'tick or untick every run of ' + group,
          onclick: () => { members.forEach(id => all ? state.checked.delete(id) : state.checked.add(id)); toggle(null); }},
          group, el('span', {class: 'group-toggle'}, all ? 'untick all' : 'tick all')));
      }
    }
    const checked = state.checked.has(run.id);
    const [label, value] = headline(run);
    const badge = run.finished ? el('span', {class: 'badge done'}, 'done')
      : el('span', {class: 'badge' + (run.training ? ' training' : '')}, run.training ? 'training' : 'stopped');
    const box = el('input', {type: 'checkbox', checked, 'aria-label': 'overlay ' + run.name,
      onchange: e => { toggle(run.id, e.target.checked); e.stopPropagation(); }});
    box.addEventListener('click', e => e.stopPropagation());
    const li = el('li', {class: 'run' + (state.focus === run.id ? ' focus' : ''), 'data-run': run.id,
        style: {'--swatch': colour(run.id)}, onclick: () => { state.focus = run.id; toggle(run.id, true); }},
      box,
      el('span', {class: 'name', title: run.id, style: checked ? {color: colour(run.id)} : {}}, run.name),
      badge,
      el('span', {class: 'sub'}, run.epochs + '/' + (run.planned || '?') + ' epochs'
        + (value !== null ? ' · ' + label + ' ' + fmt(value, 4) : '')));
    ul.append(li);
  }
}

function toggle(id, on) {
  if (id !== null) { if (on) state.checked.add(id); else state.checked.delete(id); }
  refreshDetails().then(render).catch(() => render());
  render();
}

function niceTicks(lo, hi, count) {
  if (!(hi > lo)) { hi = lo + 1; }
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw);
  const ticks = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) ticks.push(+t.toFixed(10));
  return ticks;
}

// As many decimals as the tick step needs, the same on every tick: 0.5, 1.0, 1.5 rather than 0.50, 1, 1.50.
function decimalsFor(step) {
  const d = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return Number((step * 10 ** d).toFixed(6)) % 1 === 0 ? d : d + 1;
}

function seriesOf(detail, column) {
  const cols = detail.columns;
  const x = cols.indexOf('epoch');
  const y = cols.indexOf(column);
  return detail.rows.map((row, i) => [x >= 0 ? row[x] : i + 1, row[y]]);
}

function splitOf(column) {
  return SPLITS.find(s => column.startsWith(s.prefix + '_')) || {prefix: '', label: column, dash: '1 0'};
}

function renderChart(id, runs, isMetric, opts) {
  const box = document.getElementById(id);
  const width = Math.max(box.clientWidth, 320);
  const height = box.clientHeight || 300;
  const m = {left: 54, right: 16, top: 10, bottom: 40};
  const lines = [];
  let xmax = 2, ylo = Infinity, yhi = -Infinity;
  for (const run of runs) {
    const d = state.details.get(run.id).data;
    xmax = Math.max(xmax, d.planned || 0, d.rows.length);
    for (const column of d.columns.filter(isMetric)) {
      const points = seriesOf(d, column).filter(p => p[1] !== null && Number.isFinite(p[1]));
      for (const p of points) { ylo = Math.min(ylo, p[1]); yhi = Math.max(yhi, p[1]); xmax = Math.max(xmax, p[0]); }
      lines.push({run, column, points});
    }
  }
  box.replaceChildren();
  if (!lines.length) {
    box.append(el('div', {class: 'empty'}, runs.length ? 'no values yet' : 'tick a run on the left'));
    return;
  }
  if (opts.floorZero) ylo = 0;
  else ylo = Math.max(0, Math.floor((ylo - 0.02) * 20) / 20);
  yhi = opts.floorZero ? yhi * 1.06 : Math.min(1, Math.ceil((yhi + 0.01) * 20) / 20);
  if (!(yhi > ylo)) yhi = ylo + 1;
  const sx = x => m.left + (x - 1) / Math.max(xmax - 1, 1) * (width - m.left - m.right);
  const sy = y => m.top + (1 - (y - ylo) / (yhi - ylo)) * (height - m.top - m.bottom);
  const svg = el('svg', {width, height, viewBox: `0 0 ${width} ${height}`, role: 'img'});
  const axis = el('g', {class: 'axis'});
  const yticks = niceTicks(ylo, yhi, 5);
  const decimals = decimalsFor(yticks.length > 1 ? yticks[1] - yticks[0] : 1);
  for (const t of yticks) {
    axis.append(el('line', {class: 'grid', x1: m.left, x2: width - m.right, y1: sy(t), y2: sy(t)}));
    axis.append(el('text', {x: m.left - 8, y: sy(t) + 4, 'text-anchor': 'end'}, t.toFixed(decimals)));
  }
  for (const t of niceTicks(1, xmax, Math.min(10, xmax - 1)).filter(t => Number.isInteger(t) && t >= 1)) {
    axis.append(el('line', {class: 'grid', x1: sx(t), x2: sx(t), y1: m.top, y2: height - m.bottom}));
    axis.append(el('text', {x: sx(t), y: height - m.bottom + 16, 'text-anchor': 'middle'}, t));
  }
  axis.append(el('line', {class: 'frame', x1: m.left, x2: width - m.right, y1: height - m.bottom, y2: height - m.bottom}));
  axis.append(el('text', {x: (m.left + width - m.right) / 2, y: height - 6, 'text-anchor': 'middle'}, 'epoch'));
  svg.append(axis);
  for (const line of lines) {
    const c = colour(line.run.id);
    const split = splitOf(line.column);
    const g = el('g', {class: 'series', 'data-run': line.run.id, 'data-column': line.column});
    g.append(el('polyline', {stroke: c, 'stroke-dasharray': split.dash || null,
      points: line.points.map(p => sx(p[0]).toFixed(1) + ',' + sy(p[1]).toFixed(1)).join(' ')}));
    for (const p of line.points) {
      g.append(el('circle', {cx: sx(p[0]).toFixed(1), cy: sy(p[1]).toFixed(1), r: 3, fill: c},
        el('title', {}, `${line.run.name}\n${line.column} ${fmt(p[1], 4)} at epoch ${p[0]}`)));
    }
    svg.append(g);
  }
  box.append(svg);
  addReadout(box, svg, lines, {sx, m, width, height, xmax});
}

// A vertical guide and the values of every line at the epoch under the pointer.
function addReadout(box, svg, lines, {sx, m, width, height, xmax}) {
  const guide = el('line', {class: 'guide', y1: m.top, y2: height - m.bottom, visibility: 'hidden'});
  const tip = el('div', {class: 'tip', hidden: true});
  const area = el('rect', {x: m.left, y: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom,
    fill: 'transparent'});
  svg.append(guide, area);
  box.append(tip);
  area.addEventListener('mouseleave', () => { guide.setAttribute('visibility', 'hidden'); tip.hidden = true; });
  area.addEventListener('mousemove', event => {
    const bounds = svg.getBoundingClientRect();
    const px = event.clientX - bounds.left;
    const epoch = Math.min(xmax, Math.max(1, Math.round(1 + (px - m.left) / (width - m.left - m.right) * Math.max(xmax - 1, 1))));
    const rows = lines.map(l => [l, l.points.find(p => p[0] === epoch)]).filter(([, p]) => p);
    if (!rows.length) { tip.hidden = true; guide.setAttribute('visibility', 'hidden'); return; }
    guide.setAttribute('x1', sx(epoch));
    guide.setAttribute('x2', sx(epoch));
    guide.setAttribute('visibility', 'visible');
    tip.replaceChildren(el('div', {class: 'tip-head'}, 'epoch ' + epoch),
      rows.map(([l, p]) => el('div', {class: 'tip-row'},
        el('span', {class: 'sw', style: {background: colour(l.run.id)}}),
        el('span', {}, l.run.name + ' · ' + l.column.replace('_', ' ')), el('b', {}, fmt(p[1], 4)))));
    tip.hidden = false;
    const left = sx(epoch) + 14;
    tip.style.left = (left + tip.offsetWidth > width ? sx(epoch) - 14 - tip.offsetWidth : left) + 'px';
    tip.style.top = (m.top + 4) + 'px';
  });
}

function dashSample(dash) {
  return el('svg', {width: 28, height: 8},
    el('line', {x1: 1, x2: 27, y1: 4, y2: 4, stroke: '#555', 'stroke-width': 2, 'stroke-dasharray': dash || null}));
}

function renderLegend(runs) {
  const legend = document.getElementById('legend');
  legend.replaceChildren();
  for (const run of runs) {
    legend.append(el('span', {class: 'item'}, el('span', {class: 'sw', style: {background: colour(run.id)}}), run.name));
  }
  if (runs.length) {
    for (const s of SPLITS) legend.append(el('span', {class: 'item'}, dashSample(s.dash), s.label));
  }
}

function renderSettings(runs) {
  const box = document.getElementById('settings');
  box.replaceChildren();
  if (!runs.length) { box.append(el('p', {class: 'note'}, 'Tick runs to see their settings side by side.')); return; }
  const details = runs.map(r => state.details.get(r.id).data);
  const keys = [];
  details.forEach(d => Object.keys(d.settings).forEach(k => { if (!keys.includes(k)) keys.push(k); }));
  const table = el('table', {class: 'settings'});
  table.append(el('thead', {}, el('tr', {}, el('th', {}, ''),
    runs.map(r => el('th', {style: {color: colour(r.id)}}, r.name)))));
  const body = el('tbody');
  const metricRows = [
    ['epochs', r => r.epochs + ' of ' + (r.planned || '?')],
    ['parameters', r => r.parameters >= 0 ? r.parameters.toLocaleString('en') : '–'],
  ];
  const metrics = [];
  runs.forEach(r => Object.keys(r.last || {}).forEach(k => { if (!metrics.includes(k)) metrics.push(k); }));
  for (const [name, f] of metricRows) {
    body.append(el('tr', {class: 'metric'}, el('th', {}, name), runs.map(r => el('td', {}, f(r)))));
  }
  metrics.forEach((k, i) => body.append(el('tr', {class: 'metric' + (i === metrics.length - 1 ? ' sep' : '')},
    el('th', {}, 'last ' + k.replace('_', ' ')), runs.map(r => el('td', {}, fmt((r.last || {})[k], 4))))));
  for (const k of keys) {
    const values = details.map(d => d.settings[k] === undefined ? '–' : d.settings[k]);
    const differs = runs.length > 1 && new Set(values).size > 1;
    body.append(el('tr', {class: differs ? 'differs' : ''}, el('th', {}, k.replace(/_/g, ' ')),
      values.map(v => el('td', {}, v))));
  }
  table.append(body);
  box.append(el('div', {class: 'scroll'}, table));
  if (runs.length > 1) box.append(el('p', {class: 'caption'}, 'Highlighted: the settings that differ.'));
}

function renderConfusion() {
  const box = document.getElementById('confusion');
  const title = document.getElementById('focus-title');
  box.replaceChildren();
  const run = state.runs.find(r => r.id === state.focus);
  if (!run) { title.textContent = 'Confusion matrix'; box.append(el('p', {class: 'note'}, 'Click a run to inspect it.')); return; }
  title.textContent = 'Confusion matrix · ' + run.name;
  if (run.training) {
    box.append(el('p', {class: 'note'}, `Shown when the run has finished (${run.epochs} of ${run.planned || '?'} epochs so far).`));
    return;
  }
  const c = state.confusions.get(run.id);
  if (!c || !c.data) { box.append(el('p', {class: 'note'}, 'Evaluating on the test set…')); return; }
  if (c.data.unavailable || c.data.error) { box.append(el('p', {class: 'note'}, c.data.unavailable || c.data.error)); return; }
  const {classes, counts, accuracy} = c.data;
  const table = el('table', {class: 'matrix'});
  table.append(el('thead', {}, el('tr', {}, el('th', {}, ''), classes.map(n => el('th', {}, n)))));
  const body = el('tbody');
  counts.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    body.append(el('tr', {}, el('th', {}, classes[i]), row.map((n, j) => {
      const share = n / total;
      const bg = i === j ? `rgba(31,119,180,${0.12 + 0.88 * share})` : `rgba(214,39,40,${Math.min(1, 3 * share)})`;
      return el('td', {style: {background: n ? bg : '#fafbfc', color: share > 0.45 ? '#fff' : '#1d2330'},
        title: `true ${classes[i]}, predicted ${classes[j]}: ${n}`}, n || '');
    })));
  });
  table.append(body);
  const bars = el('div', {class: 'bars'}, el('div', {class: 'note'}, 'accuracy per class (test set)'),
    accuracy.map((a, i) => el('div', {class: 'bar'}, el('span', {}, classes[i]),
      el('span', {class: 'track'}, el('span', {class: 'fill', style: {width: (100 * (a || 0)).toFixed(1) + '%',
        display: 'block'}})), el('span', {class: 'v'}, fmt(a, 3)))));
  box.append(el('div', {class: 'confusion'}, el('div', {class: 'scroll'}, table), bars));
  box.append(el('p', {class: 'caption'}, 'Rows: true class; columns: predicted class. Blue: correct; red: mistakes.'));
}

window.addEventListener('resize', () => render());
poll();
