/*
 * One card field of the local sandbox's hosted iframe (widget.html).
 *
 * Runs on the SDK's origin, inside the merchant's page. It talks to the page
 * only by postMessage, and only with the parent origin it was given. The
 * fields of one checkout (same origin as each other) share card data over a
 * BroadcastChannel named after their checkout instance; the CARD_NUMBER field
 * gathers the others, validates them and calls /v1/tokens. Only the token and
 * a masked card summary ever go back to the page.
 *
 * Plain ES2019, no dependencies, no build step.
 */
(function () {
  'use strict';

  var NS = 'clover-sandbox';
  var PROTOCOL_VERSION = 1;
  var COLLECT_TIMEOUT_MS = 3000;

  var params = new URLSearchParams(window.location.search);
  var ELEMENT = params.get('element') || '';
  var API_KEY = params.get('apiKey') || '';
  var INSTANCE = params.get('instance') || '';
  var PARENT_ORIGIN = params.get('parentOrigin') || '';
  // Relative to this page, never the site root, so path prefixes keep working.
  var TOKENS_URL = new URL('v1/tokens', new URL('.', window.location.href)).href;

  var MESSAGES = {
    numberRequired: 'Card number is required.',
    numberInvalid: 'Card number is invalid.',
    dateRequired: 'Card expiry date is required.',
    dateInvalid: 'Card expiry date is invalid.',
    dateExpired: 'Card is expired.',
    cvvRequired: 'Card CVV is required.',
    cvvInvalid: 'Card CVV is invalid.',
    postalRequired: 'Postal code is required.',
    postalInvalid: 'Postal code is invalid.',
    nameInvalid: 'Name on card is invalid.',
    noAnswer: 'This field did not answer.'
  };

  var FIELDS = {
    CARD_NUMBER: {
      css: 'card-number', label: 'Card number', placeholder: 'Card number',
      autocomplete: 'cc-number', inputmode: 'numeric', maxLength: 23
    },
    CARD_DATE: {
      css: 'card-date', label: 'Expiry date (MM / YY)', placeholder: 'MM / YY',
      autocomplete: 'cc-exp', inputmode: 'numeric', maxLength: 7
    },
    CARD_CVV: {
      css: 'card-cvv', label: 'Security code (CVV)', placeholder: 'CVV',
      autocomplete: 'cc-csc', inputmode: 'numeric', maxLength: 4
    },
    CARD_POSTAL_CODE: {
      css: 'card-postal-code', label: 'ZIP or postal code', placeholder: 'ZIP / postal code',
      autocomplete: 'postal-code', inputmode: 'text', maxLength: 10
    },
    CARD_NAME: {
      css: 'card-name', label: 'Name on card', placeholder: 'Name on card',
      autocomplete: 'cc-name', inputmode: 'text', maxLength: 100
    }
  };

  /* ---- Card rules: brand by prefix, lengths, Luhn, expiry, CVV ---- */

  function prefixIn(digits, width, low, high) {
    if (digits.length < width) {
      return false;
    }
    var n = Number(digits.slice(0, width));
    return n >= low && n <= high;
  }

  // Whether digits shorter than a range's width can still grow into it (6221 -> 622126).
  function prefixMayBecome(digits, width, low, high) {
    if (digits.length >= width) {
      return prefixIn(digits, width, low, high);
    }
    var scale = Math.pow(10, width - digits.length);
    var n = Number(digits);
    return n >= Math.floor(low / scale) && n <= Math.floor(high / scale);
  }

  // The brands, ranges, lengths and CVV lengths of helpers/card_rules.py, which the
  // sandbox writes into widget.html: the field and the tokenizer apply the same rules.
  var BRANDS = JSON.parse(document.getElementById('card-rules').textContent).map(
    function (rule) {
      return {
        name: rule.name, label: rule.label, lengths: rule.lengths, cvv: rule.cvv,
        ranges: rule.ranges,
        match: function (d) {
          return rule.ranges.some(function (r) {
            return prefixIn(d, String(r[0]).length, r[0], r[1]);
          });
        },
        mayMatch: function (d) {
          return rule.ranges.some(function (r) {
            return prefixMayBecome(d, String(r[0]).length, r[0], r[1]);
          });
        }
      };
    });

  function mayBecomeABrand(digits) {
    return BRANDS.some(function (brand) { return brand.mayMatch(digits); });
  }

  function detectBrand(digits) {
    for (var i = 0; i < BRANDS.length; i++) {
      if (BRANDS[i].match(digits)) {
        return BRANDS[i];
      }
    }
    return null;
  }

  function brandByName(name) {
    for (var i = 0; i < BRANDS.length; i++) {
      if (BRANDS[i].name === name) {
        return BRANDS[i];
      }
    }
    return null;
  }

  function luhnOk(digits) {
    var sum = 0;
    var double = false;
    for (var i = digits.length - 1; i >= 0; i--) {
      var n = digits.charCodeAt(i) - 48;
      if (double) {
        n *= 2;
        if (n > 9) {
          n -= 9;
        }
      }
      sum += n;
      double = !double;
    }
    return digits.length > 0 && sum % 10 === 0;
  }

  function onlyDigits(value) {
    return String(value || '').replace(/\D/g, '');
  }

  /* strict = the shopper is done with the field (blur or Pay). */
  function numberError(digits, strict) {
    if (!digits) {
      return strict ? MESSAGES.numberRequired : '';
    }
    var brand = detectBrand(digits);
    if (!brand) {
      // After four digits a prefix no brand can grow into is invalid.
      return (strict || (digits.length >= 4 && !mayBecomeABrand(digits))) ?
        MESSAGES.numberInvalid : '';
    }
    var longest = brand.lengths[brand.lengths.length - 1];
    var done = strict || digits.length >= longest;
    if (!done) {
      return '';
    }
    if (brand.lengths.indexOf(digits.length) < 0 || !luhnOk(digits)) {
      return MESSAGES.numberInvalid;
    }
    return '';
  }

  function parseExpiry(digits) {
    if (digits.length !== 4) {
      return null;
    }
    return {month: Number(digits.slice(0, 2)), year: 2000 + Number(digits.slice(2))};
  }

  function dateError(digits, strict) {
    if (!digits) {
      return strict ? MESSAGES.dateRequired : '';
    }
    if (digits.length >= 2) {
      var month = Number(digits.slice(0, 2));
      if (month < 1 || month > 12) {
        return MESSAGES.dateInvalid;
      }
    }
    var parsed = parseExpiry(digits);
    if (!parsed) {
      return strict ? MESSAGES.dateInvalid : '';
    }
    var now = new Date();
    var thisYear = now.getFullYear();
    var thisMonth = now.getMonth() + 1;
    if (parsed.year < thisYear || (parsed.year === thisYear && parsed.month < thisMonth)) {
      return MESSAGES.dateExpired;
    }
    if (parsed.year > thisYear + 25) {
      return MESSAGES.dateInvalid;
    }
    return '';
  }

  function cvvError(digits, brandName, strict) {
    if (!digits) {
      return strict ? MESSAGES.cvvRequired : '';
    }
    if (!strict) {
      return '';
    }
    var brand = brandByName(brandName);
    var ok = brand ? digits.length === brand.cvv : (digits.length === 3 || digits.length === 4);
    return ok ? '' : MESSAGES.cvvInvalid;
  }

  function postalError(value, strict) {
    var text = String(value || '').trim();
    if (!text) {
      return strict ? MESSAGES.postalRequired : '';
    }
    if (!strict) {
      return '';
    }
    return /^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/.test(text) ? '' : MESSAGES.postalInvalid;
  }

  function nameError(value) {
    return String(value || '').trim().length > 100 ? MESSAGES.nameInvalid : '';
  }

  /* ---- Formatting as the shopper types ---- */

  function numberGroups(brand, length) {
    if (brand && brand.name === 'AMEX') {
      return [4, 6, 5];
    }
    if (brand && brand.name === 'DINERS_CLUB' && length === 14) {
      return [4, 6, 4];
    }
    return [4, 4, 4, 4, 3];
  }

  function formatNumber(digits) {
    var brand = detectBrand(digits);
    var longest = brand ? brand.lengths[brand.lengths.length - 1] : 19;
    digits = digits.slice(0, longest);
    var groups = numberGroups(brand, digits.length);
    var parts = [];
    var at = 0;
    for (var i = 0; i < groups.length && at < digits.length; i++) {
      parts.push(digits.slice(at, at + groups[i]));
      at += groups[i];
    }
    return parts.join(' ');
  }

  function formatDate(digits, inserting) {
    if (digits.length === 6) {
      digits = digits.slice(0, 2) + digits.slice(4); // MMYYYY pasted: keep YY
    }
    if (digits.length === 1 && digits > '1') {
      digits = '0' + digits;
    }
    digits = digits.slice(0, 4);
    if (digits.length < 2) {
      return digits;
    }
    if (digits.length === 2) {
      return inserting ? digits + ' / ' : digits;
    }
    return digits.slice(0, 2) + ' / ' + digits.slice(2);
  }

  function caretAfterDigits(text, count) {
    if (count <= 0) {
      return 0;
    }
    var seen = 0;
    for (var i = 0; i < text.length; i++) {
      if (/\d/.test(text[i])) {
        seen += 1;
        if (seen === count) {
          return i + 1;
        }
      }
    }
    return text.length;
  }

  /* ---- Talking to the page (parent) and to sibling fields (channel) ---- */

  function postToParent(type, extra) {
    window.parent.postMessage(Object.assign({
      ns: NS, v: PROTOCOL_VERSION, instance: INSTANCE, element: ELEMENT, type: type
    }, extra || {}), PARENT_ORIGIN);
  }

  function fatal(text) {
    var box = document.getElementById('field');
    box.textContent = '';
    var p = document.createElement('p');
    p.className = 'fatal';
    p.textContent = text;
    box.appendChild(p);
  }

  function startupProblem() {
    if (!FIELDS[ELEMENT]) {
      return 'Unknown card field.';
    }
    if (window.parent === window) {
      return 'This card field works only inside a checkout page.';
    }
    if (!/^[0-9a-f]{32}$/.test(INSTANCE) || !API_KEY) {
      return 'This card field was opened without its checkout settings.';
    }
    var origin;
    try {
      origin = new URL(PARENT_ORIGIN).origin;
    } catch (err) {
      origin = '';
    }
    if (!origin || origin === 'null' || origin !== PARENT_ORIGIN) {
      return 'This card field needs the checkout page origin.';
    }
    // Where the browser tells us who embeds us, it must be the origin we were given.
    var ancestors = window.location.ancestorOrigins;
    if (ancestors && ancestors.length && ancestors[0] !== PARENT_ORIGIN) {
      return 'This card field is embedded by an unexpected page.';
    }
    return '';
  }

  var problem = startupProblem();
  if (problem) {
    fatal(problem);
    return;
  }

  var spec = FIELDS[ELEMENT];
  var input = document.createElement('input');
  var label = document.createElement('label');
  var badge = null;
  var touched = false;
  var siblingBrand = '';      // CVV field: brand announced by the CARD_NUMBER field
  var forcedError = null;     // error sent by the CARD_NUMBER field after Pay
  var lastDigits = '';
  var lastState = '';

  function buildField() {
    var box = document.getElementById('field');
    box.classList.add(spec.css);
    document.body.classList.add(spec.css);
    input.id = 'input';
    input.type = 'text';
    input.name = spec.autocomplete;
    input.autocomplete = spec.autocomplete;
    input.inputMode = spec.inputmode;
    input.placeholder = spec.placeholder;
    input.maxLength = spec.maxLength;
    input.spellcheck = false;
    input.setAttribute('autocorrect', 'off');
    input.setAttribute('aria-invalid', 'false');
    label.htmlFor = 'input';
    label.className = 'visually-hidden';
    label.textContent = spec.label;
    box.appendChild(label);
    box.appendChild(input);
    if (ELEMENT === 'CARD_NUMBER') {
      badge = document.createElement('span');
      badge.className = 'brand';
      badge.setAttribute('aria-live', 'polite');
      box.appendChild(badge);
    }
  }

  function currentBrand() {
    if (ELEMENT === 'CARD_NUMBER') {
      var brand = detectBrand(onlyDigits(input.value));
      return brand ? brand.name : '';
    }
    return siblingBrand;
  }

  function fieldError(strict) {
    var value = input.value;
    switch (ELEMENT) {
      case 'CARD_NUMBER': return numberError(onlyDigits(value), strict);
      case 'CARD_DATE': return dateError(onlyDigits(value), strict);
      case 'CARD_CVV': return cvvError(onlyDigits(value), siblingBrand, strict);
      case 'CARD_POSTAL_CODE': return postalError(value, strict);
      case 'CARD_NAME': return nameError(value);
      default: return '';
    }
  }

  /* The per-field state the page sees: never the value itself. */
  function fieldState() {
    var error = forcedError !== null ? forcedError : fieldError(touched);
    var state = {touched: touched};
    if (error) {
      state.error = error;
    }
    if (ELEMENT === 'CARD_NUMBER') {
      var brand = currentBrand();
      if (brand) {
        state.brand = brand;
      }
    }
    return state;
  }

  function refresh(eventType) {
    var state = fieldState();
    input.classList.toggle('invalid', Boolean(state.error));
    input.setAttribute('aria-invalid', state.error ? 'true' : 'false');
    if (badge) {
      var brand = brandByName(state.brand);
      badge.textContent = brand ? brand.label : '';
    }
    var serial = JSON.stringify(state);
    if (eventType === 'change' && serial === lastState) {
      return;
    }
    if (eventType !== 'change' && serial !== lastState) {
      postToParent('change', {state: state});
    }
    lastState = serial;
    postToParent(eventType, {state: state});
  }

  var channel = new BroadcastChannel(NS + '/' + INSTANCE);

  var announcedBrand = '';

  function announceBrand() {
    if (ELEMENT === 'CARD_NUMBER') {
      announcedBrand = currentBrand();
      channel.postMessage({type: 'brand', brand: announcedBrand});
    }
  }

  function reformat(event) {
    var inserting = !event || !/^delete/.test(event.inputType || '');
    var before = input.value;
    var caret = input.selectionStart === null ? before.length : input.selectionStart;
    var digitsBeforeCaret = onlyDigits(before.slice(0, caret)).length;
    var digits = onlyDigits(before);
    // Backspace over a separator: drop the digit before it instead.
    if (!inserting && event.inputType === 'deleteContentBackward' &&
        digits === lastDigits && digitsBeforeCaret > 0 && ELEMENT === 'CARD_NUMBER') {
      digits = digits.slice(0, digitsBeforeCaret - 1) + digits.slice(digitsBeforeCaret);
      digitsBeforeCaret -= 1;
    }
    var formatted = ELEMENT === 'CARD_NUMBER' ? formatNumber(digits) : formatDate(digits, inserting);
    var atEnd = caret >= before.length;
    input.value = formatted;
    lastDigits = onlyDigits(formatted);
    var position = atEnd ? formatted.length : caretAfterDigits(formatted, digitsBeforeCaret);
    if (document.activeElement === input) {
      input.setSelectionRange(position, position);
    }
  }

  function onInput(event) {
    forcedError = null;
    if (ELEMENT === 'CARD_NUMBER' || ELEMENT === 'CARD_DATE') {
      reformat(event);
      if (ELEMENT === 'CARD_NUMBER' && currentBrand() !== announcedBrand) {
        announceBrand();
      }
    } else if (ELEMENT === 'CARD_CVV') {
      input.value = onlyDigits(input.value).slice(0, cvvLength());
    }
    refresh('change');
  }

  function cvvLength() {
    var brand = brandByName(siblingBrand);
    return brand ? brand.cvv : 4;
  }

  function rawValue() {
    if (ELEMENT === 'CARD_POSTAL_CODE' || ELEMENT === 'CARD_NAME') {
      return input.value.trim();
    }
    return onlyDigits(input.value);
  }

  /* ---- Tokenizing (done by the CARD_NUMBER field only) ---- */

  var collecting = {};

  function collect(requestId, wanted) {
    return new Promise(function (resolve) {
      var job = {values: {}, wanted: wanted, resolve: resolve, timer: null};
      if (!wanted.length) {
        resolve({});
        return;
      }
      job.timer = window.setTimeout(function () {
        delete collecting[requestId];
        resolve(job.values);
      }, COLLECT_TIMEOUT_MS);
      collecting[requestId] = job;
      channel.postMessage({type: 'collect', requestId: requestId, fields: wanted});
    });
  }

  function onCollected(message) {
    var job = collecting[message.requestId];
    if (!job || job.wanted.indexOf(message.element) < 0) {
      return;
    }
    job.values[message.element] = String(message.value || '');
    if (Object.keys(job.values).length === job.wanted.length) {
      window.clearTimeout(job.timer);
      delete collecting[message.requestId];
      job.resolve(job.values);
    }
  }

  function validateAll(values, fields) {
    var errors = {};
    var brand = detectBrand(values.CARD_NUMBER);
    var checks = {
      CARD_NUMBER: function (v) { return numberError(v, true); },
      CARD_DATE: function (v) { return dateError(v, true); },
      CARD_CVV: function (v) { return cvvError(v, brand ? brand.name : '', true); },
      CARD_POSTAL_CODE: function (v) { return postalError(v, true); },
      CARD_NAME: function (v) { return nameError(v); }
    };
    fields.forEach(function (type) {
      if (!checks[type]) {
        return;
      }
      if (!(type in values)) {
        errors[type] = MESSAGES.noAnswer;
        return;
      }
      var error = checks[type](values[type]);
      if (error) {
        errors[type] = error;
      }
    });
    return errors;
  }

  var PARAM_TO_FIELD = {
    number: 'CARD_NUMBER', brand: 'CARD_NUMBER', exp_month: 'CARD_DATE', exp_year: 'CARD_DATE',
    cvv: 'CARD_CVV', address_zip: 'CARD_POSTAL_CODE', name: 'CARD_NAME'
  };
  var CODE_TO_FIELD = {
    invalid_number: 'CARD_NUMBER', incorrect_number: 'CARD_NUMBER',
    invalid_card_type: 'CARD_NUMBER', invalid_expiry_month: 'CARD_DATE',
    invalid_expiry_year: 'CARD_DATE', expired_card: 'CARD_DATE',
    invalid_cvc: 'CARD_CVV', incorrect_cvc: 'CARD_CVV'
  };

  /* Turn the tokenizer's error envelope into {errors, error} for the page. */
  function errorsFromResponse(status, body) {
    var error = body && typeof body.error === 'object' && body.error ? body.error : null;
    var errors = {};
    if (!error) {
      var text = body && body.message ? String(body.message) : 'HTTP ' + status;
      errors.REQUEST = status === 401
        ? 'The apiAccessKey was refused (' + text + ').'
        : 'The tokenizer answered ' + text + '.';
      return {errors: errors};
    }
    var field = CODE_TO_FIELD[error.code] || PARAM_TO_FIELD[error.param] || 'REQUEST';
    errors[field] = String(error.message || error.code || 'Card data was refused.');
    var summary = {};
    ['type', 'code', 'message', 'param'].forEach(function (key) {
      if (error[key] !== undefined && error[key] !== null) {
        summary[key] = String(error[key]);
      }
    });
    return {errors: errors, error: summary};
  }

  function requestToken(values, multipay) {
    var digits = values.CARD_NUMBER;
    var expiry = parseExpiry(values.CARD_DATE);
    var card = {
      number: digits,
      exp_month: ('0' + expiry.month).slice(-2),
      exp_year: String(expiry.year),
      cvv: values.CARD_CVV,
      brand: detectBrand(digits).name
    };
    if (values.CARD_POSTAL_CODE) {
      card.address_zip = values.CARD_POSTAL_CODE;
    }
    if (values.CARD_NAME) {
      card.name = values.CARD_NAME;
    }
    return window.fetch(TOKENS_URL, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', apikey: API_KEY},
      body: JSON.stringify(multipay ? {card: card, multipay: true} : {card: card}),
      // Cookies only to this field's own origin: the sandbox sets none, and behind a
      // Jupyter server's proxy the login cookie must go along or the proxy refuses.
      credentials: 'same-origin',
      cache: 'no-store'
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (response.ok && body && typeof body.id === 'string') {
          var summary = {};
          var returned = body.card || {};
          ['first6', 'last4', 'brand', 'exp_month', 'exp_year'].forEach(function (key) {
            if (returned[key] !== undefined) {
              summary[key] = String(returned[key]);
            }
          });
          return {token: body.id, card: summary};
        }
        return errorsFromResponse(response.status, body);
      });
    }, function () {
      return {errors: {REQUEST: 'Could not reach the tokenizer.'}};
    });
  }

  function showErrors(errors) {
    channel.postMessage({type: 'showErrors', errors: errors});
    applyErrors(errors);
  }

  function applyErrors(errors) {
    touched = true;
    forcedError = errors[ELEMENT] || null;
    refresh('change');
  }

  function tokenize(requestId, fields, multipay) {
    var wanted = fields.filter(function (type) {
      return type !== 'CARD_NUMBER' && FIELDS[type];
    });
    collect(requestId, wanted).then(function (values) {
      values.CARD_NUMBER = rawValue();
      var errors = validateAll(values, ['CARD_NUMBER'].concat(wanted));
      if (Object.keys(errors).length) {
        showErrors(errors);
        return {errors: errors};
      }
      return requestToken(values, multipay).then(function (result) {
        if (result.errors) {
          showErrors(result.errors);
        }
        return result;
      });
    }).then(function (result) {
      postToParent('tokenResult', {requestId: requestId, result: result});
    });
  }

  /* ---- Wiring ---- */

  channel.onmessage = function (event) {
    var message = event.data || {};
    switch (message.type) {
      case 'brand':
        if (ELEMENT === 'CARD_CVV') {
          siblingBrand = typeof message.brand === 'string' ? message.brand : '';
          input.value = onlyDigits(input.value).slice(0, cvvLength());
          refresh('change');
        }
        break;
      case 'hello':
        announceBrand();
        break;
      case 'collect':
        // The number field gathers the others; it never hands its own number out.
        if (ELEMENT !== 'CARD_NUMBER' && Array.isArray(message.fields) &&
            message.fields.indexOf(ELEMENT) >= 0) {
          channel.postMessage({
            type: 'value', requestId: message.requestId, element: ELEMENT, value: rawValue()
          });
        }
        break;
      case 'value':
        if (ELEMENT === 'CARD_NUMBER') {
          onCollected(message);
        }
        break;
      case 'showErrors':
        if (message.errors && typeof message.errors === 'object') {
          applyErrors(message.errors);
        }
        break;
      default:
        break;
    }
  };

  /* Only the embedding page, from the origin it was given, may command this field. */
  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== PARENT_ORIGIN) {
      return;
    }
    var data = event.data;
    if (!data || data.ns !== NS || data.instance !== INSTANCE) {
      return;
    }
    switch (data.type) {
      case 'configure':
        applyStyles(data.styles);
        reportSize();
        break;
      case 'focus':
        input.focus();
        break;
      case 'clear':
        input.value = '';
        lastDigits = '';
        touched = false;
        forcedError = null;
        if (ELEMENT === 'CARD_NUMBER') {
          announceBrand();
        }
        refresh('change');
        break;
      case 'tokenize':
        if (ELEMENT === 'CARD_NUMBER' && typeof data.requestId === 'string' &&
            Array.isArray(data.fields)) {
          tokenize(data.requestId, data.fields, data.multipay === true);
        }
        break;
      default:
        break;
    }
  });

  /* ---- Merchant styles: a small allow-list, applied through the CSSOM ---- */

  var STYLE_SELECTORS = [
    'body', 'input', 'input:focus', 'input:hover', 'input::placeholder', 'input.invalid', '.brand'
  ];
  var STYLE_PROPERTIES = [
    'color', 'background', 'background-color', 'caret-color', 'opacity',
    'font', 'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant',
    'letter-spacing', 'line-height', 'text-align', 'text-transform', 'text-decoration',
    'text-shadow', 'height', 'width', 'min-height',
    'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
    'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
    'border', 'border-color', 'border-width', 'border-style', 'border-radius',
    'border-top', 'border-right', 'border-bottom', 'border-left',
    'outline', 'box-shadow', 'transition'
  ];
  var UNSAFE_VALUE = /url\s*\(|image-set|expression\s*\(|javascript:|[;{}<>\\@]/i;
  var FIELD_CSS_NAMES = Object.keys(FIELDS).map(function (type) { return FIELDS[type].css; });

  function toKebab(name) {
    return String(name).replace(/[A-Z]/g, function (c) { return '-' + c.toLowerCase(); });
  }

  /* 'card-number input' applies to the CARD_NUMBER field only, like Clover's keys. */
  function localSelector(selector) {
    var text = String(selector).trim().replace(/\s+/g, ' ');
    var space = text.indexOf(' ');
    if (space > 0 && FIELD_CSS_NAMES.indexOf(text.slice(0, space)) >= 0) {
      if (text.slice(0, space) !== spec.css) {
        return null;
      }
      text = text.slice(space + 1);
    }
    return STYLE_SELECTORS.indexOf(text) >= 0 ? text : null;
  }

  function applyStyles(styles) {
    if (!styles || typeof styles !== 'object') {
      return;
    }
    var sheet = document.getElementById('merchant-styles').sheet;
    Object.keys(styles).forEach(function (key) {
      var selector = localSelector(key);
      var declarations = styles[key];
      if (!selector || !declarations || typeof declarations !== 'object') {
        return;
      }
      var index;
      try {
        index = sheet.insertRule(selector + ' {}', sheet.cssRules.length);
      } catch (err) {
        return;
      }
      var rule = sheet.cssRules[index];
      Object.keys(declarations).forEach(function (name) {
        var property = toKebab(name);
        var value = declarations[name];
        if (STYLE_PROPERTIES.indexOf(property) < 0) {
          return;
        }
        if (typeof value !== 'string' && typeof value !== 'number') {
          return;
        }
        value = String(value);
        if (UNSAFE_VALUE.test(value)) {
          return;
        }
        rule.style.setProperty(property, value);
      });
    });
  }

  function reportSize() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height > 0) {
      postToParent('resize', {height: height});
    }
  }

  buildField();
  input.addEventListener('input', onInput);
  input.addEventListener('focus', function () {
    refresh('focus');
  });
  input.addEventListener('blur', function () {
    touched = true;
    refresh('blur');
  });
  if (window.ResizeObserver) {
    new window.ResizeObserver(reportSize).observe(document.body);
  }
  if (ELEMENT === 'CARD_CVV') {
    channel.postMessage({type: 'hello'});
  }
  postToParent('ready');
})();
