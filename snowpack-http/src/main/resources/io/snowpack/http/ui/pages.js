// The console's pages. Each takes the element to fill, the route's parameters and a context ({poll, fail, go}),
// and reads everything it shows from the REST API.
import * as api from './api.js';
import { ago, bytes, count, flag, grid, h, list, status, time } from './dom.js';

const ACTIONS = ['rewrite_data_files', 'rewrite_position_delete_files', 'expire_snapshots', 'rewrite_manifests',
  'remove_orphan_files'];
const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
/** How often live views (jobs, a running job) are read again. */
export const POLL_MS = 2000;
/** Most table rows drawn at once (sorting and filtering still cover every table); filter to see the others. */
const MAX_ROWS = 2000;

function key(t) {
  return t.database + '.' + t.table_name;
}

function tableLink(database, table) {
  return h('a', { href: '#/tables/' + database + '/' + table }, database + '.' + table);
}

// ---- Tables ----

const TABLE_COLUMNS = [
  { key: 'table', label: 'Table', value: key },
  { key: 'needs_maintenance', label: 'Needs maintenance', value: (t) => (t.needs_maintenance ? 1 : 0) },
  { key: 'reasons', label: 'Reasons', value: (t) => (t.reasons || []).join('; ') },
  { key: 'data_files', label: 'Data files', numeric: true, value: (t) => t.data_files },
  { key: 'small_files', label: 'Small files', numeric: true, value: (t) => t.small_files },
  { key: 'delete_files', label: 'Delete files', numeric: true,
    value: (t) => t.position_delete_files + t.equality_delete_files },
  { key: 'snapshots', label: 'Snapshots', numeric: true, value: (t) => t.snapshots },
  { key: 'total_bytes', label: 'Size', numeric: true, value: (t) => t.total_bytes },
  { key: 'total_records', label: 'Records', numeric: true, value: (t) => t.total_records },
  { key: 'maintenance_enabled', label: 'Orchestrated', value: (t) => (t.maintenance_enabled ? 1 : 0) },
  { key: 'synced_at', label: 'Synced', value: (t) => t.synced_at || '' },
];

function tableCell(t, col) {
  switch (col) {
    case 'table': return tableLink(t.database, t.table_name);
    case 'needs_maintenance': return flag(t.needs_maintenance, 'needs maintenance', 'healthy');
    case 'reasons': return list(t.reasons);
    case 'delete_files': return count(t.position_delete_files + t.equality_delete_files);
    case 'total_bytes': return bytes(t.total_bytes);
    case 'maintenance_enabled': return t.maintenance_enabled ? 'yes' : 'no';
    case 'synced_at': return ago(t.synced_at);
    default: return count(t[col]);
  }
}

/** Every cached table (all pages), sortable by any column and filtered by name, reason and state. */
export async function tables(main, params, ctx) {
  const state = { sort: 'needs_maintenance', descending: true, text: '', needs: 'all' };
  const all = await api.allTables();
  const filter = h('input', { id: 'table-filter', type: 'search', placeholder: 'filter by name or reason',
    oninput: (e) => { state.text = e.target.value.trim().toLowerCase(); draw(); } });
  const needs = h('select', { id: 'needs-filter', onchange: (e) => { state.needs = e.target.value; draw(); } },
      h('option', { value: 'all' }, 'all tables'),
      h('option', { value: 'needs' }, 'needing maintenance'),
      h('option', { value: 'healthy' }, 'healthy'));
  const summary = h('span', { id: 'table-count', class: 'muted' });
  const holder = h('div', { class: 'scroll' });
  main.replaceChildren(h('h2', {}, 'Tables'), h('div', { class: 'toolbar' }, filter, needs, summary), holder);

  function visible(t) {
    if (state.needs === 'needs' && !t.needs_maintenance) return false;
    if (state.needs === 'healthy' && t.needs_maintenance) return false;
    if (!state.text) return true;
    return key(t).includes(state.text) || (t.reasons || []).some((r) => r.toLowerCase().includes(state.text));
  }

  function draw() {
    const column = TABLE_COLUMNS.find((c) => c.key === state.sort);
    const rows = all.filter(visible).sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      const order = x < y ? -1 : x > y ? 1 : key(a) < key(b) ? -1 : 1;
      return state.descending ? -order : order;
    });
    const table = grid(TABLE_COLUMNS, rows.slice(0, MAX_ROWS), (t) => ({ dataset: { table: key(t) } }), tableCell);
    table.id = 'tables';
    for (const th of table.querySelectorAll('th')) {
      const col = th.dataset.col;
      th.classList.add('sortable');
      th.dataset.sort = col === state.sort ? (state.descending ? 'descending' : 'ascending') : '';
      th.title = 'sort by ' + th.textContent;
      th.addEventListener('click', () => {
        state.descending = col === state.sort ? !state.descending : false;
        state.sort = col;
        draw();
      });
    }
    summary.textContent = rows.length + ' of ' + all.length + ' tables'
        + (rows.length > MAX_ROWS ? ' (the first ' + MAX_ROWS + ' shown: filter to narrow)' : '');
    holder.replaceChildren(table);
  }
  draw();
}

