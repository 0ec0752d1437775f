// Settings (admins): sites with the snippet to copy, channel rules with the rule tester, number pools, CRM and telephony
// integrations, spend imports (upload with a progress bar) and overheads. Secrets never reach this page: the API shows
// none.
import { get, post, put, remove } from '../api.js';
import { escape, number } from '../format.js';

function rows(items, columns, render) {
  if (!items || !items.length) {
    return '<p class="meta">None yet.</p>';
  }
  return `<div class="table-wrap"><table class="report"><thead><tr>${columns.map((c) => `<th>${escape(c.replace(/_/g, ' '))}</th>`).join('')}</tr></thead>
    <tbody>${items.map((it) => `<tr>${columns.map((c) => `<td data-column="${escape(c)}">${render ? render(c, it) : show(it[c])}</td>`).join('')}</tr>`)
      .join('')}</tbody></table></div>`;
}

function show(v) {
  if (v === null || v === undefined || v === '') {
    return '—';
  }
  if (Array.isArray(v)) {
    return escape(v.join(', '));
  }
  if (typeof v === 'object') {
    return escape(JSON.stringify(v));
  }
  return typeof v === 'number' ? number(v) : escape(v);
}

function progressOf(imp) {
  const p = imp.progress || {};
  const pct = imp.status === 'done' ? 100 : Number(p.percent || 0);
  return `<progress max="100" value="${pct}"></progress> ${escape(imp.status)} ${p.rows_total ? number(p.rows_done) + ' / ' + number(p.rows_total) : ''}`;
}

