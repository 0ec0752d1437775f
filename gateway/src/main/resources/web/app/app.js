// The Throughline dashboard: a client of the REST API behind the gateway, signed in through Keycloak.
import './app.css';
import { signIn, signOut } from './auth.js';
import { ApiError } from './api.js';
import { escape, getLocale, setCurrency, setLocale } from './format.js';
import { disposeAll } from './charts.js';
import { overview } from './pages/overview.js';
import { channels } from './pages/channels.js';
import { cohorts, funnel, quality } from './pages/analysis.js';
import { calls } from './pages/calls.js';
import { audiences } from './pages/audiences.js';
import { settings } from './pages/settings.js';

const PAGES = { overview, channels, cohorts, funnel, calls, quality, audiences, settings };
/** Pages only admins open (the API refuses the others anyway). */
const ADMIN_PAGES = new Set(['settings']);
let admin = false;
/** A locale the reader asked for (?lang=en or ?lang=ru); otherwise the workspace's, as the reports name it. */
let chosenLocale = null;
const state = { drill: [], sort: '' };
let models = [];

function monthStart(d) {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

function query() {
  return {
    from: document.getElementById('from').value || undefined,
    to: document.getElementById('to').value || undefined,
    model: document.getElementById('model').value || undefined,
  };
}

function fillModels(meta) {
  const available = (meta && meta.models_available) || [];
  const select = document.getElementById('model');
  if (available.join() !== models.join()) {
    models = available;
    const chosen = select.value || (meta.model && meta.model.series) || '';
    select.innerHTML = available.map((m) => `<option value="${escape(m)}"${m === chosen ? ' selected' : ''}>${escape(m)}</option>`).join('');
  }
}

async function render() {
  let name = (window.location.hash.replace(/^#\//, '') || 'overview').split('?')[0];
  if (!PAGES[name] || (ADMIN_PAGES.has(name) && !admin)) {
    name = 'overview';
  }
  const page = PAGES[name];
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === name));
  const root = document.getElementById('page');
  disposeAll();
  root.setAttribute('aria-busy', 'true');
  try {
    const meta = await page(root, query(), state, render);
    if (meta) {
      setCurrency(meta.currency);
      fillModels(meta);
      if (!chosenLocale && meta.locale && meta.locale !== getLocale()) {
        setLocale(meta.locale);
        document.documentElement.lang = meta.locale.slice(0, 2);
        await page(root, query(), state, render);
      }
    }
    root.dataset.loaded = name;
  } catch (e) {
    const detail = e instanceof ApiError ? e.message + (e.problem && e.problem.errors ? ' (' + e.problem.errors.map((x) => x.field).join(', ') + ')' : '') : e.message;
    root.innerHTML = `<p class="error" role="alert">Could not load this page: ${escape(detail)}</p>`;
    root.dataset.loaded = 'error';
  } finally {
    root.dataset.renders = String(Number(root.dataset.renders || 0) + 1);
    root.removeAttribute('aria-busy');
  }
}

async function main() {
  const params = new URLSearchParams(window.location.search);
  chosenLocale = params.get('lang') === 'en' ? 'en-US' : params.get('lang') === 'ru' ? 'ru-RU' : null;
  setLocale(chosenLocale || 'ru-RU');
  document.documentElement.lang = (chosenLocale || 'ru-RU').slice(0, 2);
  const user = await signIn();
  document.getElementById('who').textContent = user.name + (user.workspace ? ' · ' + user.workspace : '') + ' · ' +
    (user.roles.includes('admin') ? 'admin' : user.roles.includes('analyst') ? 'analyst' : user.roles.join(', '));
  admin = user.roles.includes('admin');
  document.querySelectorAll('#nav a[data-admin]').forEach((a) => { a.hidden = !admin; });
  document.getElementById('nav').hidden = false;
  document.getElementById('filters').hidden = false;
  const signOutButton = document.getElementById('sign-out');
  signOutButton.hidden = false;
  signOutButton.addEventListener('click', () => signOut());
  const today = new Date();
  document.getElementById('from').value = monthStart(new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), 1)));
  document.getElementById('to').value = today.toISOString().slice(0, 10);
  ['from', 'to', 'model'].forEach((id) => document.getElementById(id).addEventListener('change', render));
  window.addEventListener('hashchange', () => {
    state.drill = [];
    state.sort = '';
    render();
  });
  await render();
}

main().catch((e) => {
  document.getElementById('page').innerHTML = `<p class="error" role="alert">Sign-in failed: ${escape(e && e.message ? e.message : e)}</p>`;
});
