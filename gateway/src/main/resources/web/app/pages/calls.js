// Calls: the report by channel, the call log with the session each call was matched to and how sure the match is,
// and each number pool's utilization over the period with the size it should have.
import { get } from '../api.js';
import { chart } from '../charts.js';
import { escape, number, percent } from '../format.js';
import { label } from '../table.js';
import { panel, reportPage } from './report.js';

const LOG_COLUMNS = ['started_at', 'caller', 'site_key', 'status', 'talk_seconds', 'channel', 'match_kind', 'match_confidence', 'session_id', 'target',
  'first_time', 'missed', 'excluded'];

function logCell(column, value) {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  if (column === 'match_confidence') {
    return percent(Number(value) * 100);
  }
  if (column === 'started_at') {
    return escape(new Date(value).toLocaleString());
  }
  if (typeof value === 'boolean') {
    return value ? '✓' : '';
  }
  return typeof value === 'number' ? number(value) : escape(value);
}

const instant = (day, end) => (day ? new Date(day + (end ? 'T23:59:59.999Z' : 'T00:00:00Z')).toISOString() : undefined);

export const calls = reportPage({
  report: 'calls',
  title: 'Calls',
  intro: 'Inbound calls by channel; below, the call log with the web session each call was matched to, and the number pools\' load.',
  draw: (root, data) => {
    const names = data.items.map((r) => data.columns.filter((c) => c.type === 'key').map((c) => r[c.name] || '—').join(' · '));
    const measures = ['answered_calls', 'missed_calls', 'unique_calls', 'spam_calls'].filter((c) => data.columns.some((x) => x.name === c));
    chart(panel(root, 'Calls by channel'), {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: measures.map((c) => ({ type: 'bar', name: label(c), data: data.items.map((r) => Number(r[c] || 0)) })),
    });
  },
  extra: async (root, query) => {
    const range = { from: instant(query.from, false), to: instant(query.to, true) };
    const [log, pools] = await Promise.all([
      get('/api/calltracking/calls', { ...range, limit: 100 }),
      get('/api/calltracking/pools', { limit: 100 }),
    ]);
    root.innerHTML = `<h2>Call log (latest 100)</h2>
      <div class="table-wrap"><table class="report" id="call-log">
        <thead><tr>${LOG_COLUMNS.map((c) => `<th>${escape(label(c))}</th>`).join('')}</tr></thead>
        <tbody>${log.items.map((call) => `<tr data-call="${escape(call.id)}">${LOG_COLUMNS.map((c) =>
          `<td data-column="${c}" data-value="${escape(call[c] === null || call[c] === undefined ? '' : call[c])}">${logCell(c, call[c])}</td>`)
          .join('')}</tr>`).join('')}</tbody>
      </table></div><div id="pools"></div>`;
    const box = document.getElementById('pools');
    const days = range.from && range.to ? (new Date(range.to) - new Date(range.from)) / 86400000 : 1;
    const bucket = days > 3 ? 'day' : 'hour';
    for (const pool of pools.items) {
      let report;
      try {
        report = await get('/api/calltracking/pools/' + encodeURIComponent(pool.id) + '/report', { ...range, bucket });
      } catch (e) {
        // A range too wide for the pool's report says so in its panel; the rest of the page stands.
        const note = document.createElement('p');
        note.className = 'meta';
        note.textContent = 'Pool ' + pool.name + ': ' + e.message;
        box.appendChild(note);
        continue;
      }
      chart(panel(box, `Pool ${pool.name}: ${report.numbers} numbers, ${report.recommended_numbers} recommended`), {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 60, right: 60, top: 40, bottom: 40 },
        xAxis: { type: 'time' },
        yAxis: [{ type: 'value', name: 'held', minInterval: 1 }, { type: 'value', name: 'utilization %', max: 100 }],
        series: [
          { type: 'bar', name: 'peak numbers held', data: report.buckets.map((b) => [b.from, b.peak_held]) },
          { type: 'line', name: 'peak utilization %', yAxisIndex: 1, data: report.buckets.map((b) => [b.from, Number(b.peak_utilization) * 100]) },
          { type: 'line', name: 'overflows', data: report.buckets.map((b) => [b.from, b.overflows]) },
        ],
      });
    }
  },
});