// ---- One table ----

const HEALTH_FIELDS = [
  ['data_files', 'Data files', count], ['small_files', 'Small files', count],
  ['average_file_size_bytes', 'Average file size', bytes], ['position_delete_files', 'Position delete files', count],
  ['equality_delete_files', 'Equality delete files', count], ['deletion_vectors', 'Deletion vectors', count],
  ['total_records', 'Records', count], ['total_bytes', 'Size', bytes], ['snapshots', 'Snapshots', count],
  ['oldest_snapshot_at', 'Oldest snapshot', ago], ['data_manifests', 'Data manifests', count],
  ['delete_manifests', 'Delete manifests', count], ['metadata_file_size_bytes', 'Metadata file', bytes],
  ['previous_metadata_files', 'Previous metadata files', count], ['format_version', 'Format version', count],
  ['synced_at', 'Measured', ago],
];

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([label, value, id]) =>
      [h('dt', {}, label), h('dd', { dataset: id ? { field: id } : {} }, value)]));
}

function planView(plan) {
  return h('section', { id: 'plan', dataset: { wouldSubmit: String(plan.would_submit) } },
      h('h3', {}, 'Maintenance plan'),
      h('p', { class: 'lead' }, plan.would_submit
          ? 'The orchestrator would submit ' + plan.actions.join(', ') + ' now.'
          : 'The orchestrator would not submit a job now.'),
      facts([
        ['Would submit', h('span', { class: 'badge' }, plan.would_submit ? 'yes' : 'no'), 'would_submit'],
        ['Eligible', plan.eligible ? 'yes' : 'no', 'eligible'],
        ['Skipped by', list(plan.skipped_by), 'skipped_by'],
        ['Actions', list(plan.actions), 'actions'],
        ['Why', list(plan.reasons), 'reasons'],
        ['Executor', plan.executor_reason || plan.executor, 'executor'],
      ]));
}

function dryRunForm(database, table, suggested, ctx) {
  const result = h('div', { id: 'dry-run-result' });
  const boxes = ACTIONS.map((action) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'action', value: action, checked: suggested.includes(action) }), action));
  const button = h('button', { id: 'dry-run-submit', type: 'submit' }, 'Run dry run');
  const form = h('form', { id: 'dry-run', onsubmit: async (e) => {
    e.preventDefault();
    const actions = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    button.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, 'Previewing…'));
    try {
      const job = await api.send('POST', api.tablePath(database, table) + '/maintenance',
          { actions, dry_run: true });
      result.replaceChildren(jobSummary(job));
    } catch (error) {
      result.replaceChildren(h('p', { class: 'error' }, error.message));
    } finally {
      button.disabled = false;
    }
  } }, h('div', { class: 'checks' }, boxes), button);
  return h('section', {}, h('h3', {}, 'Dry run'),
      h('p', { class: 'muted' }, 'What these actions would do now (nothing is written; no worker needed).'),
      form, result);
}

function historyView(history) {
  const columns = [
    { key: 'synced_at', label: 'Measured' }, { key: 'data_files', label: 'Data files', numeric: true },
    { key: 'small_files', label: 'Small files', numeric: true },
    { key: 'delete_files', label: 'Delete files', numeric: true },
    { key: 'snapshots', label: 'Snapshots', numeric: true }, { key: 'total_bytes', label: 'Size', numeric: true },
    { key: 'needs_maintenance', label: 'State' },
  ];
  const table = grid(columns, history, null, (t, col) => {
    switch (col) {
      case 'synced_at': return time(t.synced_at);
      case 'delete_files': return count(t.position_delete_files + t.equality_delete_files);
      case 'total_bytes': return bytes(t.total_bytes);
      case 'needs_maintenance': return flag(t.needs_maintenance, 'needs maintenance', 'healthy');
      default: return count(t[col]);
    }
  });
  table.id = 'health-history';
  return h('section', {}, h('h3', {}, 'Health history'), h('div', { class: 'scroll' }, table));
}

