// Overview: spend, revenue, gross profit, real and naive ROMI side by side, and the bridge between them as a waterfall.
import { get } from '../api.js';
import { escape, money, percent, points } from '../format.js';
import { chart } from '../charts.js';
import { table } from '../table.js';

const BRIDGE_LABELS = {
  bots_and_junk: 'Bots and junk leads',
  duplicates_and_returning: 'Duplicates and returning customers',
  unpaid_deals: 'Deals never paid',
  average_check: 'Real average check',
  margin: 'Margin',
  attribution_model: 'Attribution model',
  overheads: 'Overheads',
};

/** A headline figure; data-value keeps the API's own value (tests compare it with the API's answer). */
function kpi(label, shown, id, raw) {
  return `<div class="kpi" data-kpi="${id}" data-value="${raw === null || raw === undefined ? '' : raw}"><span class="label">${label}</span>`
    + `<span class="value">${shown}</span></div>`;
}

export async function overview(root, query) {
  const [channels, naive, trend] = await Promise.all([
    get('/api/reporting/reports/channels', query),
    get('/api/reporting/reports/naive-vs-real', query),
    get('/api/reporting/reports/trend', { ...query, limit: 1000 }),
  ]);
  const t = channels.totals;
  const n = naive.totals;
  root.innerHTML = `
    <h1>Overview</h1>
    <p class="meta">${channels.meta.period && channels.meta.period.from ? escape(channels.meta.period.from + ' – ' + channels.meta.period.to) : ''}
       · model ${escape((channels.meta.model && channels.meta.model.series) || '—')}</p>
    <div class="kpis">
      ${kpi('Ad spend', money(t.cost), 'cost', t.cost)}
      ${kpi('Spend, fully loaded', money(t.cost_full), 'cost_full', t.cost_full)}
      ${kpi('Revenue received', money(t.revenue), 'revenue', t.revenue)}
      ${kpi('Gross profit', money(t.gross_profit), 'gross_profit', t.gross_profit)}
      ${kpi('Real ROMI', percent(n.real_romi_pct), 'real_romi_pct', n.real_romi_pct)}
      ${kpi('Naive ROMI (ad cabinet)', percent(n.naive_romi_pct), 'naive_romi_pct', n.naive_romi_pct)}
    </div>
    <h2>Day by day</h2>
    <div class="chart" id="trend"></div>
    <details><summary>The days as a table</summary>${table(trend, { shown: ['cost', 'leads', 'paid_deals', 'revenue', 'gross_profit', 'romi_pct'] })
      .replace('id="report"', 'id="trend-table"')}</details>
    <h2>From the ad cabinet's ROMI to the real one</h2>
    <div class="chart" id="bridge"></div>
    <table class="bridge-table"><tbody id="bridge-rows"></tbody></table>`;
  const steps = Object.keys(n).filter((k) => k.startsWith('bridge_') && k.endsWith('_pts')).map((k) => k.slice(7, -4));
  const rows = [['Naive ROMI', n.naive_romi_pct, 'naive']].concat(steps.map((s) => [BRIDGE_LABELS[s] || s, n['bridge_' + s + '_pts'], s]))
    .concat([['Real ROMI, fully loaded', n.real_romi_full_pct, 'real']]);
  document.getElementById('bridge-rows').innerHTML = rows.map(([label, v, id], i) =>
    `<tr data-step="${escape(id)}"><th>${escape(label)}</th><td>${i === 0 || i === rows.length - 1 ? percent(v) : points(v)}</td></tr>`).join('');
  // Waterfall: every bar floats from where the previous one ended; invisible bases carry it (positive and negative
  // values stack apart, so a bar that crosses zero is drawn as its part above and its part below).
  const levels = [[0, Number(n.naive_romi_pct || 0)]];
  let level = levels[0][1];
  for (const s of steps) {
    const next = level + Number(n['bridge_' + s + '_pts'] || 0);
    levels.push([level, next]);
    level = next;
  }
  levels.push([0, Number(n.real_romi_full_pct !== null && n.real_romi_full_pct !== undefined ? n.real_romi_full_pct : level)]);
  const series = { basePos: [], baseNeg: [], pos: [], neg: [] };
  levels.forEach(([a, b], i) => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const color = i === 0 || i === levels.length - 1 ? '#3b6fd4' : b >= a ? '#2e9e5b' : '#d64545';
    const bar = (v) => ({ value: v, itemStyle: { color } });
    if (lo >= 0) {
      series.basePos.push(lo); series.baseNeg.push(0); series.pos.push(bar(hi - lo)); series.neg.push(bar(0));
    } else if (hi <= 0) {
      series.basePos.push(0); series.baseNeg.push(hi); series.pos.push(bar(0)); series.neg.push(bar(lo - hi));
    } else {
      series.basePos.push(0); series.baseNeg.push(0); series.pos.push(bar(hi)); series.neg.push(bar(lo));
    }
  });
  const hidden = { itemStyle: { color: 'transparent' }, tooltip: { show: false }, emphasis: { disabled: true } };
  chart(document.getElementById('bridge'), {
    tooltip: { trigger: 'item', formatter: (p) => rows[p.dataIndex][0] + ': ' + (p.dataIndex === 0 || p.dataIndex === rows.length - 1
      ? percent(rows[p.dataIndex][1]) : points(rows[p.dataIndex][1])) },
    grid: { left: 60, right: 20, top: 20, bottom: 100 },
    xAxis: { type: 'category', data: rows.map((r) => r[0]), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', axisLabel: { formatter: '{value} %' } },
    series: [
      { type: 'bar', stack: 'w', data: series.basePos, ...hidden },
      { type: 'bar', stack: 'w', data: series.baseNeg, ...hidden },
      { type: 'bar', stack: 'w', data: series.pos },
      { type: 'bar', stack: 'w', data: series.neg },
    ],
  });
  drawTrend(document.getElementById('trend'), trend, query);
  return channels.meta;
}

/** Spend, revenue received and gross profit per day of the period (days without anything drawn as zero). */
function drawTrend(element, trend, query) {
  const byDay = new Map(trend.items.map((r) => [r.day, r]));
  const days = [];
  if (query.from && query.to) {
    for (let d = new Date(query.from + 'T00:00:00Z'); d <= new Date(query.to + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
      days.push(d.toISOString().slice(0, 10));
    }
  } else {
    trend.items.forEach((r) => days.push(r.day));
  }
  const series = (name, column, color, type) => ({
    type, name, data: days.map((d) => Number((byDay.get(d) || {})[column] || 0)), itemStyle: { color }, showSymbol: false,
  });
  chart(element, {
    tooltip: { trigger: 'axis', valueFormatter: (v) => money(v) },
    legend: { top: 0 },
    grid: { left: 80, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value' },
    series: [
      series('Ad spend', 'cost', '#d0a13b', 'bar'),
      series('Revenue received', 'revenue', '#3b6fd4', 'line'),
      series('Gross profit', 'gross_profit', '#2e9e5b', 'line'),
    ],
  });
}
