// Throughline t.js: page views, leads and identities for one site, sent to /collect in batches.
// Embed: <script async src="https://HOST/t.js" data-site="pk_..."></script>
// Rules: it never throws into the page, sets one first-party cookie, sends nothing before consent when the
// site requires it, and keeps unacknowledged events in localStorage so a retry carries the same event_id.
// Whole-line comments and indentation are stripped when served; keep every statement on its own line.
(function (w, d) {
'use strict';
if (w.__throughline) return;
w.__throughline = 1;
var script = d.currentScript || d.querySelector('script[data-site][src*="t.js"]');
if (!script) return;
var SITE = script.getAttribute('data-site');
var BASE = script.src.replace(/\/t\.js.*$/, '');
var COOKIE = '_tlv', QUEUE = '_tlq', LINK = '_tl';
var TWO_YEARS = 63072000;
var loadedAt = Date.now();
var required = script.getAttribute('data-consent') == 'required', granted = 0;
var settings = null, vid = null, linkedVid = null, queue = [], timer = 0, backoff = 0, sending = 0, lastUrl = null;
var firstTouch = typeof WeakMap == 'function' ? new WeakMap() : null;

function safe(f) {
  return function () {
    try { return f.apply(this, arguments); } catch (e) { /* never into the page */ }
  };
}
function now() { return new Date().toISOString(); }
function uuid() {
  if (w.crypto && crypto.randomUUID) return crypto.randomUUID();
  var b = new Uint8Array(16);
  (w.crypto || w.msCrypto).getRandomValues(b);
  b[6] = b[6] & 15 | 64;
  b[8] = b[8] & 63 | 128;
  var h = '';
  for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + (i == 3 || i == 5 || i == 7 || i == 9 ? '-' : '');
  return h;
}
function store(k, v) {
  try {
    if (v === undefined) return JSON.parse(localStorage.getItem(k));
    if (v === null) localStorage.removeItem(k); else localStorage.setItem(k, JSON.stringify(v));
  } catch (e) { return null; }
}
function readCookie(n) {
  var m = d.cookie.match('(?:^|; )' + n + '=([^;]*)');
  return m ? decodeURIComponent(m[1]) : null;
}
// The visitor id lives on the registrable domain (shop.co.uk, not www.shop.co.uk): the widest domain that
// accepts a cookie, found by trying from the top, as analytics snippets do.
function writeCookie(v, age) {
  var parts = location.hostname.split('.'), secure = location.protocol == 'https:' ? '; Secure' : '';
  for (var i = parts.length - 2; i >= -1; i--) {
    var dom = i >= 0 ? '; domain=' + parts.slice(i).join('.') : '';
    d.cookie = COOKIE + '=' + v + '; path=/; max-age=' + age + '; SameSite=Lax' + dom + secure;
    if (age <= 0 || readCookie(COOKIE) == v) return;
  }
}
function hostIn(h, dom) { return h == dom || h.slice(-dom.length - 1) == '.' + dom; }
function allowed() { return !required || granted; }
function visitor() {
  if (vid) return vid;
  vid = linkedVid || readCookie(COOKIE) || store(COOKIE) || uuid().replace(/-/g, '');
  writeCookie(vid, TWO_YEARS);
  store(COOKIE, vid);
  return vid;
}
// Cross-domain: links to the site's other domains carry ?_tl=<visitor>.<seconds>; the other side removes it
// from the address bar at once and adopts a fresh one as the visitor id (after consent, where needed).
function linked() {
  var m = location.search.match(/[?&]_tl=([A-Za-z0-9_-]{8,64})\.([0-9a-z]+)/);
  if (!m) return null;
  try {
    var u = new URL(location.href);
    u.searchParams.delete(LINK);
    history.replaceState(history.state, '', u.toString());
  } catch (e) { /* keep the address as it is */ }
  return Math.abs(Date.now() / 1000 - parseInt(m[2], 36)) < 600 ? m[1] : null;
}
function decorate(e) {
  var a = e.target && e.target.closest && e.target.closest('a[href]');
  if (!a || !settings || !vid || !allowed()) return;
  var h = a.hostname;
  if (!h || hostIn(location.hostname, h) || hostIn(h, location.hostname)) return;
  for (var i = 0; i < settings.domains.length; i++) {
    if (hostIn(h, settings.domains[i]) && !hostIn(location.hostname, settings.domains[i])) {
      var u = new URL(a.href);
      u.searchParams.set(LINK, vid + '.' + Math.floor(Date.now() / 1000).toString(36));
      a.href = u.toString();
      return;
    }
  }
}
// FNV-1a over site|visitor|sent_at: tells the collector this batch was built by t.js in a page.
function proof(s) {
  var h = 0x811c9dc5;
  s = unescape(encodeURIComponent(s));
  for (var i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return ('0000000' + (h >>> 0).toString(16)).slice(-8);
}
// Passwords, tokens, cards and contacts never leave the page inside an address (GET forms put them there).
var SECRET = /pass|pwd|secret|token|auth|session|card|cvv|cvc|iban|e-?mail|phone|tel|mobile|fio|passport|snils|inn/i;
function clean(u) {
  return u && u.replace(/([?&#])([^=&#]+)=([^&#]*)/g, function (m, s, n, v) {
    return s + n + '=' + (v && n.indexOf('utm_') && (SECRET.test(n) || /@|%40/.test(v)) ? '[redacted]' : v);
  });
}
function push(e) {
  e.url = clean(e.url);
  e.referrer = clean(e.referrer);
  e.event_id = uuid();
  e.ts = now();
  queue.push(e);
  if (queue.length > 200) queue.splice(0, queue.length - 200);
  if (allowed()) store(QUEUE, queue);
  schedule(e.type == 'lead' || e.type == 'identify' ? 0 : 1000);
}
function schedule(ms) {
  if (!allowed() || !settings) return;
  clearTimeout(timer);
  timer = setTimeout(safe(flush), Math.max(ms, backoff));
}
function batch(events) {
  var sent = now();
  return JSON.stringify({
    site: SITE, visitor_id: visitor(), sent_at: sent, ga_cookie: readCookie('_ga'), ym_uid: readCookie('_ym_uid'),
    client: {
      screen_width: screen.width, screen_height: screen.height, lang: navigator.language, webdriver: !!navigator.webdriver,
      tz: w.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone, proof: proof(SITE + '|' + vid + '|' + sent)
    },
    events: events
  });
}
function take() {
  var old = Date.now() - 2.5e8;
  queue = queue.filter(function (e) { return Date.parse(e.ts) > old; });
  return queue.slice(0, 50);
}
function settle(ids) {
  queue = queue.filter(function (e) { return ids.indexOf(e.event_id) < 0; });
  store(QUEUE, queue);
}
function flush(beacon) {
  if (!allowed() || !settings || !queue.length || (sending && !beacon)) return;
  var events = take(), body = batch(events);
  if (beacon && navigator.sendBeacon && navigator.sendBeacon(BASE + '/collect', new Blob([body], {type: 'text/plain'}))) return;
  sending = 1;
  fetch(BASE + '/collect', {method: 'POST', body: body, keepalive: body.length < 60000, credentials: 'omit', headers: {'Content-Type': 'text/plain'}})
    .then(function (r) {
      sending = 0;
      if (r.status == 429 || r.status >= 500) return retry(r.headers.get('Retry-After'));
      backoff = 0;
      settle(events.map(function (e) { return e.event_id; }));
      if (queue.length) schedule(0);
    })['catch'](function () { sending = 0; retry(); });
}
function retry(after) {
  backoff = Math.min(60000, Math.max(backoff * 2, 2000, (parseInt(after, 10) || 0) * 1000));
  schedule(backoff);
}
function pageview() {
  var url = location.href;
  if (url.split('#')[0] == (lastUrl || '').split('#')[0] && url.indexOf('#/') < 0) return;
  push({type: 'pageview', url: url, referrer: lastUrl || d.referrer || undefined, title: d.title});
  lastUrl = url;
}
function hidden(el) {
  if (el.type == 'hidden') return 0;
  var s = w.getComputedStyle ? getComputedStyle(el) : {};
  return el.offsetParent === null && s.position != 'fixed' || s.visibility == 'hidden' || s.opacity == '0' ||
    el.getAttribute('aria-hidden') == 'true' || el.tabIndex < 0 || el.offsetWidth * el.offsetHeight <= 1;
}
// Automatic lead capture: e-mail, phone and name fields of a submitted form; never passwords, card or
// document fields; a form with data-tl-ignore is left alone. A filled invisible field is a honeypot.
var SKIP = /pass|pwd|card|cc-|cvv|cvc|secret|token|csrf|captcha|iban|snils|inn|passport|pin/i;
function onSubmit(e) {
  var f = e.target;
  if (!f || f.tagName != 'FORM' || f.hasAttribute('data-tl-ignore')) return;
  var fields = {}, honeypot = false;
  for (var i = 0; i < f.elements.length; i++) {
    var el = f.elements[i], t = (el.type || '').toLowerCase(), v = (el.value || '').trim();
    var key = (el.name || '') + ' ' + (el.id || '') + ' ' + (el.getAttribute('autocomplete') || '');
    if (!v || t == 'password' || t == 'file' || t == 'submit' || t == 'button' || t == 'checkbox' || t == 'radio' || SKIP.test(key)) continue;
    if (hidden(el)) {
      if (t != 'hidden') honeypot = true;
      continue;
    }
    if (t == 'email' || /mail/i.test(key)) fields.email = fields.email || v;
    else if (t == 'tel' || /phone|tel|mobile|телефон/i.test(key)) fields.phone = fields.phone || v;
    else if (/(^|[\s_-])(name|fio|fullname|given-name|имя|фио)/i.test(key)) fields.name = fields.name || v;
  }
  if (!fields.email && !fields.phone) return;
  push({type: 'lead', url: location.href, form: f.getAttribute('name') || f.id || f.getAttribute('action') || undefined,
    fields: fields, honeypot: honeypot, fill_ms: Date.now() - (firstTouch && firstTouch.get(f) || loadedAt)});
  flush(true);
}
function onTouch(e) {
  var f = e.target && e.target.form;
  if (f && firstTouch && !firstTouch.has(f)) firstTouch.set(f, Date.now());
}
function contacts(o) {
  o = o || {};
  return {email: o.email, phone: o.phone, name: o.name, user_id: o.user_id != null ? String(o.user_id) : undefined};
}
var commands = {
  identify: function (o) { push({type: 'identify', url: location.href, fields: contacts(o)}); },
  lead: function (o) { push({type: 'lead', url: location.href, form: o && o.form, fields: contacts(o)}); },
  event: function (name, props) { push({type: 'event', url: location.href, name: String(name), props: props}); },
  consent: function (yes) {
    granted = yes ? 1 : 0;
    if (yes) return start();
    required = 1;
    clearTimeout(timer);
    queue = [];
    store(QUEUE, null);
    store(COOKIE, null);
    writeCookie('', 0);
    vid = null;
  }
};
function command(args) {
  var f = commands[args[0]];
  if (f) f.apply(null, Array.prototype.slice.call(args, 1));
}
// Dynamic number insertion: asks /dni which number this visitor sees and writes it over the site's numbers, in
// marked elements, in text (any notation, also split across elements: only the digits change, the page's own
// format stays) and in tel: links; again on DOM changes; renews the number while the page is visible. Form
// fields, scripts and editable content are never touched.
var dni = null, dniAt = 0, targets = {}, observer = null, dniTimer = 0, swapTimer = 0;
var PHONE = /\+?\d[\d\s().\u00a0-]{8,18}\d/g;
var CLICK = /^(gclid|gbraid|wbraid|yclid|ysclid|fbclid|msclkid|ttclid|rb_clickid|vkclid)$/;
function nat(s) { return s.replace(/\D/g, '').slice(-10); }
function recast(t, n) {
  var a = t.split(''), j = n.length;
  for (var i = a.length - 1; i >= 0 && j > 0; i--) if (a[i] >= '0' && a[i] <= '9') a[i] = n.charAt(--j);
  return a.join('');
}
function skip(el) { return el && el.closest && el.closest('input,textarea,select,option,script,style,noscript,[contenteditable],[data-tl-keep]'); }
function swapText(root, any) {
  var walk = d.createTreeWalker(root, 4), nodes = [], text = '', n, m, to = nat(dni.number_e164);
  while ((n = walk.nextNode())) if (!skip(n.parentNode)) { nodes.push(n); text += n.data; }
  var out = text;
  PHONE.lastIndex = 0;
  while ((m = PHONE.exec(text))) if (any || targets[nat(m[0])]) out = out.slice(0, m.index) + recast(m[0], to) + out.slice(m.index + m[0].length);
  for (var i = 0, at = 0; i < nodes.length; at += nodes[i++].data.length) {
    var part = out.substr(at, nodes[i].data.length);
    if (part != nodes[i].data) nodes[i].data = part;
  }
}
function swap() {
  if (!dni || !dni.number_e164 || !d.body) return;
  var to = nat(dni.number_e164), i, els;
  swapText(d.body, 0);
  dni.selectors.forEach(function (sel) {
    try { els = d.querySelectorAll(sel); } catch (e) { return; }
    for (i = 0; i < els.length; i++) if (!skip(els[i])) swapText(els[i], 1);
  });
  els = d.querySelectorAll('a[href^="tel:"]');
  for (i = 0; i < els.length; i++) {
    if ((targets[nat(els[i].href)] || els[i].textContent.replace(/\D/g, '').indexOf(to) >= 0) && els[i].getAttribute('href') != dni.tel_href) els[i].setAttribute('href', dni.tel_href);
  }
}
function visit() {
  var v = store('_tld') || {}, q = new URL(location.href).searchParams, c = {}, k = {};
  q.forEach(function (val, key) {
    if (!key.indexOf('utm_') && val) c[key.slice(4)] = val;
    if (CLICK.test(key)) k[key] = val;
  });
  if (c.source || Object.keys(k).length) v = {campaign: c, click_ids: k};
  store('_tld', v);
  return v;
}
function askNumber() {
  clearTimeout(dniTimer);
  if (!allowed() || script.getAttribute('data-dni') == 'off') return;
  var v = visit();
  dniAt = Date.now();
  fetch(BASE + '/dni', {method: 'POST', credentials: 'omit', headers: {'Content-Type': 'text/plain'}, body: JSON.stringify({
    site: SITE, visitor_id: visitor(), page: clean(location.href), referrer: clean(d.referrer) || undefined,
    campaign: v.campaign, click_ids: v.click_ids})})
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(safe(function (a) {
      if (!a || !a.replace) return;
      if (dni && dni.number_e164) targets[nat(dni.number_e164)] = 1;
      a.replace.forEach(function (e) { targets[nat(e)] = 1; });
      dni = a;
      swap();
      if (!observer && w.MutationObserver) {
        observer = new MutationObserver(function () {
          clearTimeout(swapTimer);
          swapTimer = setTimeout(safe(swap), 30);
        });
        observer.observe(d.documentElement, {childList: true, subtree: true, characterData: true});
      }
      if (a.heartbeat_seconds) dniTimer = setTimeout(safe(beat), a.heartbeat_seconds * 1000);
    }))['catch'](function () { /* the page keeps its numbers */ });
}
function beat() {
  if (d.visibilityState == 'visible') askNumber();
}
function start() {
  if (!allowed()) return;
  if (settings) {
    visitor();
    store(QUEUE, queue);
    if (!dniAt) askNumber();
    return schedule(0);
  }
  fetch(BASE + '/collect?site=' + encodeURIComponent(SITE), {credentials: 'omit', referrerPolicy: 'no-referrer'})
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(safe(function (s) {
      if (!s) return;
      settings = s;
      if (s.consent_required) required = 1;
      if (allowed()) start();
    }))['catch'](function () { /* the site stays untracked */ });
}
function wrap(name) {
  var orig = history[name];
  history[name] = function () {
    var r = orig.apply(this, arguments);
    setTimeout(safe(pageview), 0);
    return r;
  };
}
safe(function () {
  var pending = w.throughline && w.throughline.q || [];
  w.throughline = safe(function () { command(arguments); });
  linkedVid = linked();
  if (allowed()) queue = (store(QUEUE) || []).filter(function (e) { return e && e.event_id; });
  pageview();
  for (var i = 0; i < pending.length; i++) command(pending[i]);
  wrap('pushState');
  wrap('replaceState');
  w.addEventListener('popstate', safe(pageview));
  w.addEventListener('hashchange', safe(pageview));
  d.addEventListener('submit', safe(onSubmit), true);
  d.addEventListener('focusin', safe(onTouch), true);
  d.addEventListener('input', safe(onTouch), true);
  d.addEventListener('mousedown', safe(decorate), true);
  d.addEventListener('keydown', safe(decorate), true);
  d.addEventListener('touchstart', safe(decorate), true);
  d.addEventListener('visibilitychange', safe(function () {
    if (d.visibilityState == 'hidden') flush(true);
    else if (dni && dni.heartbeat_seconds && Date.now() - dniAt > dni.heartbeat_seconds * 1000) askNumber();
  }));
  w.addEventListener('pagehide', safe(function () { flush(true); }));
  start();
})();
})(window, document);
