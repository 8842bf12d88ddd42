'use strict';
// The PyHDFS dashboard: polls the AppHost's JSON API (/api/...) and renders four views.

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ''));
  return node;
};
const getJson = async (url) => {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
};
const size = (bytes) => {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
};
const ms = (value) => value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
const badge = (state) => el('span', { className: `state ${state.replace(' ', '-')}` }, state);
const serviceColor = (service) => {
  let hash = 0;
  for (const c of service) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360}, 60%, 50%)`;
};
// The gRPC/HTTP client spans of a call time the same call as its named server span.
const isTransport = (span) => span.kind === 'client' && ('grpc.method' in span.attributes || 'http.request.method' in span.attributes);

let currentTab = 'resources';
let consoleResource = null;
let consoleNext = 0;
let selectedTrace = null;

// ---- tabs -------------------------------------------------------------------------------------
for (const button of document.querySelectorAll('nav button')) {
  button.addEventListener('click', () => {
    currentTab = button.dataset.tab;
    document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('active', b === button));
    document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t.id === currentTab));
    refresh();
  });
}

// ---- resources --------------------------------------------------------------------------------
async function operate(name, operation) {
  $('operation-error').hidden = true;
  $('status').textContent = `${operation} ${name}...`;
  try {
    const response = await fetch(`/api/resources/${encodeURIComponent(name)}/${operation}`, { method: 'POST' });
    if (!response.ok) throw new Error((await response.json()).error);
    $('status').textContent = `${operation} ${name}: done`;
  } catch (e) {
    $('operation-error').textContent = `${operation} ${name}: ${e.message}`;
    $('operation-error').hidden = false;
    $('status').textContent = '';
  }
  await refreshResources();
}

async function refreshResources() {
  const resources = await getJson('/api/resources');
  const rows = resources.map((r) => {
    const active = ['healthy', 'unhealthy', 'running', 'starting'].includes(r.state);
    const button = (operation, enabled) => {
      const b = el('button', { className: 'op', disabled: !enabled }, operation);
      b.dataset.operation = operation;
      b.addEventListener('click', () => operate(r.name, operation));
      return b;
    };
    const state = el('td', { className: 'state-cell' }, badge(r.state));
    if (r.exitCode !== null && !active) state.append(` exit code ${r.exitCode}`);
    const row = el('tr', {},
      el('td', {}, r.name),
      el('td', {}, r.type),
      state,
      el('td', { className: 'num' }, r.pid ?? ''),
      el('td', { className: 'num' }, String(r.restarts)),
      el('td', {}, ...r.endpoints.map((e) => el('div', {}, e))),
      el('td', {}, r.dependsOn.join(', ')),
      el('td', {}, button('start', !active), button('stop', active), button('restart', !['starting', 'stopping'].includes(r.state))));
    row.dataset.resource = r.name;
    row.dataset.state = r.state;
    return row;
  });
  $('resource-rows').replaceChildren(...rows);

  const select = $('console-resource');
  if (select.options.length !== resources.length) {
    select.replaceChildren(...resources.map((r) => el('option', { value: r.name }, r.name)));
    if (consoleResource) select.value = consoleResource;
  }
}

// ---- console ----------------------------------------------------------------------------------
$('console-resource').addEventListener('change', () => {
  consoleResource = $('console-resource').value;
  consoleNext = 0;
  $('console-lines').replaceChildren();
  refreshConsole();
});

async function refreshConsole() {
  consoleResource ??= $('console-resource').value;
  if (!consoleResource) return;
  const name = consoleResource;
  const { next, lines } = await getJson(`/api/resources/${encodeURIComponent(name)}/logs?after=${consoleNext}`);
  if (name !== consoleResource) return;
  consoleNext = next;
  const pre = $('console-lines');
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  for (const line of lines) pre.append(el('div', { className: line.isError ? 'stderr' : '' }, line.text));
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}

// ---- traces -----------------------------------------------------------------------------------
async function refreshTraces() {
  const traces = await getJson('/api/traces?limit=100');
  const rows = traces.map((t) => {
    const row = el('tr', { className: t.traceId === selectedTrace ? 'selected' : '' },
      el('td', {}, new Date(t.start).toLocaleTimeString()),
      el('td', {}, t.operation),
      el('td', { className: 'num' }, ms(t.durationMs)),
      el('td', {}, badge(t.status)),
      el('td', {}, t.services.join(', ')),
      el('td', { className: 'num' }, String(t.spanCount)));
    row.dataset.traceId = t.traceId;
    row.addEventListener('click', () => { selectedTrace = t.traceId; showTrace(t.traceId); refreshTraces(); });
    return row;
  });
  $('trace-rows').replaceChildren(...rows);
  if (selectedTrace) await showTrace(selectedTrace);
}

// Spans in tree order (children under their parent, by start time), with their depth. Hidden
// transport spans are see-through: their children hang under the nearest shown ancestor.
function treeOrder(spans, showTransport) {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const shown = spans.filter((s) => showTransport || !isTransport(s));
  const shownIds = new Set(shown.map((s) => s.spanId));
  const visibleParent = (span) => {
    let parent = span.parentSpanId;
    while (parent && byId.has(parent) && !shownIds.has(parent)) parent = byId.get(parent).parentSpanId;
    return parent && shownIds.has(parent) ? parent : '';
  };
  const children = new Map();
  for (const span of shown) {
    const parent = visibleParent(span);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(span);
  }
  const ordered = [];
  const visit = (parent, depth) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => a.startUnixNano - b.startUnixNano)) {
      ordered.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit('', 0);
  return ordered;
}

async function showTrace(traceId) {
  const { summary, spans } = await getJson(`/api/traces/${traceId}`);
  $('trace-detail').hidden = false;
  $('trace-title').textContent = `${summary.operation} — ${ms(summary.durationMs)}, ${summary.spanCount} spans, ${summary.services.join(', ')} (trace ${traceId})`;
  const start = Math.min(...spans.map((s) => s.startUnixNano));
  const total = Math.max(1, Math.max(...spans.map((s) => s.endUnixNano)) - start);
  const rows = treeOrder(spans, $('show-transport').checked).map(({ span, depth }) => {
    const bar = el('div', { className: 'bar' });
    bar.style.left = `${((span.startUnixNano - start) / total) * 100}%`;
    bar.style.width = `${((span.endUnixNano - span.startUnixNano) / total) * 100}%`;
    bar.style.background = span.status === 'error' ? '' : serviceColor(span.service);
    const name = el('div', { className: 'name', title: span.name }, span.name);
    name.style.paddingLeft = `${8 + depth * 14}px`;
    const row = el('div', { className: `span-row ${isTransport(span) ? 'transport' : ''} ${span.status === 'error' ? 'error' : ''}` },
      el('div', { className: 'service' }, span.service), name, el('div', { className: 'track' }, bar),
      el('div', { className: 'duration' }, ms((span.endUnixNano - span.startUnixNano) / 1e6)));
    row.dataset.service = span.service;
    row.dataset.spanId = span.spanId;
    row.addEventListener('click', () => showAttributes(span));
    return row;
  });
  $('waterfall').replaceChildren(...rows);
}

function showAttributes(span) {
  const entries = [['service', span.service], ['kind', span.kind], ['status', span.status + (span.statusMessage ? `: ${span.statusMessage}` : '')],
    ['span id', span.spanId], ['parent', span.parentSpanId ?? ''], ...Object.entries(span.attributes),
    ...span.links.map((l) => ['link', `${l.traceId} / ${l.spanId}`])];
  $('span-attributes').replaceChildren(el('h2', {}, span.name),
    el('table', {}, el('tbody', {}, ...entries.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))))));
}

$('show-transport').addEventListener('change', () => selectedTrace && showTrace(selectedTrace));

// ---- cluster ----------------------------------------------------------------------------------
async function refreshCluster() {
  const cluster = await getJson('/api/cluster');
  if (!cluster.available) {
    $('cluster-summary').replaceChildren(el('p', { className: 'error' }, cluster.error));
    $('datanode-rows').replaceChildren();
    return;
  }
  const s = cluster.stats;
  const card = (label, value) => el('div', { className: 'card' }, el('div', { className: 'label' }, label), el('div', { className: 'value' }, String(value)));
  $('cluster-summary').replaceChildren(
    card('Live DataNodes', s.liveDataNodes), card('Dead DataNodes', s.deadDataNodes),
    card('Capacity', size(s.capacityBytes)), card('Used', size(s.usedBytes)), card('Remaining', size(s.remainingBytes)),
    card('Blocks', s.totalBlocks), card('Under-replicated', s.underReplicatedBlocks), card('Missing', s.missingBlocks),
    card('Files', s.totalFiles), card('Safe mode', s.safeMode ? 'on' : 'off'));
  $('datanode-rows').replaceChildren(...cluster.datanodes.map((d) => el('tr', {},
    el('td', {}, d.id), el('td', {}, d.address), el('td', {}, badge(d.live ? 'live' : 'dead')),
    el('td', { className: 'num' }, size(d.capacityBytes)), el('td', { className: 'num' }, size(d.usedBytes)),
    el('td', { className: 'num' }, size(d.remainingBytes)), el('td', { className: 'num' }, String(d.blockCount)),
    el('td', {}, d.lastHeartbeat ? new Date(d.lastHeartbeat).toLocaleTimeString() : 'never'))));
}

// ---- polling ----------------------------------------------------------------------------------
let refreshing = false;
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    await refreshResources();
    if (currentTab === 'console') await refreshConsole();
    if (currentTab === 'traces') await refreshTraces();
    if (currentTab === 'cluster') await refreshCluster();
    if (!$('status').textContent.endsWith('...')) $('status').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    $('status').textContent = `AppHost unreachable: ${e.message}`;
  } finally {
    refreshing = false;
  }
}
refresh();
setInterval(refresh, 1500);