/** One table: its health and reasons, the plan (why or why not), a dry run, recent jobs, health history. */
export async function table(main, [database, name], ctx) {
  const path = api.tablePath(database, name);
  const [health, plan, history] = await Promise.all([api.get(path), api.get(path + '/maintenance-plan'),
    api.get(path + '/health/history?limit=50')]);
  const refresh = h('button', { id: 'live-health', type: 'button', onclick: async () => {
    refresh.disabled = true;
    try {
      await api.get(path + '/health');
      ctx.go();
    } catch (error) {
      ctx.fail(error);
      refresh.disabled = false;
    }
  } }, 'Measure now');
  main.replaceChildren(
      h('h2', {}, database + '.' + name, ' ', flag(health.needs_maintenance, 'needs maintenance', 'healthy'), ' ',
          refresh),
      h('div', { class: 'columns' },
          h('section', { id: 'health' }, h('h3', {}, 'Health'),
              health.reasons.length ? h('div', { class: 'reasons' }, h('strong', {}, 'Needs maintenance: '),
                  list(health.reasons)) : h('p', { class: 'muted' }, 'No maintenance needed.'),
              facts(HEALTH_FIELDS.map(([field, label, format]) => [label, format(health[field]), field])),
              health.property_problems && health.property_problems.length
                ? h('div', { class: 'error' }, 'Property problems: ', list(health.property_problems)) : null),
          h('div', {}, planView(plan), dryRunForm(database, name, plan.actions.length ? plan.actions
              : ['rewrite_data_files'], ctx))),
      h('section', {}, h('h3', {}, 'Recent jobs'), jobTable(health.last_jobs, ctx, 'recent-jobs')),
      historyView(history));
}

// ---- Jobs ----

function resultLines(job) {
  if (!job.results || !job.results.length) {
    return job.error ? h('span', { class: 'error' }, job.error) : h('span', { class: 'muted' }, '–');
  }
  return h('ul', { class: 'plain results' }, job.results.map((r) => h('li', {
    class: r.success ? 'ok' : 'error', dataset: { action: r.action } },
  (r.success ? '✓ ' : '✗ ') + r.action + ': ' + (r.success ? r.message || 'done' : r.error || r.message || 'failed'))));
}

function cancelButton(job, ctx) {
  if (TERMINAL.has(job.status)) {
    return null;
  }
  return h('button', { type: 'button', class: 'cancel-job', dataset: { jobId: job.job_id }, onclick: async (e) => {
    e.target.disabled = true;
    try {
      await api.send('POST', '/jobs/' + job.job_id + '/cancel');
      ctx.go();
    } catch (error) {
      ctx.fail(error);
      e.target.disabled = false;
    }
  } }, 'Cancel');
}

const JOB_COLUMNS = [
  { key: 'job_id', label: 'Job' }, { key: 'table', label: 'Table' }, { key: 'actions', label: 'Actions' },
  { key: 'status', label: 'Status' }, { key: 'submitted_at', label: 'Submitted' },
  { key: 'completed_at', label: 'Ended' }, { key: 'results', label: 'Results per action' },
  { key: 'cancel', label: '' },
];

function jobTable(jobs, ctx, id) {
  const table = grid(JOB_COLUMNS, jobs, (j) => ({ dataset: { jobId: j.job_id } }), (j, col) => {
    switch (col) {
      case 'job_id': return h('a', { href: '#/jobs/' + j.job_id, class: 'mono' }, j.job_id.slice(0, 8));
      case 'table': return tableLink(j.database, j.table_name);
      case 'actions': return [list(j.actions), j.dry_run ? h('span', { class: 'badge' }, 'dry run') : null];
      case 'status': return [status(j.status), j.attempts > 1 ? h('span', { class: 'muted' }, ' attempt '
          + j.attempts) : null, j.triggered_by === 'orchestrator' ? h('span', { class: 'muted' }, ' (orchestrator)')
          : null];
      case 'submitted_at': return ago(j.submitted_at);
      case 'completed_at': return j.completed_at ? ago(j.completed_at) : (j.started_at ? 'running' : '–');
      case 'results': return resultLines(j);
      case 'cancel': return cancelButton(j, ctx);
      default: return '';
    }
  });
  table.id = id;
  return h('div', { class: 'scroll' }, table);
}

/** Jobs, newest first, filtered by status and table, read again every POLL_MS while shown; cancel. */
export async function jobs(main, params, ctx) {
  const query = new URLSearchParams(location.hash.split('?')[1] || '');
  const statusSelect = h('select', { id: 'job-status-filter' }, h('option', { value: '' }, 'any status'),
      STATUSES.map((s) => h('option', { value: s, selected: query.get('status') === s }, s)));
  const tableInput = h('input', { id: 'job-table-filter', type: 'search', placeholder: 'db.table',
    value: query.get('table') || '' });
  const apply = () => {
    const next = new URLSearchParams();
    if (statusSelect.value) next.set('status', statusSelect.value);
    if (tableInput.value.trim()) next.set('table', tableInput.value.trim());
    location.hash = '#/jobs' + (next.toString() ? '?' + next : '');
  };
  statusSelect.addEventListener('change', apply);
  tableInput.addEventListener('change', apply);
  const updated = h('span', { id: 'jobs-updated', class: 'muted' });
  const holder = h('div');
  main.replaceChildren(h('h2', {}, 'Jobs'), h('div', { class: 'toolbar' }, statusSelect, tableInput, updated),
      holder);
  query.set('limit', '100');
  await ctx.poll(POLL_MS, async () => {
    const list = await api.get('/jobs?' + query);
    holder.replaceChildren(jobTable(list, ctx, 'jobs'));
    updated.textContent = 'live · updated ' + new Date().toLocaleTimeString('en-GB');
  });
}

