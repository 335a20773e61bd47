/*
 * The ACH bank account form of the local sandbox's iframe (ach.html): ACH_ELEMENTS.
 *
 * Clover's page (dev: iframe-customize-ach-elements-with-css,
 * https://docs.clover.com/dev/docs/iframe-customize-ach-elements-with-css) names one element,
 * ACH_ELEMENTS, "ACH payment form for bank account input"; the fields it must hold are
 * TeleCheck's internet check acceptance fields (docs: internet-check-acceptance and
 * create-an-ach-token), and the shopper must see and accept the consent. The names of the
 * form's own fields (ACH_ROUTING_NUMBER, ACH_ACCOUNT_NUMBER, ...), used as keys of
 * `errors` and of the change event's state, are the local sandbox's choice, as is a
 * personal check only (a corporate check is made with /v1/tokens directly).
 *
 * The routing number is checked as typed (nine digits and the ABA checksum); every field
 * and the consent are checked again when the page calls createToken(). Only the token and
 * the last four digits ever go back to the page.
 *
 * Plain ES2019, no dependencies, no build step.
 */
(function () {
  'use strict';

  var NS = 'clover-sandbox';
  var PROTOCOL_VERSION = 1;
  var ELEMENT = 'ACH_ELEMENTS';

  var params = new URLSearchParams(window.location.search);
  var API_KEY = params.get('apiKey') || '';
  var INSTANCE = params.get('instance') || '';
  var PARENT_ORIGIN = params.get('parentOrigin') || '';
  var TOKENS_URL = new URL('v1/tokens', new URL('.', window.location.href)).href;
  var form = document.getElementById('ach');
  var consent = document.getElementById('ACH_CONSENT');
  var AGREEMENT = form.getAttribute('data-agreement');

  function digits(v) { return v.replace(/\D/g, ''); }

  function routingError(value, strict) {
    var d = digits(value);
    if (!d) { return strict ? 'Routing number is required.' : ''; }
    if (d.length < 9) { return strict ? 'Routing number must be 9 digits.' : ''; }
    var n = d.split('').map(Number);
    var sum = 3 * (n[0] + n[3] + n[6]) + 7 * (n[1] + n[4] + n[7]) + (n[2] + n[5] + n[8]);
    return sum % 10 === 0 ? '' : 'Routing number is invalid (check the 9 digits).';
  }

  function accountError(value, strict) {
    var d = digits(value);
    if (!d) { return strict ? 'Account number is required.' : ''; }
    return d.length < 10 && strict ? 'Account number must be 10 to 12 digits.' : '';
  }

  function required(what) {
    return function (value, strict) { return strict && !value.trim() ? what + ' is required.' : ''; };
  }

  function pattern(what, re, hint) {
    return function (value, strict) {
      if (!value.trim()) { return strict ? what + ' is required.' : ''; }
      return strict && !re.test(value.trim()) ? what + ' ' + hint : '';
    };
  }

  // [key, /v1/tokens field, label, kind, autocomplete or choices, check]
  var FIELDS = [
    ['ACH_ROUTING_NUMBER', 'bank_routing_number', 'Routing number', 'digits:9', 'off', routingError],
    ['ACH_ACCOUNT_NUMBER', 'bank_account_number', 'Account number', 'digits:12', 'off', accountError],
    ['ACH_ACCOUNT_TYPE', 'account_type', 'Account type', 'select',
      [['checking', 'Checking'], ['savings', 'Savings']], required('Account type')],
    ['ACH_FIRST_NAME', 'first_name', 'First name', 'text', 'given-name', required('First name')],
    ['ACH_LAST_NAME', 'last_name', 'Last name', 'text', 'family-name', required('Last name')],
    ['ACH_EMAIL', 'email', 'Email', 'text', 'email',
      pattern('Email', /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'is not an email address.')],
    ['ACH_PHONE', 'phone', 'Phone', 'text', 'tel',
      pattern('Phone', /^[0-9+() .-]{7,20}$/, 'is not a phone number.')],
    ['ACH_ID_TYPE', 'customer_id_type', 'ID type', 'select',
      [['driver_license', "Driver's license"], ['tax_id', 'Tax ID'],
        ['military_id', 'Military ID']], required('ID type')],
    ['ACH_ID_STATE', 'customer_id_state', 'ID state (e.g. NJ)', 'text', 'off',
      pattern('ID state', /^[A-Za-z]{2}$/, 'must be a two-letter state code such as NJ.')],
    ['ACH_ID_NUMBER', 'customer_id', 'ID number', 'text', 'off', required('ID number')],
    ['ACH_ADDRESS_LINE1', 'address_line1', 'Street address', 'text', 'address-line1',
      required('Street address')],
    ['ACH_CITY', 'address_city', 'City', 'text', 'address-level2', required('City')],
    ['ACH_STATE', 'address_state', 'State', 'text', 'address-level1', required('State')],
    ['ACH_ZIP', 'address_zip', 'ZIP code', 'text', 'postal-code',
      pattern('ZIP code', /^\d{5}(-\d{4})?$/, 'must be 5 digits (or ZIP+4).')]
  ];
  var BY_PARAM = {};
  FIELDS.forEach(function (f) { BY_PARAM['ach.' + f[1]] = f[0]; });
  BY_PARAM['ach.agreement'] = 'ACH_CONSENT';
  BY_PARAM['ach.agreement.agreement_id'] = 'ACH_CONSENT';

  var inputs = {};
  var touched = {};
  var forced = {};

  function postToParent(type, extra) {
    window.parent.postMessage(Object.assign({
      ns: NS, v: PROTOCOL_VERSION, instance: INSTANCE, element: ELEMENT, type: type
    }, extra || {}), PARENT_ORIGIN);
  }

  function build() {
    var box = document.getElementById('fields');
    FIELDS.forEach(function (f) {
      var label = document.createElement('label');
      label.htmlFor = f[0];
      label.textContent = f[2];
      var input;
      if (f[3] === 'select') {
        input = document.createElement('select');
        f[4].forEach(function (choice) {
          var option = document.createElement('option');
          option.value = choice[0];
          option.textContent = choice[1];
          input.appendChild(option);
        });
      } else {
        input = document.createElement('input');
        input.type = 'text';
        input.autocomplete = f[4];
        input.spellcheck = false;
        if (f[3].indexOf('digits:') === 0) {
          input.inputMode = 'numeric';
          input.maxLength = Number(f[3].slice(7));
        }
      }
      input.id = f[0];
      input.name = f[1];
      input.setAttribute('aria-invalid', 'false');
      var error = document.createElement('p');
      error.className = 'error';
      error.id = f[0] + '-error';
      error.setAttribute('role', 'alert');
      box.appendChild(label);
      box.appendChild(input);
      box.appendChild(error);
      inputs[f[0]] = input;
    });
  }

  function show(key, message) {
    var input = key === 'ACH_CONSENT' ? consent : inputs[key];
    document.getElementById(key + '-error').textContent = message || '';
    input.classList.toggle('invalid', Boolean(message));
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  function consentError(strict) {
    return strict && !consent.checked ? 'Accept the authorization to pay from this account.' : '';
  }

  /* Every field's {error?, complete}; strict also reports what is empty or short. */
  function check(strict) {
    var state = {};
    FIELDS.forEach(function (f) {
      var error = forced[f[0]] || f[5](inputs[f[0]].value, strict || touched[f[0]]);
      state[f[0]] = {complete: !f[5](inputs[f[0]].value, true)};
      if (error) { state[f[0]].error = error; }
      show(f[0], error);
    });
    var consentProblem = forced.ACH_CONSENT || consentError(strict);
    state.ACH_CONSENT = {complete: consent.checked};
    if (consentProblem) { state.ACH_CONSENT.error = consentProblem; }
    show('ACH_CONSENT', consentProblem);
    return state;
  }

  function report(strict) {
    var state = check(strict);
    postToParent('change', {state: state});
    return state;
  }

  function onInput(event) {
    var input = event.target;
    if (input.inputMode === 'numeric') {
      input.value = digits(input.value);
    }
    delete forced[input.id];
    report(false);
  }

  function errorsOf(state) {
    var errors = {};
    Object.keys(state).forEach(function (key) {
      if (state[key].error) { errors[key] = state[key].error; }
    });
    return errors;
  }

  function requestToken() {
    var ach = {
      encrypted: false, check_type: 'personal_check', agreement: {agreement_id: AGREEMENT}
    };
    FIELDS.forEach(function (f) {
      var value = inputs[f[0]].value.trim();
      ach[f[1]] = f[0] === 'ACH_ID_STATE' ? value.toUpperCase() : value;
    });
    return window.fetch(TOKENS_URL, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', apikey: API_KEY},
      body: JSON.stringify({ach: ach}),
      credentials: 'same-origin',
      cache: 'no-store'
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (response.ok && body && typeof body.id === 'string') {
          return {token: body.id, ach: body.ach || {}};
        }
        var error = body && body.error && typeof body.error === 'object' ? body.error : {};
        var key = BY_PARAM[error.param] || 'REQUEST';
        var errors = {};
        errors[key] = String(error.message || 'HTTP ' + response.status);
        if (key !== 'REQUEST') {
          forced[key] = errors[key];
          report(true);
        }
        return {errors: errors};
      });
    }, function () {
      return {errors: {REQUEST: 'Could not reach the tokenizer.'}};
    });
  }

  function tokenize(requestId) {
    forced = {};
    FIELDS.forEach(function (f) { touched[f[0]] = true; });
    var errors = errorsOf(report(true));
    var result = Object.keys(errors).length ? Promise.resolve({errors: errors}) : requestToken();
    result.then(function (answer) {
      postToParent('tokenResult', {requestId: requestId, result: answer});
    });
  }

  function reportSize() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height > 0) {
      postToParent('resize', {height: height});
    }
  }

  /* Merchant styles: the same small allow-list as the card fields, by CSSOM, no url(). */
  var SELECTORS = ['body', 'input', 'input:focus', 'select', 'label', 'input.invalid', '.error'];
  var UNSAFE_VALUE = /url\s*\(|image-set|expression\s*\(|javascript:|[;{}<>\\@]/i;

  function applyStyles(styles) {
    if (!styles || typeof styles !== 'object') {
      return;
    }
    var sheet = document.getElementById('merchant-styles').sheet;
    Object.keys(styles).forEach(function (selector) {
      var declarations = styles[selector];
      if (SELECTORS.indexOf(selector) < 0 || !declarations || typeof declarations !== 'object') {
        return;
      }
      var rule = sheet.cssRules[sheet.insertRule(selector + ' {}', sheet.cssRules.length)];
      Object.keys(declarations).forEach(function (name) {
        var value = String(declarations[name]);
        if (!UNSAFE_VALUE.test(value)) {
          rule.style.setProperty(name.replace(/[A-Z]/g, function (c) {
            return '-' + c.toLowerCase();
          }), value);
        }
      });
    });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== PARENT_ORIGIN) {
      return;
    }
    var data = event.data;
    if (!data || data.ns !== NS || data.instance !== INSTANCE) {
      return;
    }
    if (data.type === 'configure') {
      applyStyles(data.styles);
      reportSize();
    } else if (data.type === 'tokenize' && typeof data.requestId === 'string') {
      tokenize(data.requestId);
    }
  });

  build();
  form.addEventListener('input', onInput);
  form.addEventListener('change', function () { report(false); });
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  form.addEventListener('focusout', function (event) {
    if (event.target && event.target.id && inputs[event.target.id]) {
      touched[event.target.id] = true;
      report(false);
    }
  });
  if (window.ResizeObserver) {
    new window.ResizeObserver(reportSize).observe(document.body);
  }
  postToParent('ready');
})();
