// A page that is one report of the API: its table (sortable, CSV export) and a chart drawn from the same answer.
import { get, download } from '../api.js';
import { table, wire } from '../table.js';

/**
 * {@code report}: the path under /api/reporting/reports; {@code shown}: measures to show (all when omitted);
 * {@code draw(root, data)}: the chart(s); {@code extra(root, query)}: more of the page below the table.
 */
export function reportPage({ report, title, intro, shown, draw, extra, params: fixed }) {
  return async (root, query, state, rerender) => {
    const params = { ...query, ...(fixed || {}), sort: state.sort || undefined, limit: 1000 };
    const data = await get('/api/reporting/reports/' + report, params);
    root.innerHTML = `
      <h1>${title}</h1>
      ${intro ? `<p class="meta">${intro}</p>` : ''}
      <div class="charts" id="charts"></div>
      <p><button type="button" id="csv">Export CSV</button></p>
      ${table(data, { shown, sort: state.sort })}
      <div id="extra"></div>`;
    wire(root, state, rerender, () => {});
    document.getElementById('csv').addEventListener('click', () => download('/api/reporting/reports/' + report, params, report + '.csv'));
    if (draw) {
      draw(document.getElementById('charts'), data);
    }
    if (extra) {
      await extra(document.getElementById('extra'), query);
    }
    return data.meta;
  };
}

/** A titled chart container inside {@code root}. */
export function panel(root, title) {
  const box = document.createElement('section');
  box.innerHTML = `<h2></h2><div class="chart"></div>`;
  box.querySelector('h2').textContent = title;
  root.appendChild(box);
  return box.querySelector('.chart');
}
