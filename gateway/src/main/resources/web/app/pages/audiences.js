// Audiences: each exclusion or targeting audience with its size and version, its latest versions and its last pulls
// by the ad platforms.
import { get } from '../api.js';
import { escape, number } from '../format.js';
import { chart } from '../charts.js';
import { panel } from './report.js';

function list(items, columns) {
  if (!items.length) {
    return '<p class="meta">None yet.</p>';
  }
  const cols = columns || Object.keys(items[0]).filter((k) => typeof items[0][k] !== 'object' || items[0][k] === null);
  return `<div class="table-wrap"><table class="report"><thead><tr>${cols.map((c) => `<th>${escape(c.replace(/_/g, ' '))}</th>`).join('')}</tr></thead>
    <tbody>${items.map((it) => `<tr>${cols.map((c) => `<td data-column="${escape(c)}" data-value="${escape(it[c] === null || it[c] === undefined ? '' : it[c])}">${
      it[c] === null || it[c] === undefined ? '—' : typeof it[c] === 'number' ? number(it[c]) : escape(it[c])}</td>`).join('')}</tr>`).join('')}</tbody>
  </table></div>`;
}

export async function audiences(root) {
  const page = await get('/api/attribution/audiences', { limit: 100 });
  root.innerHTML = `<h1>Audiences</h1>
    <p class="meta">Who is exported to the ad platforms: people who already bought (to exclude from acquisition campaigns) and the segments to target.</p>
    <div id="sizes"></div>
    <div id="audience-table">${list(page.items, ['name', 'kind', 'purpose', 'size', 'version', 'recomputing', 'updated_at'])}</div>
    <div id="details"></div>`;
  if (page.items.length) {
    chart(panel(document.getElementById('sizes'), 'Members per audience'), {
      tooltip: { trigger: 'axis' },
      grid: { left: 160, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: page.items.map((a) => a.name), inverse: true },
      series: [{ type: 'bar', data: page.items.map((a) => a.size), itemStyle: { color: '#2e9e5b' } }],
    });
  }
  const details = document.getElementById('details');
  for (const a of page.items.slice(0, 10)) {
    const [versions, pulls] = await Promise.all([
      get('/api/attribution/audiences/' + encodeURIComponent(a.id) + '/versions', { limit: 5 }),
      get('/api/attribution/audiences/' + encodeURIComponent(a.id) + '/pulls', { limit: 5 }),
    ]);
    const box = document.createElement('section');
    box.innerHTML = `<h2></h2><h3>Latest versions</h3>${list(versions.items)}<h3>Last pulls</h3>${list(pulls.items)}`;
    box.querySelector('h2').textContent = a.name;
    details.appendChild(box);
  }
  return null;
}
