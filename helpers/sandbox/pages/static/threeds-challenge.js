/*
 * Local sandbox: once a 3-D Secure method flow or challenge is done, this page tells the
 * 3DS script on the merchant's page (clover3DS-sdk.js), which fires `executePatch`. Only
 * ids and EMV 3-D Secure's status letter travel.
 */
(function () {
  'use strict';
  var result = document.getElementById('threeds-result');
  if (!result || window.parent === window) {
    return;
  }
  window.parent.postMessage({
    clover3ds: result.getAttribute('data-flow') + '-complete',
    status: result.getAttribute('data-status'),
    threeDSServerTransID: result.getAttribute('data-transaction')
  }, '*');
})();
