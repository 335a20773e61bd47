/*
 * The payment page's own script (listed by URL in the page's Content-Security-Policy).
 *
 * Mounts Clover's card fields, asks Clover for a single-use clv_ token, and posts only that
 * token (with the order id and the CAPTCHA answer) to the shop's POST /pay. The page never
 * sees the card number or CVV, and never sends an amount: the server knows the price.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('checkout-config').textContent);
  var form = document.getElementById('pay-form');
  var button = document.getElementById('pay');
  var outcome = document.getElementById('outcome');
  var busy = false;
  var closed = false;

  var clover = new Clover(config.apiAccessKey, {merchantId: config.merchantId, locale: 'en'});
  var elements = clover.elements();
  var styles = {input: {fontSize: '16px'}};
  var mounts = [
    ['CARD_NUMBER', '#card-number'],
    ['CARD_DATE', '#card-date'],
    ['CARD_CVV', '#card-cvv'],
    ['CARD_POSTAL_CODE', '#card-postal-code']
  ];

  function showFieldErrors(states) {
    mounts.forEach(function (pair) {
      var state = (states && states[pair[0]]) || {};
      document.querySelector('[data-error-for="' + pair[0] + '"]').textContent =
        state.touched && state.error ? state.error : '';
    });
  }

  mounts.forEach(function (pair) {
    var element = elements.create(pair[0], styles).mount(pair[1]);
    element.addEventListener('change', showFieldErrors);
    element.addEventListener('blur', showFieldErrors);
  });
  button.disabled = false;

  function show(kind, text) {
    outcome.hidden = false;
    outcome.setAttribute('data-kind', kind);
    outcome.textContent = text;
  }

  function captchaAnswer() {
    var answer = {};
    var fields = document.querySelectorAll('#captcha input, #captcha textarea');
    Array.prototype.forEach.call(fields, function (field) {
      if (field.name) { answer[field.name] = field.value; }
    });
    return answer;
  }

  function newChallenge(challenge) {
    if (!challenge || !challenge.question) { return; }
    document.getElementById('captcha-question').textContent = challenge.question;
    document.getElementById('captcha-ticket').value = challenge.ticket;
    document.getElementById('captcha-answer').value = '';
  }

  // Every answer of /pay is read here, 2xx or not. A decline keeps HTTP 402 (Payment
  // Required, what Clover itself answers and what notebook 19 shows): the browser's network
  // log notes the status, but the page handles it, so no uncaught error reaches the console.
  function answerOf(response) {
    return response.json().then(function (body) { return body; }, function () {
      return {outcome: 'error', message: 'The shop answered with an error (' + response.status + ').'};
    });
  }

  function post(token) {
    return fetch(config.payUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': config.csrfToken},
      body: JSON.stringify({order_id: config.orderId, token: token, captcha: captchaAnswer()})
    }).then(answerOf);
  }

  function poll(left) {
    return new Promise(function (resolve) { setTimeout(resolve, 1000); }).then(function () {
      return fetch(config.statusUrl, {credentials: 'same-origin'}).then(answerOf);
    }).then(function (body) {
      if (body.outcome === 'in_progress' && left > 0) { return poll(left - 1); }
      return body;
    });
  }

  function handle(body) {
    if (body.outcome === 'in_progress') {
      show('info', body.message);
      return poll(30).then(handle);
    }
    if (body.outcome === 'paid') {
      closed = true;
      show('success', body.message);
      // The receipt page; a reload of it can never pay again.
      setTimeout(function () { window.location.assign(config.receiptUrl); }, 800);
      return null;
    }
    if (body.outcome === 'failed' || body.outcome === 'not_payable') { closed = true; }
    if (body.outcome === 'captcha_failed') { newChallenge(body.captcha); }
    show(body.outcome === 'unknown' || body.outcome === 'rate_limited' ? 'warning' : 'error',
         body.message || 'The payment did not go through.');
    return null;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy || closed) { return; }  // a double click sends one request
    busy = true;
    button.disabled = true;
    show('info', 'Checking your card\u2026');
    clover.createToken().then(function (result) {
      if (result.errors) {
        var messages = Object.keys(result.errors).map(function (k) { return result.errors[k]; });
        show('error', 'Please check the card: ' + messages.join(' '));
        return null;
      }
      show('info', 'Paying\u2026');
      return post(result.token).then(handle);
    }).catch(function () {
      show('warning', 'We lost touch with the shop. Please press Pay again: you will not be charged twice.');
    }).then(function () {
      busy = false;
      button.disabled = closed;
    });
  });
})();
