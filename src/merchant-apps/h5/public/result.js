// The result page: reads the order until the switch knows how it ended (the notification or its own
// inquiries settle it; the app's own resultCode is only what the customer tapped).
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var orderId = params.get('order');
  var statusBox = document.getElementById('status');
  var TITLES = { PROCESSING: 'Waiting for Alipay…', PAID: 'Paid', DECLINED: 'Not paid', CANCELLED: 'Cancelled' };
  var again = document.getElementById('again');
  again.href = '/h5/?table=' + encodeURIComponent(params.get('table') || 'T1');

  function render(order) {
    statusBox.dataset.status = order.status;
    statusBox.textContent = TITLES[order.status] || order.status;
    document.getElementById('result-message').textContent = order.message || '';
    if (order.receipt) {
      var r = order.receipt;
      var rows = [['Paid with', r.mark], ['Date/time', r.localTime], ['Amount', r.currency + ' ' + r.amount],
        ['Alipay transaction no.', r.alipayTransactionId], ['Order no.', r.merchantOrderId]];
      var dl = document.getElementById('receipt');
      dl.innerHTML = '';
      rows.forEach(function (row) {
        if (!row[1]) return;
        var dt = document.createElement('dt'); dt.textContent = row[0];
        var dd = document.createElement('dd'); dd.textContent = row[1];
        dl.appendChild(dt); dl.appendChild(dd);
      });
      dl.hidden = false;
    }
    again.hidden = order.status === 'PROCESSING' || order.status === 'PAID';
  }
  function poll() {
    fetch('/pay/v1/orders/' + encodeURIComponent(orderId)).then(function (r) { return r.json(); }).then(function (order) {
      if (!order.status) { document.getElementById('result-message').textContent = order.message || ''; return; }
      render(order);
      if (order.status === 'PROCESSING') setTimeout(poll, 1000);
    }, function () { setTimeout(poll, 2000); });
  }
  if (!orderId) document.getElementById('result-message').textContent = 'We cannot find this order. Please ask a member of staff.';
  else poll();
})();
