// The console's shell: hash routes to pages, the header (cache freshness, drain mode), the token prompt, errors.
import * as api from './api.js';
import { duration, h } from './dom.js';
import * as pages from './pages.js';

const ROUTES = [
  [/^#\/tables\/([a-z0-9_]+)\/([a-z0-9_]+)$/, pages.table, 'tables'],
  [/^#\/tables$/, pages.tables, 'tables'],
  [/^#\/jobs\/([0-9a-f]+)$/, pages.job, 'jobs'],
  [/^#\/jobs(\?.*)?$/, pages.jobs, 'jobs'],
  [/^#\/runs$/, pages.runs, 'runs'],
];
/** How often the header's cache freshness and drain mode are read again. */
const HEADER_MS = 10000;

const main = document.getElementById('page');
const message = document.getElementById('message');
const drainButton = document.getElementById('drain-toggle');
const cacheStatus = document.getElementById('cache-status');
const tokenForm = document.getElementById('token-form');
const forget = document.getElementById('forget-token');
let generation = 0;
let drain = null;

function fail(error) {
  if (error instanceof api.ApiError && error.status === 401) {
    return;
  }
  message.textContent = error instanceof api.ApiError ? error.code + ': ' + error.message : String(error);
  message.hidden = false;
}

function clearMessage() {
  message.hidden = true;
  message.textContent = '';
}

/** Draws the page of the current hash; a page's polling stops when another page is drawn. */
async function route() {
  const mine = ++generation;
  clearMessage();
  const hash = location.hash || '#/tables';
  const match = ROUTES.map(([pattern, page, nav]) => [hash.match(pattern), page, nav]).find(([m]) => m);
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', Boolean(match) && link.dataset.nav === match[2]);
  }
  if (!match) {
    main.replaceChildren(h('h2', {}, 'Not found'), h('p', {}, 'No console page at ' + hash + '.'));
    return;
  }
  const [m, page] = match;
  const ctx = {
    fail,
    go: () => route(),
    /** Runs fn now and every ms while this page is shown, until fn answers true. */
    poll: async (ms, fn) => {
      const tick = async () => {
        if (mine !== generation) return;
        let done = false;
        try {
          done = await fn();
          if (mine === generation && message.dataset.source === 'poll') clearMessage();
        } catch (error) {
          fail(error);
          message.dataset.source = 'poll';
        }
        if (!done && mine === generation) setTimeout(tick, ms);
      };
      await tick();
    },
  };
  main.setAttribute('aria-busy', 'true');
  try {
    await page(main, m.slice(1).filter((p) => p !== undefined && !p.startsWith('?')), ctx);
  } catch (error) {
    if (mine === generation) {
      main.replaceChildren(h('p', { class: 'muted' }, 'Could not load this page.'));
      fail(error);
    }
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

/** The header: drain mode (a toggle) and the table cache's freshness. */
async function header() {
  try {
    const [state, cache] = await Promise.all([api.get('/admin/drain'), api.get('/tables/cache-status')]);
    showDrain(state);
    const parts = [cache.table_count + ' tables cached'];
    parts.push(cache.lag_seconds === null ? 'never synced' : 'synced ' + duration(cache.lag_seconds) + ' ago');
    if (cache.pass_running) parts.push('sync running');
    cacheStatus.textContent = 'cache: ' + parts.join(', ');
    cacheStatus.title = 'last synced ' + (cache.last_synced || 'never') + '; sync leader '
        + (cache.sync_leader || 'none');
    cacheStatus.classList.toggle('stale', cache.lag_seconds === null);
  } catch (error) {
    fail(error);
  }
}

function showDrain(state) {
  drain = state;
  drainButton.textContent = 'drain mode: ' + (state.enabled ? 'on' : 'off');
  drainButton.dataset.enabled = String(state.enabled);
  drainButton.classList.toggle('on', state.enabled);
  drainButton.disabled = state.forced_by_config;
  drainButton.title = state.forced_by_config ? 'Drain mode is forced on by this process\'s configuration'
    : (state.enabled ? 'New jobs are refused (503). Click to accept jobs again.'
      : 'Click to refuse new jobs on every replica (running jobs finish).');
}

drainButton.addEventListener('click', async () => {
  if (!drain) return;
  drainButton.disabled = true;
  try {
    showDrain(await api.send('PUT', '/admin/drain', { enabled: !drain.shared }));
  } catch (error) {
    fail(error);
    drainButton.disabled = false;
  }
});

api.onUnauthorized((hadToken) => {
  document.getElementById('token-error').hidden = !hadToken;
  tokenForm.hidden = false;
  document.getElementById('token-input').focus();
});

tokenForm.addEventListener('submit', (e) => {
  e.preventDefault();
  api.setToken(document.getElementById('token-input').value.trim());
  tokenForm.hidden = true;
  forget.hidden = false;
  header();
  route();
});

forget.addEventListener('click', () => {
  api.forgetToken();
  location.reload();
});

forget.hidden = !api.token();
window.addEventListener('hashchange', route);
header();
setInterval(header, HEADER_MS);
route();
