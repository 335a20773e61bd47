/*
 * Local sandbox: the 3-D Secure challenge page, once answered, tells the 3DS script on
 * the merchant's page (clover3DS-sdk.js) how it went. Only ids and a status travel.
 */
(function () {
  'use strict';
  var result = document.getElementById('threeds-result');
  if (!result || window.parent === window) {
    return;
  }
  window.parent.postMessage({
    clover3ds: 'challenge-complete',
    status: result.getAttribute('data-status'),
    transaction_id: result.getAttribute('data-transaction'),
    charge: result.getAttribute('data-charge')
  }, '*');
})();
