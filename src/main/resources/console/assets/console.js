'use strict';
// Ferry's console: pages over the REST API (/api/v1), with the login's session cookie and CSRF token.
// Every value reaches the page through h(), which makes text nodes and sets attributes: never markup, so nothing a
// vendor, a record or a user wrote can become script. (ConsoleScriptTest refuses innerHTML and its kind here.)

const API = '/api/v1';
const PAGE = 50;
let me = null;
let timers = [];

// ---- DOM

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'href') {
      el.setAttribute('href', safeHref(v));
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  add(el, children);
  return el;
}

function add(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Only the console's own pages and the API: a link never carries a script: or another site's address. */
function safeHref(v) {
  const s = String(v);
  return s.startsWith('#/') || s.startsWith('/console/') || s.startsWith('/api/v1/') ? s : '#/';
}

function link(href, text, id) {
  return h('a', { href, id }, text);
}

/** the address the page being made is for: a page that answers after the operator has gone on shows nothing */
let rendering = null;

function show(...children) {
  if (location.hash !== rendering) {
    return;
  }
  const page = document.getElementById('page');
  page.replaceChildren();
  add(page, children);
}

let keepFlash = false;

/** A message above the page; it stays over the next page change (an action that moves on says what it did). */
function flash(text, kind) {
  keepFlash = !!text;
  const f = document.getElementById('flash');
  f.textContent = text;
  f.className = 'flash ' + (kind || 'ok');
  f.hidden = !text;
}

function table(id, headers, rows, empty) {
  if (rows.length === 0) {
    return h('p', { class: 'empty', id: id + '-empty' }, empty || 'Nothing here.');
  }
  return h('div', { class: 'table' },
    h('table', { id }, h('thead', {}, h('tr', {}, headers.map(x => h('th', {}, x)))),
      h('tbody', {}, rows)));
}

function badge(status) {
  return h('span', { class: 'badge ' + String(status || 'none').replace(/[^a-z-]/g, '') }, status || '—');
}

function when(t) {
  if (!t) {
    return '—';
  }
  const d = new Date(t);
  return isNaN(d) ? String(t) : d.toLocaleString();
}

function firstLine(s, max) {
  if (!s) {
    return '';
  }
  const line = String(s).split('\n')[0];
  return line.length > (max || 200) ? line.slice(0, max || 200) + '…' : line;
}

function details(summary, text) {
  if (text === null || text === undefined || text === '') {
    return '—';
  }
  return h('details', {}, h('summary', {}, summary), h('pre', {}, typeof text === 'string' ? text : JSON.stringify(text, null, 2)));
}

function field(label, value, id) {
  return h('div', { class: 'field' }, h('span', { class: 'label' }, label), h('span', { class: 'value', id }, value));
}

// ---- API

function csrf() {
  const m = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : '';
}

let writing = Promise.resolve();

/** GETs go at once; changes one after the other, as each answer renews the CSRF token the next one sends. */
function api(method, path, body) {
  const call = async () => {
    const opts = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
    if (method !== 'GET') {
      opts.headers['X-XSRF-TOKEN'] = csrf();
      if (body !== undefined) {
        opts.headers['Content-Type'] = 'application/json';
        opts.body = JSON.stringify(body);
      }
    }
    const res = await fetch(API + path, opts);
    if (res.status === 401) {
      location.href = '/console/login';
      throw new Error('the login has ended');
    }
    let data;
    try {
      data = await res.json();
    } catch (e) {
      data = { error: 'the answer is not JSON (HTTP ' + res.status + ')' };
    }
    if (!res.ok) {
      const err = new Error((data && data.error) || 'HTTP ' + res.status);
      err.status = res.status;
      throw err;
    }
    return data;
  };
  if (method === 'GET') {
    return call();
  }
  const next = writing.then(call, call);
  writing = next.catch(() => undefined);
  return next;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

function can(role) {
  const order = ['viewer', 'operator', 'admin'];
  return me && order.indexOf(me.role) >= order.indexOf(role);
}

/** A button for an action a role may take; disabled, and saying why, for those who may not. */
function action(label, role, id, onclick) {
  const allowed = can(role);
  return h('button', {
    id, disabled: !allowed, title: allowed ? null : 'needs the ' + role + ' role; you are ' + (me ? me.role : '?'),
    onclick: async ev => {
      ev.preventDefault();
      ev.target.disabled = true;
      try {
        await onclick(ev);
      } catch (e) {
        flash(e.message, 'error');
      } finally {
        ev.target.disabled = !allowed;
      }
    },
  }, label);
}

/** "Next page" for a keyset page ({items, hasMore, next, total}): links to the same page with after=next. */
function pager(id, page, route, params, key) {
  const k = key || 'after';
  const parts = [];
  if (page.total !== undefined && page.total !== null) {
    parts.push(h('span', { class: 'total', id: id + '-total' }, page.total + ' in all'));
  }
  if (params[k]) {
    parts.push(link(route + query({ ...params, [k]: null }), 'First page', id + '-first'));
  }
  if (page.hasMore) {
    parts.push(link(route + query({ ...params, [k]: page.next }), 'Next page', id + '-next'));
  }
  return h('p', { class: 'pager', id: id + '-pager' }, parts);
}

/** Calls fn every ms while this page is shown; a tick still under way when the next is due skips that one. */
function every(ms, fn) {
  if (location.hash !== rendering) {
    return;
  }
  let busy = false;
  timers.push(setInterval(async () => {
    if (busy) {
      return;
    }
    busy = true;
    try {
      await fn();
    } catch (e) {
      // the next tick tries again
    } finally {
      busy = false;
    }
  }, ms));
}

// ---- pages

const STATES = ['running', 'paused', 'not-configured', 'never-run', 'succeeded', 'failed', 'partial', 'abandoned'];

function counts(run) {
  if (!run) {
    return '—';
  }
  return h('span', { class: 'counts' }, 'read ' + run.read + ' · skipped ' + run.skipped + ' · written ' + run.written
    + ' · failed ' + run.failed);
}

function leaderOf(s) {
  if (!s.role || s.role === 'not clustered') {
    return s.role || '—';
  }
  return s.role + (s.leader ? ' (leader ' + s.leader + ')' : ' (no leader recorded)');
}

async function fleetPage(p) {
  await paintFleet(p);
  every(5000, () => paintFleet(p));
}

async function paintFleet(p) {
  const status = p.get('status') || '';
  const data = await api('GET', '/syncs' + query({ status, limit: PAGE, after: p.get('after') }));
  const filter = h('select', { id: 'status-filter', onchange: ev => { location.hash = '#/' + query({ status: ev.target.value }); } },
    h('option', { value: '' }, 'every status'), STATES.map(s => h('option', { value: s, selected: s === status }, s)));
  const rows = data.items.map(s => h('tr', { 'data-sync': s.sync },
    h('td', {}, link('#/syncs/' + encodeURIComponent(s.sync), s.sync)),
    h('td', {}, badge(s.state)),
    h('td', { class: 'error' }, s.state === 'not-configured'
      ? h('ul', { class: 'missing' }, s.notConfigured.map(m => h('li', {}, m))) : firstLine(s.lastError)),
    h('td', {}, s.lastRun ? link('#/runs/' + s.lastRun.id, '#' + s.lastRun.id) : '—', ' ', counts(s.lastRun),
      s.lastReplay ? h('div', { class: 'note last-replay' }, 'last replay ', link('#/runs/' + s.lastReplay.id, '#' + s.lastReplay.id), ' ',
        s.lastReplay.status, s.lastReplay.error ? ': ' + firstLine(s.lastReplay.error) : '') : null),
    h('td', { class: 'position' }, s.position ? (/^\d{4}-\d\d-\d\dT/.test(s.position) ? when(s.position) : s.position) : '—'),
    h('td', {}, when(s.lastSuccess)),
    h('td', {}, s.nextRun && /^\d{4}-/.test(s.nextRun) ? when(s.nextRun) : (s.nextRun || '—')),
    h('td', {}, s.openDeadLetters ? link('#/dead-letters' + query({ sync: s.sync }), String(s.openDeadLetters)) : '0'),
    h('td', {}, leaderOf(s)),
    h('td', { class: 'actions' }, s.state === 'not-configured' ? 'not configured: it cannot run' : s.inThisProcess ? [
      action('Run now', 'operator', 'run-' + s.sync, async () => {
        const r = await api('POST', '/syncs/' + encodeURIComponent(s.sync) + '/run');
        flash(r.run ? 'Run ' + r.run.id + ' of ' + s.sync + ' ' + (r.run.status === 'running' ? 'started.' : r.run.status + '.')
          : 'Run of ' + s.sync + ' requested.');
        if (r.run) {
          location.hash = '#/runs/' + r.run.id;
        }
      }),
      s.state === 'paused'
        ? action('Resume', 'operator', 'resume-' + s.sync, async () => {
          await api('POST', '/syncs/' + encodeURIComponent(s.sync) + '/resume');
          flash(s.sync + ': schedule resumed.');
          route();
        })
        : action('Pause', 'operator', 'pause-' + s.sync, async () => {
          await api('POST', '/syncs/' + encodeURIComponent(s.sync) + '/pause');
          flash(s.sync + ': schedule paused.');
          route();
        }),
    ] : 'not run here')));
  show(h('h1', {}, 'Syncs'), h('p', {}, h('label', {}, 'Status ', filter)),
    table('syncs', ['Sync', 'Status', 'Why it failed', 'Last run', 'Position read up to', 'Last success', 'Next run', 'Open dead letters', 'Leadership', ''],
      rows, status ? 'No sync is ' + status + '.' : 'No sync is loaded and none has run.'),
    pager('syncs', data, '#/', { status, after: p.get('after') }));
}

function chart(activity) {
  const w = 960;
  const hgt = 160;
  const n = activity.minutes;
  const max = Math.max(1, ...activity.written, ...activity.read);
  const errors = activity.deadLettered.map((d, i) => d + activity.failedCalls[i]);
  const emax = Math.max(1, ...errors);
  const x = i => (i * w) / n;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + (hgt + 70));
  svg.setAttribute('class', 'chart');
  svg.setAttribute('id', 'activity-chart');
  const el = (tag, attrs, text) => {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) {
      e.setAttribute(k, String(v));
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    svg.appendChild(e);
    return e;
  };
  const line = (values, top, height, scale, cls) => {
    let d = '';
    values.forEach((v, i) => { d += (i ? 'L' : 'M') + x(i).toFixed(1) + ' ' + (top + height - (v / scale) * height).toFixed(1); });
    el('path', { d, class: cls });
  };
  el('rect', { x: 0, y: 0, width: w, height: hgt, class: 'frame' });
  line(activity.read, 0, hgt, max, 'read');
  line(activity.written, 0, hgt, max, 'written');
  el('text', { x: 4, y: 12, class: 'axis' }, max + ' records/min');
  el('rect', { x: 0, y: hgt + 10, width: w, height: 40, class: 'frame' });
  errors.forEach((v, i) => { if (v > 0) { el('rect', { x: x(i), y: hgt + 50 - (v / emax) * 40, width: Math.max(1, w / n), height: (v / emax) * 40, class: 'errors' }); } });
  el('text', { x: 4, y: hgt + 22, class: 'axis' }, emax + ' errors/min');
  const from = new Date(activity.from).getTime();
  for (let i = 0; i <= n; i += Math.max(60, Math.floor(n / 8 / 60) * 60)) {
    el('text', { x: Math.min(w - 40, x(i)), y: hgt + 66, class: 'axis' }, new Date(from + i * 60000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  }
  const total = a => a.reduce((s, v) => s + v, 0);
  return h('figure', {}, svg, h('figcaption', { id: 'activity-caption' },
    'Last ' + Math.round(n / 60) + ' h: ' + total(activity.read) + ' read, ' + total(activity.written) + ' written (each run\'s '
    + 'count spread over its minutes), ' + total(activity.deadLettered) + ' dead-lettered, ' + total(activity.failedCalls)
    + ' failed vendor calls.'));
}

async function syncPage(p, name) {
  const sync = decodeURIComponent(name);
  const e = encodeURIComponent(sync);
  const [s, activity, runs] = await Promise.all([api('GET', '/syncs/' + e), api('GET', '/syncs/' + e + '/activity'),
    api('GET', '/runs' + query({ sync, limit: 20, after: p.get('after') }))]);
  show(h('h1', {}, sync), h('div', { class: 'fields' },
    field('Status', badge(s.state), 'sync-state'), field('Why it failed', firstLine(s.lastError) || '—', 'sync-error'),
    field('Last success', when(s.lastSuccess)), field('Next run', s.nextRun || '—'),
    field('Open dead letters', String(s.openDeadLetters)), field('Leadership', leaderOf(s), 'sync-leadership')),
  h('p', { class: 'links' }, link('#/dead-letters' + query({ sync }), 'Dead letters'), link('#/api-calls' + query({ sync }), 'API calls'),
    link('#/records' + query({ sync }), 'Record lookup'), link('#/state/' + e, 'State'), link('#/preview/' + e, 'Preview the next run')),
  h('h2', {}, 'Records per minute and errors, last 24 hours'), chart(activity),
  h('h2', {}, 'Runs'), runsTable(runs.items), pager('runs', runs, '#/syncs/' + e, { after: p.get('after') }));
}

function runsTable(items) {
  return table('runs', ['Run', 'Sync', 'Kind', 'Status', 'Started', 'Ended', 'Pages', 'Read', 'Skipped', 'Written', 'Failed', 'Error'],
    items.map(r => h('tr', {},
      h('td', {}, link('#/runs/' + r.id, '#' + r.id)), h('td', {}, link('#/syncs/' + encodeURIComponent(r.sync), r.sync)),
      h('td', {}, r.kind), h('td', {}, badge(r.status)), h('td', {}, when(r.startedAt)), h('td', {}, when(r.endedAt)),
      h('td', { class: 'n' }, r.pages), h('td', { class: 'n' }, r.read), h('td', { class: 'n' }, r.skipped),
      h('td', { class: 'n' }, r.written), h('td', { class: 'n' }, r.failed), h('td', { class: 'error' }, firstLine(r.error)))),
    'No run matches.');
}

async function runsPage(p) {
  const params = { sync: p.get('sync'), status: p.get('status'), kind: p.get('kind'), after: p.get('after') };
  const data = await api('GET', '/runs' + query({ ...params, limit: PAGE }));
  show(h('h1', {}, 'Runs'), filterForm('runs-filter', '#/runs', params, [['sync', 'Sync'], ['status', 'Status',
    ['running', 'succeeded', 'failed', 'partial', 'abandoned']], ['kind', 'Kind', ['sync', 'replay']]]),
  runsTable(data.items), pager('runs', data, '#/runs', params));
}

/** A filter form that goes to route?field=value…; a field with choices is a select. */
function filterForm(id, route, params, fields) {
  const inputs = fields.map(([name, label, choices]) => h('label', {}, label + ' ', choices
    ? h('select', { name, id: id + '-' + name }, h('option', { value: '' }, 'any'),
      choices.map(c => h('option', { value: c, selected: params[name] === c }, c)))
    : h('input', { name, id: id + '-' + name, value: params[name] || '' })));
  return h('form', {
    class: 'filter', id,
    onsubmit: ev => {
      ev.preventDefault();
      const values = {};
      for (const [name] of fields) {
        values[name] = ev.target.elements[name].value.trim();
      }
      location.hash = route + query(values);
    },
  }, inputs, h('button', { id: id + '-apply' }, 'Filter'));
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return null;
  }
  const s = Math.round(seconds);
  return s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s' : Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

async function runPage(p, id) {
  const paint = async () => {
    const [r, calls, dls, log] = await Promise.all([api('GET', '/runs/' + id),
      api('GET', '/runs/' + id + '/api-calls' + query({ limit: 20, after: p.get('calls') })),
      api('GET', '/runs/' + id + '/dead-letters' + query({ limit: 20, after: p.get('dls') })),
      api('GET', '/runs/' + id + '/log' + query({ limit: 200 }))]);
    const now = r.progress || r;
    const live = !!r.progress;
    show(h('h1', {}, 'Run ' + r.id + ' of ', link('#/syncs/' + encodeURIComponent(r.sync), r.sync)),
      h('div', { class: 'fields', id: 'run-fields' },
        field('Status', badge(live ? 'running' : r.status), 'run-status'), field('Kind', r.kind),
        field('Node', r.node || '—', 'run-node'), field('Started', when(r.startedAt)), field('Ended', when(r.endedAt)),
        field('Pages', String(now.pages), 'run-pages'), field('Read', String(now.read), 'run-read'),
        field('Skipped', String(now.skipped), 'run-skipped'), field('Written', String(now.written), 'run-written'),
        field('Failed', String(now.failed), 'run-failed'),
        field('Rate', live ? r.progress.recordsPerSecond + ' records/s' : '—', 'run-rate'),
        field('Time left', live ? (duration(r.progress.secondsLeft) || 'unknown: the source does not say how many records it holds')
          : '—', 'run-left'),
        field('Open dead letters of the sync', String(r.openDeadLetters))),
      r.error ? h('p', { class: 'flash error', id: 'run-error' }, r.error) : null,
      live ? h('p', { class: 'live', id: 'run-live' }, 'Updating every 2 s while it runs.') : null,
      h('h2', {}, 'API calls'), callsTable(calls.items, false),
      pager('run-calls', calls, '#/runs/' + id, { calls: p.get('calls'), dls: p.get('dls') }, 'calls'),
      h('p', {}, link('#/api-calls' + query({ run: id }), 'Every API call of this run')),
      h('h2', {}, 'Dead letters of this run'), deadLetterTable(dls.items, false),
      pager('run-dead-letters', dls, '#/runs/' + id, { calls: p.get('calls'), dls: p.get('dls') }, 'dls'),
      h('h2', {}, 'Log'), log.note ? h('p', { class: 'note', id: 'run-log-note' }, log.note) : null,
      h('pre', { class: 'log', id: 'run-log' }, log.lines.map(logLine)));
    return live;
  };
  // while it runs, the counts, the rate and the log are updated in place (what is open or scrolled stays); at its end
  // the page is made again with its calls and dead letters
  const set = (id, text) => {
    const el = document.getElementById(id);
    if (el) {
      el.textContent = text;
    }
  };
  if (await paint()) {
    let ended = false;
    every(2000, async () => {
      if (ended) {
        return;
      }
      try {
        const r = await api('GET', '/runs/' + id);
        if (!r.progress) {
          ended = true;
          await paint();
          return;
        }
        const now = r.progress;
        for (const k of ['pages', 'read', 'skipped', 'written', 'failed']) {
          set('run-' + k, String(now[k]));
        }
        set('run-rate', now.recordsPerSecond + ' records/s');
        set('run-left', duration(now.secondsLeft) || 'unknown: the source does not say how many records it holds');
        const log = await api('GET', '/runs/' + id + '/log' + query({ limit: 200 }));
        set('run-log', log.lines.map(logLine).join(''));
      } catch (e) {
        ended = true;
        flash(e.message, 'error');
      }
    });
  }
}

function logLine(l) {
  return when(l.at) + ' ' + l.level + ' ' + l.logger + ' – ' + l.message + '\n';
}

function callsTable(items, withSync) {
  return table('api-calls', ['At', withSync ? 'Sync' : null, 'Run', 'System', 'Endpoint', 'HTTP', 'Vendor code', 'ms', 'Error', 'Request', 'Answer']
    .filter(x => x !== null), items.map(c => h('tr', {},
    h('td', {}, when(c.at)), withSync ? h('td', {}, c.sync || '—') : null,
    h('td', {}, c.runId ? link('#/runs/' + c.runId, '#' + c.runId) : '—'), h('td', {}, c.system), h('td', { class: 'endpoint' }, c.endpoint),
    h('td', { class: c.httpStatus >= 400 || c.httpStatus === 0 ? 'error' : '' }, c.httpStatus), h('td', {}, c.vendorCode || ''),
    h('td', { class: 'n' }, c.latencyMillis), h('td', { class: 'error' }, firstLine(c.error)),
    h('td', {}, details('request', c.requestBody)), h('td', {}, details('answer', c.responseBody)))), 'No API call.');
}

async function apiCallsPage(p) {
  const params = { sync: p.get('sync'), run: p.get('run'), text: p.get('text'), after: p.get('after') };
  const data = await api('GET', '/api-calls' + query({ ...params, limit: PAGE }));
  show(h('h1', {}, 'API calls'), filterForm('calls-filter', '#/api-calls', params, [['sync', 'Sync'], ['run', 'Run'],
    ['text', 'Text (a key, an order id)']]), callsTable(data.items, true), pager('api-calls', data, '#/api-calls', params));
}

function deadLetterTable(items, selectable) {
  return table('dead-letters', [selectable ? h('input', {
    type: 'checkbox', id: 'select-all', title: 'select every row of this page',
    onchange: ev => document.querySelectorAll('input.pick').forEach(c => { c.checked = ev.target.checked; }),
  }) : null, 'Id', 'Sync', 'Key', 'Stage', 'Status', 'Attempts', 'First failed', 'Last failed', 'Error', 'Payload'].filter(x => x !== null),
  items.map(d => h('tr', { 'data-id': d.id },
    selectable ? h('td', {}, h('input', { type: 'checkbox', class: 'pick', value: d.id, id: 'pick-' + d.id, disabled: d.status !== 'open' })) : null,
    h('td', {}, d.id), h('td', {}, d.sync), h('td', {}, d.key ? link('#/records' + query({ sync: d.sync, key: d.key }), d.key) : '—'),
    h('td', {}, d.stage), h('td', {}, badge(d.status)), h('td', { class: 'n' }, d.attempts), h('td', {}, when(d.firstFailedAt)),
    h('td', {}, when(d.lastFailedAt)), h('td', { class: 'error' }, firstLine((d.errorClass ? d.errorClass + ': ' : '') + (d.errorMessage || ''), 160),
      d.resolution ? h('div', { class: 'note' }, d.resolution) : null),
    h('td', {}, details('payload', d.payload)))), 'No dead letter matches.');
}

async function deadLettersPage(p) {
  const params = { sync: p.get('sync'), key: p.get('key'), stage: p.get('stage'), error: p.get('error'),
    status: p.get('status') || 'open', after: p.get('after') };
  const data = await api('GET', '/dead-letters' + query({ ...params, limit: PAGE }));
  const picked = () => [...document.querySelectorAll('input.pick:checked')].map(c => Number(c.value));
  const reason = h('input', { id: 'discard-reason', placeholder: 'why (kept with each dead letter)', size: 40 });
  const start = async (kind, byFilter) => {
    const body = { action: kind };
    if (byFilter) {
      if (!params.sync) {
        throw new Error('choose a sync first: a bulk action by filter acts on one sync');
      }
      body.filter = Object.fromEntries(['sync', 'key', 'stage', 'error'].filter(k => params[k]).map(k => [k, params[k]]));
    } else {
      body.ids = picked();
      if (body.ids.length === 0) {
        throw new Error('select the dead letters first');
      }
    }
    if (kind === 'discard') {
      if (!reason.value.trim()) {
        throw new Error('give a reason for the discard');
      }
      body.reason = reason.value.trim();
    }
    const job = await api('POST', '/dead-letters/jobs', body);
    location.hash = '#/jobs/' + job.id;
  };
  const open = params.status === 'open';
  show(h('h1', {}, 'Dead letters'),
    filterForm('dl-filter', '#/dead-letters', params, [['sync', 'Sync'], ['key', 'Key'], ['stage', 'Stage', ['PAGE', 'RECORD', 'SINK']],
      ['error', 'Error text'], ['status', 'Status', ['open', 'replayed', 'discarded', 'resolved']]]),
    open ? h('div', { class: 'bulk', id: 'bulk' },
      action('Replay selected', 'operator', 'replay-selected', () => start('replay', false)),
      action((data.total || 0) > 10000 ? 'Replay the first 10000 of ' + data.total + ' matching' : 'Replay all ' + (data.total || 0) + ' matching',
        'operator', 'replay-matching', () => start('replay', true)),
      reason,
      action('Discard selected', 'operator', 'discard-selected', () => start('discard', false)),
      action('Discard all matching', 'operator', 'discard-matching', () => start('discard', true)),
      h('span', { class: 'note' }, 'They run in the background; the next page shows each one\'s result.')) : null,
    deadLetterTable(data.items, open), pager('dead-letters', data, '#/dead-letters', params),
    h('h2', {}, 'Recent bulk actions'), await jobsTable());
}

async function jobsTable() {
  const jobs = await api('GET', '/dead-letters/jobs');
  return table('jobs', ['Job', 'Action', 'Selection', 'By', 'Status', 'Done', 'Started'], jobs.items.slice(0, 10).map(j => h('tr', {},
    h('td', {}, link('#/jobs/' + j.id, '#' + j.id)), h('td', {}, j.action), h('td', {}, j.selection), h('td', {}, j.actor),
    h('td', {}, badge(j.status)), h('td', {}, j.succeeded + ' of ' + j.tried + ' tried, ' + j.total + ' in all'),
    h('td', {}, when(j.startedAt)))), 'None since this process started.');
}

async function jobPage(p, id) {
  const paint = async () => {
    const j = await api('GET', '/dead-letters/jobs/' + id + query({ limit: PAGE, after: p.get('after') }));
    const done = j.status === 'done' || j.status === 'failed';
    show(h('h1', {}, 'Bulk ' + j.action + ' #' + j.id),
      h('div', { class: 'fields' }, field('Status', badge(j.status), 'job-status'), field('Selection', j.selection),
        field('By', j.actor), field('Progress', j.tried + ' of ' + j.total, 'job-progress'),
        field(j.action === 'replay' ? 'Replayed' : 'Discarded', String(j.succeeded), 'job-succeeded'),
        field('Not ' + (j.action === 'replay' ? 'replayed' : 'discarded'), String(j.tried - j.succeeded), 'job-refused')),
      h('progress', { max: j.total, value: j.tried, id: 'job-bar' }),
      j.error ? h('p', { class: 'flash error', id: 'job-error' }, 'Stopped: ' + j.error) : null,
      h('h2', {}, 'Each dead letter'),
      table('job-results', ['Dead letter', 'Sync', 'Key', 'Outcome', 'Why not'], j.results.items.map(r => h('tr', { 'data-id': r.id },
        h('td', {}, r.id), h('td', {}, r.sync || '—'), h('td', {}, r.key || '—'), h('td', {}, badge(r.outcome)),
        h('td', { class: 'error' }, r.reason || '')))), pager('job-results', j.results, '#/jobs/' + id, { after: p.get('after') }));
    return !done;
  };
  if (await paint()) {
    let ended = false;
    every(1000, async () => {
      if (!ended) {
        ended = !(await paint());
      }
    });
  }
}

async function recordPage(p) {
  const params = { sync: p.get('sync'), key: p.get('key') };
  const form = filterForm('lookup', '#/records', params, [['sync', 'Sync'], ['key', 'Key (a shop number, an order id)']]);
  if (!params.sync || !params.key) {
    show(h('h1', {}, 'Record lookup'), form, h('p', {}, 'Give the sync and the record\'s key to see its whole story.'));
    return;
  }
  const r = await api('GET', '/records/' + encodeURIComponent(params.sync) + '/' + encodeURIComponent(params.key) + query({ limit: PAGE }));
  const story = [];
  if (r.synced) {
    story.push({ at: r.syncedAt, what: 'written and marked synced by run ' + (r.runId || '?') + (r.targetRef ? '; target id ' + r.targetRef : ''), run: r.runId });
  }
  for (const d of r.deadLetters) {
    story.push({ at: d.firstFailedAt, what: 'failed at ' + d.stage + ' (dead letter ' + d.id + '): ' + firstLine(d.errorMessage), run: d.runId });
    if (d.status !== 'open') {
      story.push({ at: d.lastFailedAt, what: 'dead letter ' + d.id + ' ' + d.status + (d.resolution ? ': ' + d.resolution : '') });
    }
  }
  for (const c of r.apiCalls) {
    story.push({ at: c.at, what: c.direction + ' ' + c.system + ' ' + c.endpoint + ' → HTTP ' + c.httpStatus + (c.vendorCode ? ' code ' + c.vendorCode : '')
      + (c.error ? ': ' + firstLine(c.error) : ''), run: c.runId });
  }
  story.sort((a, b) => String(a.at).localeCompare(String(b.at)));
  show(h('h1', {}, 'Record ' + r.key + ' of ' + r.sync), form,
    h('div', { class: 'fields' }, field('Synced', r.synced ? 'yes' : 'no', 'record-synced'), field('When', when(r.syncedAt), 'record-synced-at'),
      field('By run', r.runId ? link('#/runs/' + r.runId, '#' + r.runId) : '—'), field('Target id', r.targetRef || '—', 'record-target'),
      field('Content hash', r.contentHash || '—')),
    h('h2', {}, 'Its story'), table('record-story', ['At', 'What', 'Run'], story.map(e => h('tr', {}, h('td', {}, when(e.at)), h('td', {}, e.what),
      h('td', {}, e.run ? link('#/runs/' + e.run, '#' + e.run) : '—'))), 'Nothing is recorded about this key.'),
    r.moreApiCalls ? h('p', { class: 'note' }, 'More API calls carried it: ', link('#/api-calls' + query({ sync: r.sync, text: r.key }), 'all of them')) : null,
    h('h2', {}, 'API calls that carried it'), callsTable(r.apiCalls, false),
    h('h2', {}, 'Its dead letters'), deadLetterTable(r.deadLetters, false));
}

async function auditPage(p) {
  const data = await api('GET', '/audit' + query({ limit: PAGE, after: p.get('after') }));
  show(h('h1', {}, 'Audit'), table('audit', ['At', 'Who', 'As', 'Role', 'Action', 'Target', 'Client', 'Result', 'Detail'],
    data.items.map(a => h('tr', {}, h('td', {}, when(a.at)), h('td', {}, a.actor), h('td', {}, a.actorKind), h('td', {}, a.role),
      h('td', {}, a.action), h('td', {}, a.target), h('td', {}, a.client || ''), h('td', {}, badge(a.result)), h('td', {}, a.detail || ''))),
    'Nobody has done anything yet.'), pager('audit', data, '#/audit', { after: p.get('after') }));
}

async function statePage(p, name) {
  const sync = decodeURIComponent(name);
  const e = encodeURIComponent(sync);
  const s = await api('GET', '/state/' + e);
  const position = h('input', { id: 'new-position', size: 40, placeholder: s.positionKind && s.positionKind.kind === 'window' ? 'an ISO-8601 time with its offset' : 'an offset value' });
  const keys = h('textarea', { id: 'forget-keys', rows: 3, cols: 40, placeholder: 'one key per line' });
  show(h('h1', {}, 'State of ', link('#/syncs/' + e, sync)),
    h('div', { class: 'fields' }, field('Position', s.position === null ? '— (from the start)' : String(s.position), 'state-position'),
      field('Position kind', JSON.stringify(s.positionKind)), field('Scan page', s.scanPage === null ? '—' : String(s.scanPage)),
      field('Synced keys', String(s.syncedKeys), 'state-synced-keys'), field('Open dead letters', String(s.openDeadLetters)),
      field('Running', s.runningRunId ? link('#/runs/' + s.runningRunId, '#' + s.runningRunId) : 'no')),
    can('admin') ? null : h('p', { class: 'note', id: 'state-admin-note' }, 'Editing the state needs the admin role; you are ' + me.role + '.'),
    h('h2', {}, 'Edit'),
    h('p', {}, position, ' ', action('Set the position', 'admin', 'set-position', async () => {
      const r = await api('POST', '/state/' + e + '/set-position', { position: position.value.trim() });
      flash('Edit ' + r.edit + ': position ' + (r.before === null ? 'none' : r.before) + ' → ' + r.after + '.');
      route();
    })),
    h('p', {}, keys, ' ', action('Forget these keys', 'admin', 'forget-keys-button', async () => {
      const list = keys.value.split('\n').map(k => k.trim()).filter(k => k);
      const r = await api('POST', '/state/' + e + '/reset', { keys: list });
      flash('Edit ' + r.edit + ': ' + r.action + '.');
      route();
    })),
    h('p', {}, action('Reset: forget every key and the position', 'admin', 'reset-all', async () => {
      if (!confirm('Forget every synced key and the position of ' + sync + '? Its next run reads and writes everything again.')) {
        return;
      }
      const r = await api('POST', '/state/' + e + '/reset', {});
      flash('Edit ' + r.edit + ': ' + r.action + '.');
      route();
    })),
    h('h2', {}, 'Last edits'), table('state-edits', ['Edit', 'At', 'By', 'Action', 'Before', 'After'], s.lastEdits.map(x => h('tr', {},
      h('td', {}, x.id), h('td', {}, when(x.at)), h('td', {}, x.actor), h('td', {}, x.action), h('td', {}, details('before', x.before)),
      h('td', {}, details('after', x.after)))), 'Never edited.'));
}

async function previewPage(p, name) {
  const sync = decodeURIComponent(name);
  const e = encodeURIComponent(sync);
  const limit = h('input', { id: 'preview-limit', type: 'number', min: 1, max: 1000, value: p.get('limit') || 20 });
  const out = h('div', { id: 'preview-out' });
  show(h('h1', {}, 'Preview of ', link('#/syncs/' + e, sync)),
    h('p', {}, 'What the next run would read first, skip and write, without writing anything. It calls the vendor.'),
    h('p', {}, h('label', {}, 'Records ', limit), ' ', action('Preview', 'operator', 'preview-button', async () => {
      out.replaceChildren(h('p', {}, 'Reading…'));  // one node: replaceChildren takes nodes, not null
      const r = await api('GET', '/syncs/' + e + '/preview' + query({ limit: limit.value }));
      out.replaceChildren();
      add(out, [h('p', { id: 'preview-summary' }, r.summary.text),
        r.readFrom ? h('p', { class: 'note' }, 'Read from: ' + (typeof r.readFrom === 'string' ? r.readFrom : JSON.stringify(r.readFrom))) : null,
        r.summary.failure ? h('p', { class: 'flash error', id: 'preview-failure' }, r.summary.failure) : null,
        r.notes && r.notes.length ? h('ul', {}, r.notes.map(n => h('li', {}, n))) : null,
        h('h2', {}, 'Batches the sink would receive'), ...(r.batches || []).map((b, i) => details('batch ' + (i + 1) + ': ' + b.rows.length + ' rows', b.requests || b.rows)),
        h('h2', {}, 'Would skip'), details(r.skipped.length + ' records', r.skipped),
        h('h2', {}, 'Would reject'), details(r.rejected.length + ' records', r.rejected),
        h('h2', {}, 'Its API calls'), details(r.apiCalls.length + ' calls', r.apiCalls)]);
    })), out);
}

// ---- routing

const ROUTES = [
  [/^#\/$/, fleetPage, 'nav-fleet'],
  [/^#\/syncs\/([^/]+)$/, syncPage, 'nav-fleet'],
  [/^#\/runs$/, runsPage, 'nav-runs'],
  [/^#\/runs\/(\d+)$/, runPage, 'nav-runs'],
  [/^#\/dead-letters$/, deadLettersPage, 'nav-dead-letters'],
  [/^#\/jobs\/(\d+)$/, jobPage, 'nav-dead-letters'],
  [/^#\/api-calls$/, apiCallsPage, 'nav-api-calls'],
  [/^#\/records$/, recordPage, 'nav-records'],
  [/^#\/audit$/, auditPage, 'nav-audit'],
  [/^#\/state\/([^/]+)$/, statePage, 'nav-fleet'],
  [/^#\/preview\/([^/]+)$/, previewPage, 'nav-fleet'],
];

async function route() {
  timers.forEach(t => clearInterval(t));
  timers = [];
  rendering = location.hash;
  const hash = location.hash || '#/';
  const q = hash.indexOf('?');
  const path = q < 0 ? hash : hash.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
  for (const [pattern, page, nav] of ROUTES) {
    const m = path.match(pattern);
    if (m) {
      document.querySelectorAll('nav a').forEach(a => a.classList.toggle('here', a.id === nav));
      try {
        await page(params, ...m.slice(1));
      } catch (e) {
        show(h('h1', {}, 'Cannot show this page'), h('p', { class: 'flash error', id: 'page-error' }, e.message));
      }
      return;
    }
  }
  show(h('h1', {}, 'No such page'), h('p', {}, link('#/', 'Back to the syncs')));
}

document.addEventListener('DOMContentLoaded', async () => {
  try {
    me = await api('GET', '/me');
  } catch (e) {
    show(h('p', { class: 'flash error' }, e.message));
    return;
  }
  document.getElementById('who').textContent = me.name + ' (' + me.role + ') on ' + me.node;
  document.getElementById('logout').addEventListener('submit', () => {
    document.getElementById('logout-csrf').value = csrf();
  });
  window.addEventListener('hashchange', () => {
    if (keepFlash) {
      keepFlash = false;
    } else {
      flash('');
    }
    route();
  });
  route();
});
