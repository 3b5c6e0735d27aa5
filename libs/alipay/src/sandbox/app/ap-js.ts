/**
 * The sandbox's stand-in for the Alipay app's JSAPI (window.ap), served at /sandbox/app/ap.js. An H5 page
 * loads it where it would load Alipay's own script:
 * - ap.getAuthCode([options,] cb): cb({authCode}) for a simulated user (options.userId picks one);
 * - ap.tradePay({tradeNO}, cb): shows the app's pay sheet; the customer's Confirm or Cancel is sent to
 *   /sandbox/app/trade-pay and cb gets tradePay's resultCode (9000 paid, 6001 cancelled by the user,
 *   4000 not payable, 6002 network error). Both also return a promise of the same result.
 * The sheet's buttons carry ids (sandbox-alipay-confirm, sandbox-alipay-cancel) for browser tests.
 */
export const AP_JS = String.raw`(function () {
  'use strict';
  var script = document.currentScript;
  var base = script && script.src ? new URL(script.src).origin : '';
  function post(path, body) {
    // text/plain keeps the request "simple": no CORS preflight from the merchant's page.
    return fetch(base + path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); });
  }
  function settle(cb, value) { if (typeof cb === 'function') cb(value); return value; }
  function sheet(tradeNo, decide) {
    var shade = document.createElement('div');
    shade.id = 'sandbox-alipay-sheet';
    shade.setAttribute('role', 'dialog');
    shade.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:flex-end;z-index:99999;font-family:sans-serif';
    var panel = document.createElement('div');
    panel.style.cssText = 'background:#fff;width:100%;padding:20px;border-radius:12px 12px 0 0;text-align:center';
    var title = document.createElement('p');
    title.textContent = 'Alipay (sandbox): pay order ' + tradeNo + '?';
    var confirm = document.createElement('button');
    confirm.id = 'sandbox-alipay-confirm';
    confirm.textContent = 'Confirm payment';
    confirm.style.cssText = 'background:#1677ff;color:#fff;border:0;padding:12px 24px;margin:6px;border-radius:6px;font-size:16px';
    var cancel = document.createElement('button');
    cancel.id = 'sandbox-alipay-cancel';
    cancel.textContent = 'Cancel';
    cancel.style.cssText = 'padding:12px 24px;margin:6px;border-radius:6px;font-size:16px';
    panel.appendChild(title);
    panel.appendChild(confirm);
    panel.appendChild(cancel);
    shade.appendChild(panel);
    document.body.appendChild(shade);
    function choose(action) { shade.remove(); decide(action); }
    confirm.onclick = function () { choose('confirm'); };
    cancel.onclick = function () { choose('decline'); };
  }
  window.ap = {
    getAuthCode: function (options, cb) {
      if (typeof options === 'function') { cb = options; options = {}; }
      var userId = options && options.userId;
      return post('/sandbox/app/auth-code', userId ? { userId: userId } : {}).then(
        function (r) { return settle(cb, r.authCode ? { authCode: r.authCode } : { error: 11, errorMessage: r.error || 'refused' }); },
        function () { return settle(cb, { error: 12, errorMessage: 'network error' }); });
    },
    tradePay: function (options, cb) {
      var tradeNo = options && (options.tradeNO || options.tradeNo);
      return new Promise(function (resolve) {
        sheet(tradeNo, function (action) {
          post('/sandbox/app/trade-pay', { tradeNo: tradeNo, action: action }).then(
            function (r) { resolve(settle(cb, { resultCode: r.resultCode || '4000' })); },
            function () { resolve(settle(cb, { resultCode: '6002' })); });
        });
      });
    }
  };
})();
`;
