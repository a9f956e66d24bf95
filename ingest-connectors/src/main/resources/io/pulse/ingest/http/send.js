// The send page: builds one Pulse event from the form, posts it with the typed key, shows the answer.
(function () {
  'use strict';
  var form = document.getElementById('send');
  var keyInput = document.getElementById('key');
  var tenantSelect = document.getElementById('tenant');
  var typeSelect = document.getElementById('type');
  var result = document.getElementById('result');

  function value(id) { return document.getElementById(id).value.trim(); }

  function showFieldsFor(type) {
    document.querySelectorAll('[data-for]').forEach(function (el) {
      el.hidden = el.getAttribute('data-for').split(' ').indexOf(type) < 0;
    });
  }

  function show(ok, text) {
    result.hidden = false;
    result.className = ok ? 'ok' : 'bad';
    result.textContent = text;
  }

  function loadTenants() {
    var key = keyInput.value.trim();
    if (!key) { return; }
    fetch('/ingest/v1/credential', { headers: { 'X-Api-Key': key } })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .then(function (r) {
        tenantSelect.innerHTML = '';
        if (r.status !== 200) {
          tenantSelect.appendChild(new Option('key refused', ''));
          show(false, r.status + ': ' + (r.body.error || 'key refused'));
          return;
        }
        r.body.tenants.forEach(function (t) { tenantSelect.appendChild(new Option(t, t)); });
        result.hidden = true;
      })
      .catch(function (e) { show(false, 'Could not reach Pulse: ' + e); });
  }

  function money(amount) { return { amount: amount, currency: value('currency') }; }

  function payload(type) {
    var quantity = parseInt(value('quantity'), 10);
    var price = value('price');
    switch (type) {
      case 'PAGE_VIEW': return { url: value('url') };
      case 'PRODUCT_VIEW': return { productId: value('productId'), price: money(price) };
      case 'ADD_TO_CART': return { productId: value('productId'), quantity: quantity, unitPrice: money(price) };
      default: {
        // The total is computed exactly in cents-free decimal arithmetic by the server's rule; send quantity x price.
        var total = multiply(price, quantity);
        return {
          orderId: 'o-' + Date.now(),
          lineItems: [{ productId: value('productId'), quantity: quantity, unitPrice: money(price) }],
          total: money(total)
        };
      }
    }
  }

  // Exact decimal string times a whole number, without floating point: "19.99" x 3 = "59.97".
  function multiply(decimal, n) {
    if (!/^\d+(\.\d+)?$/.test(decimal) || !(n >= 1)) { return decimal; }
    var parts = decimal.split('.');
    var scale = parts[1] ? parts[1].length : 0;
    var units = BigInt(parts[0] + (parts[1] || '')) * BigInt(n);
    var s = units.toString().padStart(scale + 1, '0');
    return scale ? s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale) : s;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === 'x' ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var type = typeSelect.value;
    var event = {
      eventId: uuid(),
      tenant: tenantSelect.value,
      type: type,
      eventTime: new Date().toISOString(),
      customerId: value('customerId') || null,
      channel: value('channel'),
      storeId: value('storeId') || null,
      payload: payload(type)
    };
    fetch('/ingest/v1/events', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': keyInput.value.trim() },
      body: JSON.stringify([event])
    })
      .then(function (r) { return r.text().then(function (text) { return { status: r.status, text: text }; }); })
      .then(function (r) {
        var body;
        try { body = JSON.parse(r.text); } catch (e) { body = { error: r.text }; }
        if (r.status === 202) {
          show(true, 'Accepted (202): event ' + body.eventIds[0]);
          return;
        }
        var lines = [r.status + ': ' + (body.error || 'refused')];
        (body.problems || []).forEach(function (p) {
          lines.push('  ' + (p.field || p.path) + ': ' + p.message + (p.rule ? ' [' + p.rule + ']' : ''));
        });
        show(false, lines.join('\n'));
      })
      .catch(function (e) { show(false, 'Could not reach Pulse: ' + e); });
  });

  keyInput.addEventListener('change', loadTenants);
  typeSelect.addEventListener('change', function () { showFieldsFor(typeSelect.value); });
  showFieldsFor(typeSelect.value);
}());
