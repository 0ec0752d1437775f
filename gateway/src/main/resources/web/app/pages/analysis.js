// Cohorts, funnel and data quality: each one report of the API with the chart that reads it at a glance.
import { get } from '../api.js';
import { chart } from '../charts.js';
import { escape, money, percent } from '../format.js';
import { label, table } from '../table.js';
import { panel, reportPage } from './report.js';

const keyOf = (row, data) => data.columns.filter((c) => c.type === 'key').map((c) => row[c.name] === null ? '—' : row[c.name]).join(' · ');

/** Cohort LTV: a heatmap of cumulative gross profit per customer by acquisition month x channel and month of life. */
export const cohorts = reportPage({
  report: 'cohorts',
  title: 'Cohorts',
  intro: 'Customers by the month of their first payment and the channel that brought them: cumulative gross profit per customer by month of '
    + 'life, and the month it paid back the cost of acquiring them.',
  shown: ['customers', 'cac', 'cac_full', 'ltv', 'ltv_revenue', 'ltv_to_cac', 'payback_month', 'payback_month_full', 'average_order_value',
    'purchases_per_year', 'forecast_ltv'],
  draw: (root, data) => {
    const months = data.columns.map((c) => /^gross_profit_per_customer_m(\d+)$/.exec(c.name)).filter((m) => m).map((m) => Number(m[1]));
    const rows = data.items.map((r) => keyOf(r, data));
    const cells = [];
    let max = 0;
    data.items.forEach((r, y) => months.forEach((m, x) => {
      const v = r['gross_profit_per_customer_m' + m];
      if (v !== null && v !== undefined) {
        cells.push([x, y, Number(v)]);
        max = Math.max(max, Number(v));
      }
    }));
    const heat = panel(root, 'Cumulative gross profit per customer (LTV) by month of life');
    heat.style.height = Math.max(240, 60 + rows.length * 26) + 'px';
    chart(heat, {
      tooltip: { formatter: (p) => escape(rows[p.value[1]]) + ', month ' + months[p.value[0]] + ': ' + money(p.value[2]) },
      grid: { left: 200, right: 20, top: 10, bottom: 60 },
      xAxis: { type: 'category', data: months.map((m) => 'M' + m), splitArea: { show: true } },
      yAxis: { type: 'category', data: rows, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: max || 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f3f6fc', '#3b6fd4'] } },
      series: [{ type: 'heatmap', data: cells, label: { show: rows.length * months.length <= 240, formatter: (p) => money(p.value[2]) } }],
    });
    const payback = panel(root, 'Payback month against CAC');
    chart(payback, {
      tooltip: { formatter: (p) => escape(p.data[2]) + ': CAC ' + money(p.data[0]) + ', pays back in month ' + p.data[1] },
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      xAxis: { type: 'value', name: 'CAC' },
      yAxis: { type: 'value', name: 'month', minInterval: 1 },
      series: [{ type: 'scatter', symbolSize: 12, data: data.items.filter((r) => r.cac !== null && r.payback_month !== null)
        .map((r) => [Number(r.cac), Number(r.payback_month), keyOf(r, data)]) }],
    });
  },
});

/** The funnel: deals reaching each stage by channel, and why the lost ones were lost. */
export const funnel = reportPage({
  report: 'funnel',
  title: 'Funnel',
  intro: 'Deals created in the period by the channel of the touch that brought the lead: how many reached each stage, and why deals were lost.',
  draw: (root, data) => {
    const stages = data.columns.filter((c) => c.type === 'count' && c.name !== 'lost').map((c) => c.name);
    chart(panel(root, 'Deals reaching each stage'), {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: stages.map(label) },
      yAxis: { type: 'value', minInterval: 1 },
      series: data.items.map((r) => ({ type: 'bar', name: keyOf(r, data), data: stages.map((s) => Number(r[s] || 0)) })),
    });
  },
  extra: async (root, query) => {
    const losses = await get('/api/reporting/reports/funnel-losses', { ...query, limit: 1000 });
    root.innerHTML = '<h2>Loss reasons</h2><div class="chart" id="losses-chart"></div>' + table(losses).replace('id="report"', 'id="losses"');
    const byReason = {};
    losses.items.forEach((r) => { byReason[r.loss_reason || '—'] = (byReason[r.loss_reason || '—'] || 0) + Number(r.lost || 0); });
    const entries = Object.entries(byReason).sort((a, b) => b[1] - a[1]);
    chart(document.getElementById('losses-chart'), {
      tooltip: { trigger: 'axis' },
      grid: { left: 160, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: entries.map((e) => e[0]), inverse: true },
      series: [{ type: 'bar', data: entries.map((e) => e[1]), itemStyle: { color: '#d64545' } }],
    });
  },
});

/** Data quality: what the ad cabinets count and Throughline does not — bots, junk, duplicates, unpaid deals — by channel. */
export const quality = reportPage({
  report: 'data-quality',
  title: 'Data quality',
  intro: 'What inflates the ad cabinets\' conversions, by channel: bot sessions, junk leads, duplicates and returning customers, deals won but '
    + 'never paid, spam calls.',
  draw: (root, data) => {
    const names = data.items.map((r) => keyOf(r, data));
    const counts = ['duplicates', 'returning_customers', 'won_unpaid_deals', 'deals_without_touchpoint', 'spam_calls', 'unmatched_calls']
      .filter((c) => data.columns.some((x) => x.name === c));
    chart(panel(root, 'Leads and deals that are not new paying customers'), {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: counts.map((c) => ({ type: 'bar', stack: 'q', name: label(c), data: data.items.map((r) => Number(r[c] || 0)) })),
    });
    chart(panel(root, 'Share of bot sessions and junk leads'), {
      tooltip: { trigger: 'axis', valueFormatter: (v) => percent(v) },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      series: ['bot_share_pct', 'junk_share_pct'].map((c) => ({ type: 'bar', name: label(c), data: data.items.map((r) => r[c] === null ? 0 : Number(r[c])) })),
    });
  },
});