function jobSummary(job) {
  return h('div', { class: 'job', dataset: { jobId: job.job_id, status: job.status } },
      h('p', {}, status(job.status), job.dry_run ? ' dry run ' : ' ', h('a', { href: '#/jobs/' + job.job_id,
        class: 'mono' }, job.job_id)),
      resultsTable(job));
}

function resultsTable(job) {
  const columns = [{ key: 'action', label: 'Action' }, { key: 'success', label: 'Outcome' },
    { key: 'message', label: 'Message' }, { key: 'elapsed_seconds', label: 'Seconds', numeric: true },
    { key: 'metrics', label: 'Metrics' }];
  const table = grid(columns, job.results || [], (r) => ({ dataset: { action: r.action } }), (r, col) => {
    switch (col) {
      case 'success': return flag(r.success, 'ok', 'failed', true);
      case 'message': return r.success ? r.message : [r.message, r.error ? h('div', { class: 'error' }, r.error) : null];
      case 'elapsed_seconds': return r.elapsed_seconds === null ? '–' : Number(r.elapsed_seconds).toFixed(2);
      case 'metrics': return h('span', { class: 'mono small' }, Object.entries(r.metrics || {})
          .map(([k, v]) => k + '=' + v).join(' '));
      default: return r[col];
    }
  });
  table.classList.add('results-table');
  return table;
}

/** One job with its results per action, read again every POLL_MS until it ends; cancel while it can be. */
export async function job(main, [id], ctx) {
  await ctx.poll(POLL_MS, async () => {
    const j = await api.get('/jobs/' + encodeURIComponent(id));
    main.replaceChildren(h('h2', {}, 'Job ', h('span', { class: 'mono' }, j.job_id)),
        h('div', { id: 'job', dataset: { status: j.status } }, facts([
          ['Table', tableLink(j.database, j.table_name)], ['Status', status(j.status), 'status'],
          ['Actions', list(j.actions)], ['Dry run', j.dry_run ? 'yes' : 'no'],
          ['Triggered by', j.triggered_by], ['Attempts', j.attempts], ['Submitted', time(j.submitted_at)],
          ['Started', time(j.started_at)], ['Ended', time(j.completed_at)],
          ['Error', j.error ? h('span', { class: 'error' }, j.error) : '–'],
        ]), cancelButton(j, ctx)),
        h('h3', {}, 'Results per action'), resultsTable(j));
    return TERMINAL.has(j.status);
  });
}

// ---- Orchestrator runs ----

/** Recent orchestrator runs with what they assessed, submitted and skipped, and why they skipped. */
export async function runs(main, params, ctx) {
  const list = await api.get('/orchestrator/runs?limit=50');
  const columns = [
    { key: 'started_at', label: 'Started' }, { key: 'finished_at', label: 'Finished' },
    { key: 'leader', label: 'Leader' }, { key: 'tables_assessed', label: 'Assessed', numeric: true },
    { key: 'jobs_submitted', label: 'Submitted', numeric: true },
    { key: 'tables_healthy', label: 'Healthy', numeric: true },
    { key: 'tables_skipped', label: 'Skipped', numeric: true },
    { key: 'skipped_by_reason', label: 'Skip reasons' },
    { key: 'tables_failed', label: 'Failed', numeric: true }, { key: 'error', label: 'Error' },
  ];
  const table = grid(columns, list, (r) => ({ dataset: { runId: r.run_id } }), (r, col) => {
    switch (col) {
      case 'started_at': return time(r.started_at);
      case 'finished_at': return r.finished_at ? time(r.finished_at) : 'running';
      case 'skipped_by_reason': {
        const reasons = Object.entries(r.skipped_by_reason || {});
        return reasons.length ? h('ul', { class: 'plain' }, reasons.map(([why, n]) => h('li', {}, why + ': ' + n)))
          : '–';
      }
      case 'error': return r.error ? h('span', { class: 'error' }, r.error) : '–';
      case 'leader': return r.leader;
      default: return count(r[col]);
    }
  });
  table.id = 'runs';
  main.replaceChildren(h('div', {}, h('h2', {}, 'Orchestrator runs'), list.length ? null : h('p', { class: 'muted' },
      'No orchestrator run yet: it runs on the leader of a process with the orchestrator role.'),
  h('div', { class: 'scroll' }, table)));
}
