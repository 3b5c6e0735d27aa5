// The table's ordering page: who the customer is (ap.getAuthCode -> /pay/v1/oauth/alipay), what they
// order, the order (/pay/v1/orders) and its payment in the Alipay app (ap.tradePay), then the result page.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var tableRef = params.get('table') || 'T1';
  var quantities = {};
  var dishes = [];
  var currency = 'CNY';
  var buyerId;
  var payButton = document.getElementById('pay');

  function show(text) {
    var box = document.getElementById('message');
    box.textContent = text;
    box.hidden = !text;
  }
  function major(minor) { return (minor / 100).toFixed(2); }
  function total() {
    return dishes.reduce(function (sum, d) { return sum + d.priceMinor * (quantities[d.id] || 0); }, 0);
  }
  function refresh() {
    document.getElementById('amount').textContent = currency + ' ' + major(total());
    payButton.disabled = !buyerId || total() === 0;
    dishes.forEach(function (d) { document.getElementById('qty-' + d.id).textContent = String(quantities[d.id] || 0); });
  }
  function api(method, path, body) {
    return fetch(path, { method: method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json().then(function (json) { return { ok: r.ok, json: json }; }); });
  }
  function renderMenu() {
    var list = document.getElementById('menu');
    dishes.forEach(function (d) {
      var li = document.createElement('li');
      li.innerHTML = '<span class="name"></span><span class="price"></span>' +
        '<button type="button" aria-label="less">−</button><span class="qty"></span><button type="button" aria-label="more">+</button>';
      li.querySelector('.name').textContent = d.name;
      li.querySelector('.price').textContent = major(d.priceMinor);
      li.querySelector('.qty').id = 'qty-' + d.id;
      var buttons = li.querySelectorAll('button');
      buttons[0].id = 'less-' + d.id;
      buttons[1].id = 'add-' + d.id;
      buttons[0].onclick = function () { quantities[d.id] = Math.max(0, (quantities[d.id] || 0) - 1); refresh(); };
      buttons[1].onclick = function () { quantities[d.id] = (quantities[d.id] || 0) + 1; refresh(); };
      list.appendChild(li);
    });
    refresh();
  }
  function signIn() {
    if (!window.ap) { show('Please open this page from the Alipay app.'); return; }
    ap.getAuthCode({ scopes: ['auth_base'] }, function (res) {
      if (!res.authCode) { show('Please open this page from the Alipay app.'); return; }
      api('POST', '/pay/v1/oauth/alipay', { authCode: res.authCode }).then(function (r) {
        if (!r.ok) { show(r.json.message || 'Please try again.'); return; }
        buyerId = r.json.buyerId;
        refresh();
      }, function () { show('No connection. Please check your network and reload the page.'); });
    });
  }
  payButton.onclick = function () {
    payButton.disabled = true;
    show('');
    var items = dishes.filter(function (d) { return quantities[d.id] > 0; })
      .map(function (d) { return { dishId: d.id, quantity: quantities[d.id] }; });
    api('POST', '/pay/v1/orders', { tableRef: tableRef, buyerId: buyerId, currency: currency, items: items }).then(function (r) {
      if (!r.ok) { show(r.json.message || 'Please try again.'); refresh(); return; }
      var order = r.json;
      ap.tradePay({ tradeNO: order.tradeNo }, function (res) {
        location.href = '/h5/result.html?order=' + encodeURIComponent(order.orderId) +
          '&table=' + encodeURIComponent(tableRef) + '&app=' + encodeURIComponent(res.resultCode || '');
      });
    }, function () { show('No connection. Please check your network and try again.'); refresh(); });
  };
  document.getElementById('table').textContent = 'Table ' + tableRef;
  api('GET', '/h5/menu').then(function (r) {
    dishes = r.json.dishes;
    currency = r.json.currency;
    renderMenu();
    signIn();
  }, function () { show('No connection. Please check your network and reload the page.'); });
})();
