/*
 * Local sandbox: the issuer's 3-D Secure method page posts threeDSMethodData on to the
 * method notification URL at once, in the same hidden frame (EMV 3-D Secure's method flow).
 */
(function () {
  'use strict';
  var form = document.getElementById('threeds-method-notify');
  if (form && form.getAttribute('action')) {
    form.submit();
  }
})();
