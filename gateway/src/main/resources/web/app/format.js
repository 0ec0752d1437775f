// Numbers and money in the workspace's currency and the reader's locale (ru-RU by default, en-US available).
let locale = 'ru-RU';
let currency = 'RUB';

export function setLocale(value) {
  locale = value;
}

export function getLocale() {
  return locale;
}

export function setCurrency(value) {
  currency = value || 'RUB';
}

const EMPTY = '—';

/** Text safe inside HTML (campaign names and keywords come from visitors' URLs: never trusted as markup). */
export function escape(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** A money amount (major units as the API gives them). */
export function money(value) {
  if (value === null || value === undefined || value === '') {
    return EMPTY;
  }
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(Number(value));
}

/** A percentage as the API gives it (42.5 means 42.5 %). */
export function percent(value) {
  if (value === null || value === undefined || value === '') {
    return EMPTY;
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Number(value)) + ' %';
}

export function number(value) {
  if (value === null || value === undefined || value === '') {
    return EMPTY;
  }
  if (typeof value !== 'number' && isNaN(Number(value))) {
    return escape(value);
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Number(value));
}

/** A signed number of ROMI points. */
export function points(value) {
  if (value === null || value === undefined || value === '') {
    return EMPTY;
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(Number(value));
}

/** A report cell formatted by its column's type as the API describes it (money, percent, count ...). */
export function cell(type, value) {
  switch (type) {
    case 'money':
      return money(value);
    case 'percent':
      return percent(value);
    case 'key':
    case 'text':
      return value === null || value === undefined || value === '' ? EMPTY : escape(value);
    default:
      return number(value);
  }
}
