/*
 * Pulse live dashboard. No build step: plain browser JavaScript, Chart.js from its webjar.
 *
 * Data: the REST routes of /api/v1/tenants/{tenant} (refreshed periodically, bearer token) and the
 * tenant's server-sent events (/stream?access_token=..., `metrics` and `alert` events). Field names are
 * read tolerantly (camelCase or snake_case, absent fields shown as "—"), so that a field the API adds or
 * renames degrades one tile, never the page.
 */
(function () {
  'use strict';

  const REFRESH_MS = 15000;
  const TICK_MS = 1000;
  const TOKEN_KEY = 'pulse.dashboard.token';
  const HOUR_MS = 3600 * 1000;
  const MINUTE_MS = 60 * 1000;
  const MAX_ALERTS = 20;

  const tenant = document.querySelector('meta[name="pulse-tenant"]').content;
  const apiBase = '/api/v1/tenants/' + encodeURIComponent(tenant);
  const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

  const state = {
    token: null,
    source: null,
    refreshTimer: null,
    reopenTimer: null,
    halted: false,
    tiles: {},
    /** 1-minute tenant-wide windows by start (ms): { events, revenue: {CUR: number}, final } */
    minutes: new Map(),
    /** The current hour's tenant-wide window. */
    hour: null,
    primaryCurrency: null,
    alerts: [],
    charts: {},
    chartDirty: false,
  };

  // ---------------------------------------------------------------- tolerant field access

  function pick(obj, ...names) {
    if (obj == null || typeof obj !== 'object') {
      return undefined;
    }
    for (const n of names) {
      if (obj[n] !== undefined && obj[n] !== null) {
        return obj[n];
      }
    }
    return undefined;
  }

  function num(v) {
    if (v === undefined || v === null || v === '') {
      return null;
    }
    const n = typeof v === 'number' ? v : Number(v);
    return Number.isFinite(n) ? n : null;
  }

  function time(v) {
    if (v === undefined || v === null) {
      return null;
    }
    const t = typeof v === 'number' ? v : Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }

  function listIn(body, ...names) {
    if (Array.isArray(body)) {
      return body;
    }
    const list = pick(body, ...names);
    return Array.isArray(list) ? list : [];
  }

  /** Revenue as { currency: { revenue, orders, aov } }, from an array of entries or a map. */
  function revenueOf(raw) {
    const out = {};
    if (Array.isArray(raw)) {
      for (const r of raw) {
        const cur = pick(r, 'currency');
        if (cur) {
          out[cur] = {
            revenue: num(pick(r, 'revenue', 'amount', 'total')),
            orders: num(pick(r, 'orders')),
            aov: num(pick(r, 'averageOrderValue', 'average_order_value', 'aov')),
          };
        }
      }
    } else if (raw && typeof raw === 'object') {
      for (const [cur, v] of Object.entries(raw)) {
        out[cur] = typeof v === 'object'
          ? { revenue: num(pick(v, 'revenue', 'amount', 'total')), orders: num(pick(v, 'orders')), aov: num(pick(v, 'averageOrderValue', 'average_order_value', 'aov')) }
          : { revenue: num(v), orders: null, aov: null };
      }
    }
    return out;
  }

  function finalOf(o) {
    const f = pick(o, 'final', 'isFinal', 'is_final');
    return f === undefined ? null : Boolean(f);
  }

  /** A window's metrics, from a REST window or an SSE `metrics` event. */
  function metricOf(w, fallbackWindow) {
    const store = pick(w, 'store', 'storeId', 'store_id');
    const channel = pick(w, 'channel');
    return {
      window: pick(w, 'window', 'windowSize', 'window_size') || fallbackWindow || null,
      start: time(pick(w, 'start', 'windowStart', 'window_start')),
      end: time(pick(w, 'end', 'windowEnd', 'window_end')),
      final: finalOf(w),
      tenantWide: (store === undefined || store === '*') && (channel === undefined || channel === '*'),
      events: num(pick(w, 'events', 'eventCount', 'count')),
      uniqueCustomers: num(pick(w, 'uniqueCustomers', 'unique_customers')),
      sessions: num(pick(w, 'sessions')),
      orders: num(pick(w, 'orders')),
      revenue: revenueOf(pick(w, 'revenue', 'revenueByCurrency', 'revenue_by_currency')),
      conversionRate: num(pick(w, 'conversionRate', 'conversion_rate', 'conversion')),
      freshness: pick(w, 'freshness') || null,
    };
  }

  // ---------------------------------------------------------------- token

  function takeToken() {
    const hash = location.hash.startsWith('#') ? location.hash.slice(1) : '';
    const params = new URLSearchParams(hash);
    const fromUrl = params.get('token') || params.get('access_token');
    if (fromUrl) {
      try {
        sessionStorage.setItem(TOKEN_KEY, fromUrl);
      } catch (e) {
        // storage disabled: keep the token for this page view only
      }
      params.delete('token');
      params.delete('access_token');
      const rest = params.toString();
      history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
      return fromUrl;
    }
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch (e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- notices and connection state

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') {
        e.className = v;
      } else {
        e.setAttribute(k, v);
      }
    }
    for (const c of children) {
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function showNotice(kind, title, ...paragraphs) {
    const notice = document.getElementById('notice');
    notice.dataset.kind = kind;
    document.getElementById('notice-title').textContent = title;
    const body = document.getElementById('notice-body');
    body.replaceChildren(...paragraphs.map(p => (p instanceof Node ? p : el('p', {}, p))));
    notice.hidden = false;
    document.body.dataset.state = kind;
  }

  function hideNotice() {
    document.getElementById('notice').hidden = true;
    document.body.dataset.state = 'live';
  }

  function setConnection(kind, text) {
    const c = document.getElementById('connection');
    c.dataset.connection = kind;
    document.getElementById('connection-text').textContent = text;
  }

  function howToGetAToken() {
    return el('p', {},
      'Running the demo? ', el('code', {}, './pulse demo'),
      ' prints a link to this dashboard for each tenant, with a development token after ',
      el('code', {}, '#token='), '; open that link. Otherwise add ',
      el('code', {}, '#token=<your bearer token>'),
      ' to this page\'s address. The token stays in this browser tab and is removed from the address bar.');
  }

  // ---------------------------------------------------------------- REST

  class ApiError extends Error {
    constructor(status, message, retryAfterSeconds) {
      super(message);
      this.status = status;
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  async function getJson(path, params) {
    const url = new URL(apiBase + path, location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      url.searchParams.set(k, v);
    }
    let r;
    try {
      r = await fetch(url, { headers: { Authorization: 'Bearer ' + state.token, Accept: 'application/json' }, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'Pulse cannot be reached (' + e.message + ')', 5);
    }
    if (!r.ok) {
      let message = r.statusText;
      try {
        const body = await r.json();
        message = pick(body, 'error', 'message') || message;
      } catch (e) {
        // not JSON: keep the status text
      }
      const retry = parseInt(r.headers.get('Retry-After'), 10);
      throw new ApiError(r.status, message, Number.isFinite(retry) && retry > 0 ? retry : 5);
    }
    return r.json();
  }

  function iso(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  async function refresh() {
    clearTimeout(state.refreshTimer);
    if (state.halted) {
      return;
    }
    const now = Date.now();
    const to = iso(now);
    const calls = {
      minutes: getJson('/metrics', { window: 'PT1M', from: iso(now - HOUR_MS), to }),
      hours: getJson('/metrics', { window: 'PT1H', from: iso(now - HOUR_MS), to }),
      active: getJson('/active-customers', { from: iso(now - 2 * 24 * HOUR_MS), to }),
      products: getJson('/top-products', { window: 'PT1H', from: iso(now - HOUR_MS), to }),
      alerts: getJson('/alerts', { limit: MAX_ALERTS }),
    };
    const names = Object.keys(calls);
    const settled = await Promise.allSettled(Object.values(calls));
    const results = {};
    const failures = [];
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') {
        results[names[i]] = s.value;
      } else {
        failures.push({ name: names[i], error: s.reason });
      }
    });

    const auth = failures.find(f => f.error.status === 401 || f.error.status === 403);
    if (auth) {
      halt(auth.error);
      return;
    }
    const retryable = failures.find(f => [0, 429, 503].includes(f.error.status));

    if (results.minutes) {
      applyMinutes(results.minutes);
    }
    if (results.hours) {
      applyHours(results.hours);
    }
    if (results.active) {
      applyActiveCustomers(results.active);
    } else {
      markUnavailable('tile-active', failures.find(f => f.name === 'active'));
    }
    if (results.products) {
      applyTopProducts(results.products);
    }
    if (results.alerts) {
      applyAlerts(results.alerts);
    }
    for (const f of failures) {
      if (f.name === 'minutes') {
        markUnavailable('tile-events', f);
      } else if (f.name === 'hours') {
        ['tile-conversion', 'tile-revenue', 'tile-aov'].forEach(id => markUnavailable(id, f));
      }
    }

    if (retryable) {
      const e = retryable.error;
      if (e.status === 503) {
        showNotice('warming-up', 'Warming up, retrying…',
          'Pulse is starting or rebalancing and cannot answer yet (' + e.message + '). This page retries in ' + e.retryAfterSeconds + ' s by itself.');
      } else if (e.status === 429) {
        showNotice('rate-limited', 'Too many requests, retrying…',
          'Your tenant\'s request budget is used up for now. This page retries in ' + e.retryAfterSeconds + ' s.');
      } else {
        showNotice('unreachable', 'Pulse cannot be reached, retrying…', e.message + '. This page retries in ' + e.retryAfterSeconds + ' s.');
      }
      state.refreshTimer = setTimeout(refresh, e.retryAfterSeconds * 1000);
      return;
    }
    hideNotice();
    if (!state.source) {
      openStream();
    }
    state.refreshTimer = setTimeout(refresh, REFRESH_MS);
  }

  /** 401 or 403: say so and stop; retrying cannot help without a new token. */
  function halt(error) {
    state.halted = true;
    clearTimeout(state.refreshTimer);
    clearTimeout(state.reopenTimer);
    if (state.source) {
      state.source.close();
      state.source = null;
    }
    setConnection('offline', 'Not connected');
    if (error.status === 401) {
      try {
        sessionStorage.removeItem(TOKEN_KEY);
      } catch (e) {
        // nothing stored
      }
      showNotice('unauthorized', 'Your token was not accepted (401)',
        'Pulse refused the token: ' + error.message + '. It may have expired, or belong to another Pulse run.', howToGetAToken());
    } else {
      showNotice('forbidden', 'No access to ' + tenant + ' (403)',
        'Your token is valid but does not grant access to tenant "' + tenant + '": ' + error.message
        + '. Open the dashboard of your own tenant, or use a token issued for this one.');
    }
  }

  // ---------------------------------------------------------------- live stream

  function openStream() {
    if (state.halted) {
      return;
    }
    const source = new EventSource(apiBase + '/stream?access_token=' + encodeURIComponent(state.token));
    state.source = source;
    setConnection('connecting', 'Connecting…');
    source.onopen = () => setConnection('live', 'Live');
    source.addEventListener('metrics', e => onLiveMetrics(JSON.parse(e.data)));
    source.addEventListener('alert', e => onLiveAlert(JSON.parse(e.data)));
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // Refused (e.g. 401, 403, 503) or gone: the REST check says why; reopen unless halted.
        source.close();
        state.source = null;
        setConnection('offline', 'Live updates paused, retrying…');
        clearTimeout(state.reopenTimer);
        state.reopenTimer = setTimeout(() => refresh(), 3000);
      } else {
        setConnection('reconnecting', 'Reconnecting…');
      }
    };
  }

  function onLiveMetrics(data) {
    document.body.dataset.liveEvents = String(Number(document.body.dataset.liveEvents || 0) + 1);
    const m = metricOf(data);
    if (!m.tenantWide || m.start == null) {
      return;
    }
    if (m.window === 'PT1M') {
      putMinute(m);
      if (isCurrent(m, state.tiles['tile-events'])) {
        showEvents(m);
      }
    } else if (m.window === 'PT1H') {
      if (!state.hour || m.start >= state.hour.start) {
        state.hour = m;
        showHour(m);
      }
    }
    if (m.freshness) {
      showFreshness(m.freshness, 'live');
    }
  }

  function onLiveAlert(data) {
    addAlerts([data], true);
  }

  // ---------------------------------------------------------------- applying answers

  function tenantWideWindows(body, window) {
    return listIn(body, 'windows', 'values', 'items', 'metrics')
      .map(w => metricOf(w, pick(body, 'window', 'windowSize')))
      .filter(m => m.tenantWide && m.start != null && (m.window == null || m.window === window));
  }

  function applyMinutes(body) {
    const windows = tenantWideWindows(body, 'PT1M');
    for (const m of windows) {
      putMinute(m);
    }
    const latest = windows.reduce((a, b) => (a == null || b.start > a.start ? b : a), null);
    if (latest && isCurrent(latest, state.tiles['tile-events'])) {
      showEvents(latest, pick(body, 'freshness'));
    } else if (!latest && !state.tiles['tile-events']) {
      setDetail('tile-events', 'no events in the last hour');
    }
    showFreshness(pick(body, 'freshness'), 'rest');
  }

  function applyHours(body) {
    const windows = tenantWideWindows(body, 'PT1H');
    const latest = windows.reduce((a, b) => (a == null || b.start > a.start ? b : a), null);
    if (latest && (!state.hour || latest.start >= state.hour.start)) {
      if (!latest.freshness) {
        latest.freshness = pick(body, 'freshness') || null;
      }
      state.hour = latest;
      showHour(latest);
    }
  }

  function applyActiveCustomers(body) {
    const days = listIn(body, 'days', 'values', 'items', 'windows');
    const latest = days
      .map(d => ({ d, start: time(pick(d, 'dayStart', 'day_start', 'start', 'day', 'date')) }))
      .reduce((a, b) => (a == null || (b.start || 0) > (a.start || 0) ? b : a), null);
    const source = latest ? latest.d : body;
    const dau = num(pick(source, 'dailyActive', 'daily_active', 'dau'));
    if (dau == null) {
      setDetail('tile-active', 'no customers seen today yet');
      return;
    }
    const wau = num(pick(source, 'weeklyActive', 'weekly_active', 'wau'));
    const mau = num(pick(source, 'monthlyActive', 'monthly_active', 'mau'));
    setTile('tile-active', {
      value: numberFormat.format(dau),
      detail: 'week ' + fmt(wau) + ' · month ' + fmt(mau),
      final: finalOf(source),
      freshness: pick(body, 'freshness') || pick(source, 'freshness'),
    });
  }

  function applyTopProducts(body) {
    const windows = listIn(body, 'windows', 'values', 'items');
    const latest = windows
      .map(w => ({ w, start: time(pick(w, 'start', 'windowStart', 'window_start')) }))
      .reduce((a, b) => (a == null || (b.start || 0) > (a.start || 0) ? b : a), null);
    const source = latest ? latest.w : body;
    fillRanking('top-by-views', listIn(pick(source, 'byViews', 'by_views') || [], 'products'), 'views', 'No views yet');
    fillRanking('top-by-units', listIn(pick(source, 'byUnits', 'by_units') || [], 'products'), 'units', 'No purchases yet');
    const f = pick(body, 'freshness') || pick(source, 'freshness');
    const final = finalOf(source);
    document.getElementById('products-freshness').textContent =
      (final == null ? '' : (final ? 'Final' : 'Provisional') + ' · ') + 'refreshed ' + timeFormat.format(new Date())
      + (f && num(pick(f, 'ageSeconds')) != null ? ' · newest event ' + ago(num(pick(f, 'ageSeconds'))) : '');
  }

  function fillRanking(id, products, unit, emptyText) {
    const list = document.getElementById(id);
    if (!products.length) {
      list.replaceChildren(el('li', { class: 'empty' }, emptyText));
      return;
    }
    list.replaceChildren(...products.slice(0, 10).map(p => {
      const count = num(pick(p, 'count', 'views', 'units'));
      const lower = num(pick(p, 'lowerBound', 'lower_bound'));
      const upper = num(pick(p, 'upperBound', 'upper_bound'));
      const estimate = lower != null && upper != null && lower !== upper;
      return el('li', {},
        el('span', { class: 'product' }, pick(p, 'productId', 'product_id', 'product', 'id') || '?'),
        el('span', { class: 'count', title: estimate ? 'estimate between ' + lower + ' and ' + upper : 'exact' },
          (estimate ? '≈ ' : '') + fmt(count) + ' ' + unit));
    }));
  }

  function applyAlerts(body) {
    addAlerts(listIn(body, 'alerts', 'items', 'values'), false);
  }

  function alertKey(a) {
    const key = pick(a, 'key');
    if (key) {
      return key;
    }
    return [pick(a, 'metric'), pick(a, 'store', 'storeId', 'store_id'), pick(a, 'channel'), pick(a, 'currency'),
      pick(a, 'windowStart', 'window_start', 'start'), pick(a, 'direction')].join('|');
  }

  function addAlerts(list, live) {
    const known = new Set(state.alerts.map(alertKey));
    for (const a of list) {
      if (!known.has(alertKey(a))) {
        state.alerts.push(a);
        known.add(alertKey(a));
        a.__live = live;
      }
    }
    const at = a => time(pick(a, 'detectedAt', 'detected_at', 'windowEnd', 'window_end')) || 0;
    state.alerts.sort((x, y) => at(y) - at(x));
    state.alerts = state.alerts.slice(0, MAX_ALERTS);
    renderAlerts();
  }

  function renderAlerts() {
    const list = document.getElementById('alerts');
    if (!state.alerts.length) {
      list.replaceChildren(el('li', { class: 'empty' }, 'No alerts'));
      return;
    }
    list.replaceChildren(...state.alerts.map(a => {
      const metric = String(pick(a, 'metric') || 'OTHER');
      const direction = String(pick(a, 'direction') || '').toUpperCase();
      const store = pick(a, 'store', 'storeId', 'store_id');
      const channel = pick(a, 'channel');
      const currency = pick(a, 'currency');
      const when = time(pick(a, 'windowStart', 'window_start', 'detectedAt', 'detected_at'));
      const value = num(pick(a, 'value'));
      const mean = num(pick(a, 'baselineMean', 'baseline_mean'));
      const score = num(pick(a, 'score'));
      const what = metric === 'REVENUE' ? 'Revenue' : metric === 'CONVERSION_RATE' ? 'Conversion' : metric === 'DELIVERY' ? 'Delivery failure' : metric;
      const title = metric === 'DELIVERY' ? what : what + ' ' + (direction === 'SPIKE' ? 'spike' : 'dip');
      let detail;
      if (metric === 'DELIVERY') {
        detail = pick(a, 'message') || 'an event went to the dead-letter topic';
      } else {
        const show = v => (metric === 'CONVERSION_RATE' ? (v == null ? '—' : percentFormat.format(v)) : money(v, currency));
        detail = show(value) + ' against a usual ' + show(mean) + (score == null ? '' : ' (z = ' + score.toFixed(1) + ')');
      }
      const where = store ? 'store ' + store + (channel ? ' · ' + channel : '') : 'all stores';
      return el('li', { class: 'alert ' + (metric === 'DELIVERY' ? 'delivery' : direction === 'SPIKE' ? 'spike' : 'dip') },
        el('strong', {}, title), ' ', el('span', { class: 'alert-detail' }, detail), ' ',
        el('span', { class: 'alert-meta' }, where + (when ? ' · ' + timeFormat.format(new Date(when)) : '')));
    }));
  }

  // ---------------------------------------------------------------- tiles

  function isCurrent(m, tile) {
    return !tile || tile.start == null || m.start >= tile.start;
  }

  function showEvents(m, freshness) {
    setTile('tile-events', {
      value: fmt(m.events),
      detail: windowText(m) + (m.uniqueCustomers != null ? ' · ' + fmt(m.uniqueCustomers) + ' customers' : ''),
      final: m.final,
      start: m.start,
      freshness: m.freshness || freshness,
    });
  }

  function showHour(m) {
    const label = windowText(m);
    setTile('tile-conversion', {
      value: m.conversionRate == null ? '—' : percentFormat.format(m.conversionRate),
      detail: label + ' · ' + fmt(m.orders) + ' orders in ' + fmt(m.sessions) + ' sessions',
      final: m.final, start: m.start, freshness: m.freshness,
    });
    const currencies = Object.entries(m.revenue).sort((a, b) => (b[1].orders || 0) - (a[1].orders || 0));
    if (!currencies.length) {
      setTile('tile-revenue', { value: money(0, null), detail: label + ' · no orders yet', final: m.final, start: m.start, freshness: m.freshness });
      setTile('tile-aov', { value: '—', detail: label + ' · no orders yet', final: m.final, start: m.start, freshness: m.freshness });
      return;
    }
    const [currency, r] = currencies[0];
    if (state.primaryCurrency !== currency) {
      state.primaryCurrency = currency;
      document.getElementById('chart-revenue-currency').textContent = '(' + currency + ')';
      state.chartDirty = true;
    }
    const others = currencies.length > 1 ? ' · +' + (currencies.length - 1) + ' other currenc' + (currencies.length > 2 ? 'ies' : 'y') : '';
    setTile('tile-revenue', {
      value: money(r.revenue, currency),
      detail: label + ' · ' + fmt(r.orders) + ' orders' + others,
      final: m.final, start: m.start, freshness: m.freshness,
    });
    setTile('tile-aov', {
      value: money(r.aov, currency),
      detail: label + ' · in ' + currency + others,
      final: m.final, start: m.start, freshness: m.freshness,
    });
  }

  function setTile(id, t) {
    const tile = document.getElementById(id);
    const previous = state.tiles[id];
    state.tiles[id] = { ...t, updatedAt: Date.now() };
    const value = tile.querySelector('[data-value]');
    if (value.textContent !== t.value) {
      value.textContent = t.value;
      tile.dataset.changes = String(Number(tile.dataset.changes || 0) + 1);
    }
    tile.querySelector('[data-detail]').textContent = t.detail || '';
    const badge = tile.querySelector('[data-badge]');
    if (t.final == null) {
      badge.hidden = true;
    } else {
      badge.hidden = false;
      badge.textContent = t.final ? 'final' : 'provisional';
      badge.className = 'badge ' + (t.final ? 'final' : 'provisional');
      badge.title = t.final ? 'The window has closed; this value will not change.' : 'The window is still open; this value may still change.';
    }
    tile.classList.remove('unavailable');
    tile.dataset.filled = 'true';
    if (!previous || previous.value !== t.value) {
      tile.classList.remove('flash');
      void tile.offsetWidth; // restart the highlight
      tile.classList.add('flash');
    }
    renderAge(id);
  }

  function setDetail(id, text) {
    document.getElementById(id).querySelector('[data-detail]').textContent = text;
  }

  function markUnavailable(id, failure) {
    if (!failure || state.tiles[id]) {
      return;
    }
    const tile = document.getElementById(id);
    tile.classList.add('unavailable');
    setDetail(id, 'not available: ' + (failure.error.status ? failure.error.status + ' ' : '') + failure.error.message);
  }

  function renderAge(id) {
    const t = state.tiles[id];
    if (!t) {
      return;
    }
    const seconds = Math.max(0, Math.round((Date.now() - t.updatedAt) / 1000));
    let text = 'updated ' + ago(seconds);
    const f = t.freshness;
    const age = num(pick(f, 'ageSeconds', 'age_seconds'));
    if (age != null) {
      text += ' · newest event ' + ago(age + seconds);
    }
    if (f && pick(f, 'stale') === true) {
      text += ' · stale';
    }
    const span = document.getElementById(id).querySelector('[data-age]');
    span.textContent = text;
    const newest = pick(f, 'newestEventTime', 'newest_event_time');
    span.title = newest ? 'Newest event in the data: ' + new Date(newest).toLocaleString() : '';
  }

  function showFreshness(f, via) {
    if (!f) {
      return;
    }
    const parts = [];
    const age = num(pick(f, 'ageSeconds', 'age_seconds'));
    if (age != null) {
      parts.push('newest event ' + ago(age));
    }
    const servedBy = pick(f, 'servedBy', 'served_by');
    if (servedBy) {
      parts.push('served by ' + servedBy);
    }
    const lag = num(pick(f, 'lagRecords', 'lag_records'));
    if (lag != null) {
      parts.push(lag === 0 ? 'no lag' : numberFormat.format(lag) + ' records behind');
    }
    const stale = pick(f, 'stale') === true;
    const footer = document.getElementById('freshness-summary');
    footer.textContent = 'Freshness (' + (via === 'live' ? 'live stream' : 'last refresh') + '): ' + parts.join(' · ')
      + (stale ? ' · STALE: answered by a replica that is behind' : '');
    footer.classList.toggle('stale', stale);
  }

  // ---------------------------------------------------------------- charts

  function putMinute(m) {
    const revenue = {};
    for (const [cur, r] of Object.entries(m.revenue)) {
      revenue[cur] = r.revenue;
    }
    const old = state.minutes.get(m.start);
    if (old && old.final && !m.final) {
      return; // a late provisional update never replaces the final value
    }
    state.minutes.set(m.start, { events: m.events, revenue, final: m.final });
    const horizon = Date.now() - HOUR_MS - MINUTE_MS;
    for (const start of state.minutes.keys()) {
      if (start < horizon) {
        state.minutes.delete(start);
      }
    }
    state.chartDirty = true;
  }

  function createCharts() {
    if (typeof window.Chart !== 'function') {
      for (const id of ['chart-events', 'chart-revenue']) {
        const box = document.getElementById(id).parentElement;
        box.replaceChildren(el('p', { class: 'chart-missing' }, 'Charts unavailable: Chart.js did not load.'));
      }
      return;
    }
    const common = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { offset: true, ticks: { maxTicksLimit: 8 } } },
    };
    state.charts.events = new window.Chart(document.getElementById('chart-events'), {
      type: 'line',
      data: { labels: [], datasets: [{ label: 'Events', data: [], borderColor: '#1d4ed8', backgroundColor: 'rgba(29,78,216,0.12)', fill: true, tension: 0.25, pointRadius: 3 }] },
      options: common,
    });
    state.charts.revenue = new window.Chart(document.getElementById('chart-revenue'), {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'Revenue', data: [], backgroundColor: [] }] },
      options: { ...common, scales: { y: { beginAtZero: true }, x: { ticks: { maxTicksLimit: 8 } } } },
    });
  }

  function renderCharts() {
    if (!state.chartDirty || !state.charts.events) {
      return;
    }
    state.chartDirty = false;
    const starts = [...state.minutes.keys()].sort((a, b) => a - b);
    const labels = starts.map(s => timeFormat.format(new Date(s)));
    const points = starts.map(s => state.minutes.get(s));

    const ev = state.charts.events;
    ev.data.labels = labels;
    ev.data.datasets[0].data = points.map(p => p.events);
    // Final windows are filled points, provisional ones hollow.
    ev.data.datasets[0].pointBackgroundColor = points.map(p => (p.final ? '#1d4ed8' : '#ffffff'));
    ev.data.datasets[0].pointBorderColor = '#1d4ed8';
    ev.update('none');

    const cur = state.primaryCurrency;
    const rv = state.charts.revenue;
    rv.data.labels = labels;
    rv.data.datasets[0].label = 'Revenue' + (cur ? ' (' + cur + ')' : '');
    rv.data.datasets[0].data = points.map(p => (cur && p.revenue[cur] != null ? p.revenue[cur] : 0));
    rv.data.datasets[0].backgroundColor = points.map(p => (p.final ? '#047857' : 'rgba(4,120,87,0.45)'));
    rv.update('none');

    const last = points.length ? points[points.length - 1] : null;
    document.getElementById('chart-events-summary').textContent =
      last ? starts.length + ' minutes shown; the latest minute has ' + fmt(last.events) + ' events.' : 'No data yet.';
    document.getElementById('chart-revenue-summary').textContent =
      last && cur ? 'Latest minute revenue: ' + money(last.revenue[cur] || 0, cur) + '.' : 'No revenue yet.';
  }

  // ---------------------------------------------------------------- formatting

  function fmt(n) {
    return n == null ? '—' : numberFormat.format(n);
  }

  function money(v, currency) {
    if (v == null) {
      return '—';
    }
    if (!currency) {
      return numberFormat.format(v);
    }
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 2 }).format(v);
    } catch (e) {
      return currency + ' ' + v.toFixed(2);
    }
  }

  function ago(seconds) {
    if (seconds < 60) {
      return seconds + ' s ago';
    }
    if (seconds < 3600) {
      return Math.floor(seconds / 60) + ' min ago';
    }
    return Math.floor(seconds / 3600) + ' h ago';
  }

  function windowText(m) {
    if (m.start == null) {
      return '';
    }
    const span = timeFormat.format(new Date(m.start)) + (m.end != null ? '–' + timeFormat.format(new Date(m.end)) : '');
    return span + (m.end != null && m.end > Date.now() ? ' (in progress)' : '');
  }

  // ---------------------------------------------------------------- start

  function tick() {
    Object.keys(state.tiles).forEach(renderAge);
    renderCharts();
  }

  function start() {
    state.token = takeToken();
    if (!state.token) {
      setConnection('offline', 'Not connected');
      showNotice('no-token', 'No access token',
        'This dashboard shows the live numbers of tenant "' + tenant + '" to holders of a token for it.', howToGetAToken());
      return;
    }
    createCharts();
    setInterval(tick, TICK_MS);
    refresh();
  }

  start();
}());
