// A report as a table: the API's columns (typed, described), sortable by the API's own sort parameter, with totals;
// every cell keeps the API's value in data-value. Key cells of the drill-down column become links.
import { cell, escape } from './format.js';

const LABELS = {
  cost: 'Ad spend', cost_full: 'Spend, fully loaded', overhead: 'Overheads', sessions: 'Sessions', bot_sessions: 'Bot sessions',
  leads_raw: 'Leads (raw)', leads: 'Clean leads', junk_leads: 'Junk leads', duplicates: 'Duplicates', returning_customers: 'Returning customers',
  deals: 'Deals', paid_deals: 'Paid deals', new_customers: 'New customers', revenue: 'Revenue received', gross_profit: 'Gross profit',
  cpl: 'CPL', cpl_full: 'CPL, full', cac: 'CAC', cac_full: 'CAC, full', romi_pct: 'ROMI %', romi_full_pct: 'ROMI %, full', ltv: 'LTV',
  ltv_to_cac: 'LTV / CAC', payback_months: 'Payback, months', customers: 'Customers', payback_month: 'Payback month',
  payback_month_full: 'Payback month, full', lost: 'Lost', lead_to_paid_pct: 'Lead → paid %', loss_reason: 'Loss reason',
  of_created_pct: 'Of created %', bot_share_pct: 'Bots %', junk_share_pct: 'Junk %', won_unpaid_deals: 'Won, never paid',
  deals_without_touchpoint: 'Deals without a touch', calls: 'Calls', spam_calls: 'Spam calls', answered_calls: 'Answered',
  unique_calls: 'Unique', called_back: 'Called back', not_called_back: 'Not called back', unmatched_calls: 'Unmatched',
  target_share_pct: 'Target %', average_talk_seconds: 'Avg talk, s', cohort: 'Cohort', channel: 'Channel', source: 'Source',
  medium: 'Medium', campaign: 'Campaign', keyword: 'Keyword',
};

export function label(column) {
  return LABELS[column] || column.replace(/_pct$/, ' %').replace(/_/g, ' ');
}

const raw = (v) => (v === null || v === undefined ? '' : escape(v));

/**
 * The table's HTML. {@code shown}: the measures to show (those the report has, in this order; all when omitted);
 * {@code drill}: the key column whose values open the next level; {@code sort}: the current sort ("-cost").
 */
export function table(data, { shown, drill, sort } = {}) {
  const types = Object.fromEntries(data.columns.map((c) => [c.name, c.type]));
  const descriptions = Object.fromEntries(data.columns.map((c) => [c.name, c.description]));
  const keys = data.columns.filter((c) => c.type === 'key').map((c) => c.name);
  const measures = (shown || data.columns.map((c) => c.name)).filter((m) => types[m] && types[m] !== 'key' && m !== 'currency');
  const columns = keys.concat(measures);
  const mark = (c) => (sort === c ? ' ▲' : sort === '-' + c ? ' ▼' : '');
  const td = (row, c) => {
    if (c === drill) {
      return `<td><a href="#" data-open="${encodeURIComponent(row[c] === null ? '' : row[c])}">${cell('key', row[c])}</a></td>`;
    }
    const numeric = types[c] !== 'key' && types[c] !== 'text';
    const why = row[c + '_null_reason'] ? ` title="${escape(row[c + '_null_reason'])}"` : '';
    return `<td class="${numeric ? 'num' : ''}" data-column="${escape(c)}" data-value="${raw(row[c])}"${why}>${cell(types[c], row[c])}</td>`;
  };
  return `<div class="table-wrap"><table class="report" id="report">
    <thead><tr>${columns.map((c) => `<th data-sort="${escape(c)}" title="${escape(descriptions[c] || '')}">${escape(label(c))}${mark(c)}</th>`).join('')}</tr></thead>
    <tbody>${data.items.map((row) => `<tr>${columns.map((c) => td(row, c)).join('')}</tr>`).join('')}</tbody>
    ${data.totals ? `<tfoot><tr>${columns.map((c, i) => (i === 0 ? '<th>Total</th>' : keys.includes(c) ? '<th></th>'
      : `<th class="num" data-column="${escape(c)}" data-value="${raw(data.totals[c])}">${cell(types[c], data.totals[c])}</th>`)).join('')}</tr></tfoot>` : ''}
  </table></div>`;
}

/** Wires the table's headers to sort through the API (descending first) and its drill links. */
export function wire(root, state, rerender, onOpen) {
  root.querySelectorAll('th[data-sort]').forEach((th) => th.addEventListener('click', () => {
    const c = th.dataset.sort;
    state.sort = state.sort === '-' + c ? c : '-' + c;
    rerender();
  }));
  root.querySelectorAll('a[data-open]').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    onOpen(decodeURIComponent(a.dataset.open));
  }));
}