export async function settings(root, query, state, rerender) {
  const [reportSettings, sites, rules, pools, crm, telephony, imports, overheads] = await Promise.all([
    get('/api/reporting/settings'),
    get('/api/tracking/sites', { limit: 100 }),
    get('/api/tracking/channel-rules'),
    get('/api/calltracking/pools', { limit: 100 }),
    get('/api/attribution/integrations', { limit: 100 }),
    get('/api/calltracking/integrations', { limit: 100 }),
    get('/api/reporting/spend/imports', { limit: 10 }),
    get('/api/reporting/overheads', { from: (query.from || '').slice(0, 7) || undefined, to: (query.to || '').slice(0, 7) || undefined }),
  ]);
  root.innerHTML = `<h1>Settings</h1>
    <section><h2>Reports</h2>
      <form class="inline-form" id="report-settings">
        <label>Currency <input name="currency" value="${escape(reportSettings.currency)}" size="4" maxlength="3"></label>
        <label>Time zone <input name="time_zone" value="${escape(reportSettings.time_zone)}" size="18"></label>
        <label>Locale <select name="locale">${['ru-RU', 'en-US'].map((l) => `<option${l === reportSettings.locale ? ' selected' : ''}>${l}</option>`).join('')}</select></label>
        <button type="submit">Save</button>
      </form>
      <p class="meta">A new time zone rebuilds every daily figure in the background.</p></section>
    <section><h2>Sites</h2>
      <form class="inline-form" data-create="/api/tracking/sites">
        <label>Name <input name="name" required maxlength="120"></label>
        <label>Domains <input name="domains" required placeholder="shop.ru, www.shop.ru" data-list></label>
        <label>Phone region <input name="default_phone_region" value="RU" size="3" maxlength="2"></label>
        <button type="submit">Add a site</button>
      </form>${rows(sites.items, ['name', 'domains', 'public_key', 'snippet'], (c, it) => c === 'snippet'
      ? `<code class="snippet">${escape(it.snippet)}</code> <button type="button" data-copy="${escape(it.snippet)}">Copy</button>` : show(it[c]))}</section>
    <section><h2>Channel rules</h2>
      <p class="meta">${number((rules.rules || []).length)} rules in force. Test how a visit is classified:</p>
      <form id="rule-test" class="inline-form">
        <label>Landing URL <input name="url" size="50" value="https://example.ru/?utm_source=yandex&amp;utm_medium=cpc"></label>
        <label>Referrer <input name="referrer" size="30" value="https://yandex.ru/"></label>
        <button type="submit">Test</button>
      </form>
      <pre id="rule-result" class="result"></pre>
      <details><summary>Edit the rules (the whole document: groups, ignored referrers, ordered rules)</summary>
        <textarea id="rules-json" rows="16" cols="100" spellcheck="false">${escape(JSON.stringify(rules, null, 2))}</textarea>
        <p><button type="button" id="rules-save">Save the rules</button> <button type="button" id="rules-reset">Back to the shipped rules</button></p>
        <pre id="rules-result" class="result"></pre>
      </details></section>
    <section><h2>Number pools</h2>
      <form class="inline-form" id="pool-form">
        <label>Name <input name="name" required maxlength="120"></label>
        <label>Site <select name="site_key">${sites.items.map((it) => `<option value="${escape(it.public_key)}">${escape(it.name)}</option>`).join('')}</select></label>
        <label>Hold, s <input name="hold_seconds" type="number" min="30" max="3600" value="900"></label>
        <label>Numbers <textarea name="numbers" rows="2" cols="30" placeholder="+7 495 123-45-67, one per line"></textarea></label>
        <button type="submit">Add a pool</button>
      </form>${rows(pools.items, ['name', 'site_key', 'hold_seconds', 'overflow_policy'])}</section>
    <section><h2>CRM integrations</h2>
      <form class="inline-form" data-create="/api/attribution/integrations">
        <label>Name <input name="name" required maxlength="120"></label>
        <label>Format <select name="format"><option>generic</option><option>amocrm</option><option>bitrix24</option></select></label>
        <label>CRM <input name="crm" placeholder="retailcrm" maxlength="40"></label>
        <label>Currency <input name="currency" value="RUB" size="4" maxlength="3"></label>
        <button type="submit">Add a CRM integration</button>
      </form>${rows(crm.items, ['name', 'crm', 'format', 'webhook_url', 'account', 'currency', 'created_at'])}</section>
    <section><h2>Telephony integrations</h2>
      <form class="inline-form" data-create="/api/calltracking/integrations">
        <label>Name <input name="name" required maxlength="120"></label>
        <label>Format <select name="format"><option>generic</option><option>twilio</option><option>zadarma</option></select></label>
        <button type="submit">Add a telephony integration</button>
      </form>${rows(telephony.items, ['name', 'format', 'webhook_url', 'time_zone', 'created_at'])}</section>
    <section><h2>Spend imports</h2>
      <form id="spend-upload" class="inline-form">
        <label>File <input type="file" name="file" accept=".csv,.tsv,.txt,.json"></label>
        <button type="submit">Upload</button>
      </form>
      <div id="imports">${rows(imports.items, ['created_at', 'format', 'origin', 'progress'], (c, it) => c === 'progress' ? progressOf(it) : show(it[c]))}</div>
    </section>
    <section><h2>Overheads</h2>
      <form class="inline-form" id="overhead-form">
        <label>Month <input name="month" type="month" required></label>
        <label>Category <select name="category"><option>salaries</option><option>tools</option><option>agency_commission</option>
          <option>payment_commission</option><option>bonuses</option><option>other</option></select></label>
        <label>Amount <input name="amount" type="number" step="0.01" min="0" required></label>
        <label>Currency <input name="currency" value="RUB" size="4" maxlength="3"></label>
        <label>Note <input name="note" maxlength="200"></label>
        <button type="submit">Add to the month</button>
      </form>${rows(Object.values(overheads).flat().flatMap((m) => (m.items || []).map((i) => ({ month: m.month, ...i }))),
      ['month', 'category', 'amount', 'percent_of_spend', 'channel', 'note'], (c, it) => c === 'amount' && it.amount !== null && it.amount !== undefined
      ? escape(number(it.amount) + ' ' + (it.currency || '')) : show(it[c]))}</section>`;
  // Create forms: the API's answer (a webhook URL and its secret, shown this once) or its problem, under the form.
  root.querySelectorAll('form[data-create]').forEach((form) => form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    new FormData(form).forEach((v, k) => {
      if (v !== '') {
        body[k] = form.querySelector(`[name="${k}"]`).hasAttribute('data-list') ? String(v).split(',').map((x) => x.trim()).filter((x) => x) : v;
      }
    });
    const out = document.createElement('pre');
    out.className = 'result';
    try {
      const created = await post(form.dataset.create, body);
      out.textContent = created && created.secret
        ? 'Created. Copy the secret now, it is not shown again:\n' + JSON.stringify(created, null, 2) : 'Created.';
      form.after(out);
      if (!(created && created.secret)) {
        rerender();
      }
    } catch (err) {
      out.textContent = err.message + (err.problem && err.problem.errors ? ' (' + err.problem.errors.map((x) => x.field + ': ' + x.message).join('; ') + ')' : '');
      form.after(out);
    }
  }));
  document.getElementById('overhead-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const month = f.get('month');
    const existing = Object.values(overheads).flat().filter((m) => m.month === month).flatMap((m) => m.items || []);
    const item = { category: f.get('category'), amount: Number(f.get('amount')), currency: f.get('currency') || 'RUB' };
    if (f.get('note')) {
      item.note = f.get('note');
    }
    try {
      await put('/api/reporting/overheads/' + encodeURIComponent(month), { items: existing.concat([item]) });
      rerender();
    } catch (err) {
      const out = document.createElement('pre');
      out.className = 'result';
      out.textContent = err.message;
      e.target.after(out);
    }
  });
  document.getElementById('report-settings').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    try {
      // The settings are one document: the current one with these fields changed.
      await put('/api/reporting/settings', { ...reportSettings, currency: f.get('currency'), time_zone: f.get('time_zone'), locale: f.get('locale') });
      window.location.reload();
    } catch (err) {
      const out = document.createElement('pre');
      out.className = 'result';
      out.textContent = problem(err);
      e.target.after(out);
    }
  });
  const problem = (err) => err.message + (err.problem && err.problem.errors ? ' (' + err.problem.errors.map((x) => x.field + ': ' + x.message).join('; ') + ')' : '');
  document.getElementById('rules-save').addEventListener('click', async () => {
    const out = document.getElementById('rules-result');
    let doc;
    try {
      doc = JSON.parse(document.getElementById('rules-json').value);
    } catch (err) {
      out.textContent = 'Not JSON: ' + err.message;
      return;
    }
    try {
      await put('/api/tracking/channel-rules', doc);
      out.textContent = 'Saved: new visits are classified with these rules.';
    } catch (err) {
      out.textContent = problem(err);
    }
  });
  document.getElementById('rules-reset').addEventListener('click', async () => {
    await remove('/api/tracking/channel-rules');
    rerender();
  });
  document.getElementById('pool-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const out = document.createElement('pre');
    out.className = 'result';
    try {
      const pool = await post('/api/calltracking/pools', { name: f.get('name'), site_key: f.get('site_key'), hold_seconds: Number(f.get('hold_seconds')) });
      const numbers = String(f.get('numbers') || '').split(/[\n,;]+/).map((x) => x.trim()).filter((x) => x);
      if (numbers.length) {
        await post('/api/calltracking/pools/' + encodeURIComponent(pool.id) + '/numbers', { numbers });
      }
      rerender();
    } catch (err) {
      out.textContent = problem(err);
      e.target.after(out);
    }
  });
  root.querySelectorAll('button[data-copy]').forEach((b) => b.addEventListener('click', () => navigator.clipboard.writeText(b.dataset.copy)
    .then(() => { b.textContent = 'Copied'; }).catch(() => { b.textContent = 'Select and copy'; })));
  document.getElementById('rule-test').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const out = document.getElementById('rule-result');
    try {
      out.textContent = JSON.stringify(await post('/api/tracking/channel-rules/test', { url: form.get('url'), referrer: form.get('referrer') }), null, 2);
    } catch (err) {
      out.textContent = err.message;
    }
  });
  document.getElementById('spend-upload').addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = new FormData(e.target).get('file');
    if (!file || !file.size) {
      return;
    }
    const type = file.name.endsWith('.json') ? 'application/json' : file.name.endsWith('.tsv') ? 'text/tab-separated-values' : 'text/csv';
    const started = await post('/api/reporting/spend/imports', await file.arrayBuffer(), {}, type);
    const box = document.getElementById('imports');
    for (let imp = started; imp && imp.status !== 'done' && imp.status !== 'failed';) {
      box.innerHTML = rows([imp], ['created_at', 'format', 'origin', 'progress'], (c, it) => c === 'progress' ? progressOf(it) : show(it[c]));
      await new Promise((r) => setTimeout(r, 500));
      imp = await get('/api/reporting/spend/imports/' + encodeURIComponent(imp.id));
      if (imp.status === 'done' || imp.status === 'failed') {
        break;
      }
    }
    rerender();
  });
  return null;
}
