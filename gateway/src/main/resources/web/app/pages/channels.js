// Channels, then campaigns and keywords by drill-down: the money report as a sortable table, with CSV export and the
// attribution model switch (the table shows how credit moves when the model changes).
import { get, download } from '../api.js';
import { escape } from '../format.js';
import { chart } from '../charts.js';
import { table, wire } from '../table.js';

const LEVELS = [
  { report: 'channels', key: 'channel', title: 'Channels' },
  { report: 'campaigns', key: 'campaign', title: 'Campaigns' },
  { report: 'keywords', key: 'keyword', title: 'Keywords' },
];
const SHOWN = ['cost', 'cost_full', 'sessions', 'leads', 'paid_deals', 'new_customers', 'revenue', 'gross_profit', 'cpl', 'cac', 'cac_full', 'romi_pct',
  'romi_full_pct', 'ltv', 'ltv_to_cac'];

export async function channels(root, query, state, rerender) {
  const level = LEVELS[Math.min(state.drill.length, LEVELS.length - 1)];
  const params = { ...query, sort: state.sort || undefined, limit: 1000 };
  state.drill.forEach((d) => { params[d.key] = d.value; });
  const data = await get('/api/reporting/reports/' + level.report, params);
  const crumbs = ['<a href="#" data-drill="-1">All channels</a>'].concat(state.drill.map((d, i) =>
    `<a href="#" data-drill="${i}">${escape(d.value)}</a>`)).join(' › ');
  root.innerHTML = `
    <h1>${level.title}</h1>
    <p class="crumbs">${crumbs}</p>
    <p><button type="button" id="csv">Export CSV</button></p>
    ${table(data, { shown: SHOWN, drill: state.drill.length < LEVELS.length - 1 ? level.key : null, sort: state.sort })}
    <h2>Revenue received and spend by ${level.key}</h2>
    <div class="chart" id="revenue-chart"></div>
    <div id="explained" hidden><h2 id="explained-title"></h2><div class="chart" id="explained-chart"></div></div>
    <div id="models" hidden><h2>How credit moves between the models</h2><div class="chart" id="models-chart"></div></div>`;
  wire(root, state, rerender, (value) => {
    state.drill.push({ key: level.key, value });
    state.sort = '';
    rerender();
  });
  root.querySelectorAll('a[data-drill]').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    state.drill = state.drill.slice(0, Number(a.dataset.drill) + 1);
    rerender();
  }));
  document.getElementById('csv').addEventListener('click', () => download('/api/reporting/reports/' + level.report, params,
    level.report + '.csv'));
  chart(document.getElementById('revenue-chart'), {
    tooltip: { trigger: 'axis' },
    grid: { left: 80, right: 20, top: 30, bottom: 60 },
    xAxis: { type: 'category', data: data.items.map((r) => String(r[level.key] === null ? '—' : r[level.key])), axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value' },
    legend: { data: ['revenue', 'cost'] },
    series: [
      { type: 'bar', name: 'revenue', data: data.items.map((r) => Number(r.revenue || 0)), itemStyle: { color: '#3b6fd4' } },
      { type: 'bar', name: 'cost', data: data.items.map((r) => Number(r.cost || 0)), itemStyle: { color: '#d0a13b' } },
    ],
  });
  await Promise.all([explain(data.meta.model), state.drill.length === 0 ? compareModels(data, params) : null]);
  return data.meta;
}

/** Revenue credited to each channel under every model with a finished run (at most six), side by side. */
async function compareModels(data, params) {
  const models = (data.meta.models_available || []).slice(0, 6);
  if (models.length < 2) {
    return;
  }
  const answers = await Promise.all(models.map((m) => get('/api/reporting/reports/channels', { ...params, model: m, sort: undefined })));
  const channelNames = [...new Set(answers.flatMap((a) => a.items.map((r) => r.channel)))];
  document.getElementById('models').hidden = false;
  chart(document.getElementById('models-chart'), {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 80, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: channelNames.map((c) => (c === null ? '—' : c)), axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value' },
    series: answers.map((a, i) => {
      const byChannel = new Map(a.items.map((r) => [r.channel, Number(r.revenue || 0)]));
      return { type: 'bar', name: models[i], data: channelNames.map((c) => byChannel.get(c) || 0) };
    }),
  });
}

/**
 * What a data-driven model rests on, from its run: Markov's removal effects (how much of the conversions are lost
 * when a channel is taken out) or Shapley values, as bars; rule-based models have none.
 */
async function explain(model) {
  if (!model || !model.run_id) {
    return;
  }
  const run = await get('/api/attribution/runs/' + encodeURIComponent(model.run_id));
  const explanation = run.explanation || {};
  const values = explanation.removal_effects || explanation.shapley_values;
  if (!values || typeof values !== 'object') {
    return;
  }
  const entries = Object.entries(values).sort((a, b) => Number(b[1]) - Number(a[1]));
  document.getElementById('explained').hidden = false;
  document.getElementById('explained-title').textContent = explanation.removal_effects
    ? 'Removal effects of the ' + model.series + ' model (share of conversions lost without the channel)'
    : 'Shapley values of the ' + model.series + ' model';
  chart(document.getElementById('explained-chart'), {
    tooltip: { trigger: 'axis' },
    grid: { left: 120, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: entries.map((e) => e[0]), inverse: true },
    series: [{ type: 'bar', data: entries.map((e) => Number(e[1])), itemStyle: { color: '#7a5bd4' } }],
  });
}
