/*
 * The wallet button of the local sandbox's iframe (wallet.html): PAYMENT_REQUEST_BUTTON.
 *
 * Clover's button (dev: clover-iframe-features-apple-pay and -google-pay,
 * https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay) opens Apple's or
 * Google's payment sheet and hands the page a token in a `paymentMethod` event. No real
 * wallet can answer the local sandbox, so this page (a local choice) shows "No wallet
 * available in this browser" and reports PAYMENT_REQUEST_BUTTON {available: false} in a
 * change event; only when the merchant page was opened with ?wallet=test does it offer the
 * sandbox's test wallet, which asks /v1/tokens for a card token
 * ({"sandbox_wallet": {"paymentReqData": ...}}, local-only) and posts it to the page.
 *
 * Plain ES2019, no dependencies, no build step.
 */
(function () {
  'use strict';

  var NS = 'clover-sandbox';
  var PROTOCOL_VERSION = 1;
  var ELEMENT = 'PAYMENT_REQUEST_BUTTON';

  var params = new URLSearchParams(window.location.search);
  var API_KEY = params.get('apiKey') || '';
  var INSTANCE = params.get('instance') || '';
  var PARENT_ORIGIN = params.get('parentOrigin') || '';
  var TEST_WALLET = params.get('wallet') === 'test';
  var TOKENS_URL = new URL('v1/tokens', new URL('.', window.location.href)).href;

  var box = document.getElementById('wallet');
  var paymentReqData = null;
  var busy = false;

  function postToParent(type, extra) {
    window.parent.postMessage(Object.assign({
      ns: NS, v: PROTOCOL_VERSION, instance: INSTANCE, element: ELEMENT, type: type
    }, extra || {}), PARENT_ORIGIN);
  }

  function money(cents) {
    var dollars = Math.floor(cents / 100).toLocaleString('en-US');
    return '$' + dollars + '.' + ('0' + (cents % 100)).slice(-2);
  }

  function reportSize() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height > 0) {
      postToParent('resize', {height: height});
    }
  }

  function showNoWallet() {
    box.textContent = '';
    var note = document.createElement('p');
    note.className = 'wallet-none';
    note.id = 'no-wallet';
    note.textContent = 'No wallet available in this browser.';
    box.appendChild(note);
    postToParent('change', {state: {available: false, error: note.textContent}});
  }

  /* Turn the tokenizer's answer into the paymentMethod event's {token, card, wallet}. */
  function answer(response, body) {
    if (response.ok && body && typeof body.id === 'string') {
      return {token: body.id, card: body.card || {}, wallet: body.wallet || {}};
    }
    var error = body && body.error && typeof body.error === 'object' ? body.error : {};
    return {errors: {PAYMENT_REQUEST_BUTTON: String(error.message || 'HTTP ' + response.status)}};
  }

  function pay() {
    if (busy || !paymentReqData) {
      return;
    }
    busy = true;
    window.fetch(TOKENS_URL, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', apikey: API_KEY},
      body: JSON.stringify({sandbox_wallet: {paymentReqData: paymentReqData}}),
      credentials: 'same-origin',
      cache: 'no-store'
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        return answer(response, body);
      });
    }, function () {
      return {errors: {PAYMENT_REQUEST_BUTTON: 'Could not reach the tokenizer.'}};
    }).then(function (result) {
      busy = false;
      if (result.errors) {
        window.console.error('Clover SDK: ' + result.errors.PAYMENT_REQUEST_BUTTON);
      }
      postToParent('paymentMethod', {result: result});
    });
  }

  function showTestWallet() {
    box.textContent = '';
    var button = document.createElement('button');
    button.type = 'button';
    button.id = 'wallet-pay';
    button.className = 'wallet-button';
    var short = paymentReqData.options && paymentReqData.options.button &&
      paymentReqData.options.button.buttonType === 'short';
    button.textContent = short ? 'Test wallet'
      : 'Pay ' + money(paymentReqData.total.amount) + ' with the test wallet';
    button.title = 'Local sandbox only: ' + paymentReqData.total.label;
    button.addEventListener('click', pay);
    box.appendChild(button);
    postToParent('change', {state: {available: true, wallet: 'sandbox_test'}});
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== PARENT_ORIGIN) {
      return;
    }
    var data = event.data;
    if (!data || data.ns !== NS || data.instance !== INSTANCE || data.type !== 'configure') {
      return;
    }
    paymentReqData = data.paymentReqData && typeof data.paymentReqData === 'object'
      ? data.paymentReqData : null;
    if (TEST_WALLET && paymentReqData) {
      showTestWallet();
    } else {
      showNoWallet();
    }
    reportSize();
  });

  postToParent('ready');
})();
