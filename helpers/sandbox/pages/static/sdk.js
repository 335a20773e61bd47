/*
 * Local sandbox stand-in for Clover's iframe SDK (the browser side of the
 * Ecommerce "iframe + API" flow).
 *
 *   const clover = new Clover(apiAccessKey, {merchantId, locale});
 *   const elements = clover.elements();
 *   const number = elements.create('CARD_NUMBER', styles).mount('#card-number');
 *   number.addEventListener('change', (state) => { ... state.CARD_NUMBER.error ... });
 *   const result = await clover.createToken();   // {token, card} or {errors}
 *   const saved = await clover.createToken(true);  // a multi-pay token, for a card on file
 *
 *   // The wallet button (Apple Pay, Google Pay): dev: clover-iframe-features-apple-pay,
 *   // https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay and
 *   // https://docs.clover.com/dev/docs/clover-iframe-features-google-pay
 *   const button = elements.create('PAYMENT_REQUEST_BUTTON', {paymentReqData: {
 *     total: {label: 'Demo total', amount: 1099}, options: {button: {buttonType: 'short'}}}});
 *   button.mount('#payment-request-button');
 *   button.addEventListener('paymentMethod', (result) => { ... result.token ... });
 *
 *   // ACH (TeleCheck) bank account form: dev: iframe-customize-ach-elements-with-css,
 *   // https://docs.clover.com/dev/docs/iframe-customize-ach-elements-with-css
 *   elements.create('ACH_ELEMENTS', styles).mount('#ach-form');
 *   const ach = await clover.createToken();   // {token, ach} or {errors}
 *
 * Local choices where Clover's pages are silent: no real wallet can answer the local
 * sandbox, so the button shows a "no wallet available" state and emits a `change` event
 * with PAYMENT_REQUEST_BUTTON {available: false}; only with ?wallet=test on the merchant
 * page (local-only) does it offer a test wallet, whose token comes in the `paymentMethod`
 * event. A bad paymentReqData is refused at create(), named field by field, in the console.
 *
 * Pages written against Clover (docs: using-the-clover-hosted-iframe,
 * https://docs.clover.com/docs/using-the-clover-hosted-iframe) work unchanged: create() for
 * a type already created returns that element (a page may do it to add listeners), and
 * mount() again, after a re-render replaced the container, loads the field where it now is.
 *
 * Every field is an <iframe> of widget.html served from the same origin as this
 * script. The merchant page never sees card data: it only sends commands to the
 * iframes and receives field states and the finished token, by postMessage.
 *
 * Plain ES2019, no dependencies, no build step.
 */
(function () {
  'use strict';

  var NS = 'clover-sandbox';
  var PROTOCOL_VERSION = 1;
  var CARD_TYPES = ['CARD_NUMBER', 'CARD_DATE', 'CARD_CVV', 'CARD_POSTAL_CODE', 'CARD_NAME'];
  var ELEMENT_TYPES = CARD_TYPES.concat(['PAYMENT_REQUEST_BUTTON', 'ACH_ELEMENTS']);
  // Each element's iframe page; card fields share widget.html.
  var FRAME_PAGES = {PAYMENT_REQUEST_BUTTON: 'wallet.html', ACH_ELEMENTS: 'ach.html'};
  var FRAME_HEIGHTS = {PAYMENT_REQUEST_BUTTON: 48, ACH_ELEMENTS: 640};
  var BUTTON_TYPES = ['long', 'short'];
  var MAX_WALLET_AMOUNT = 99999999;
  var REQUIRED_FOR_TOKEN = {
    CARD_NUMBER: 'Card number is required.',
    CARD_DATE: 'Card expiry date is required.',
    CARD_CVV: 'Card CVV is required.'
  };
  var EVENT_TYPES = ['change', 'blur', 'focus', 'paymentMethod'];
  var READY_TIMEOUT_MS = 10000;
  var TOKEN_TIMEOUT_MS = 20000;

  /*
   * Where this script was loaded from decides where the iframes and the token
   * endpoint live. Use the script's own URL (not the page's site root), so the
   * SDK also works behind a path prefix such as /user/x/proxy/8765/.
   */
  function findSdkBase() {
    var script = document.currentScript;
    if (!script || !script.src) {
      var candidates = document.querySelectorAll('script[src]');
      for (var i = candidates.length - 1; i >= 0; i--) {
        if (/\/sdk\.js(\?|#|$)/.test(candidates[i].src)) {
          script = candidates[i];
          break;
        }
      }
    }
    if (!script || !script.src) {
      throw new Error('Clover SDK: cannot tell where sdk.js was loaded from.');
    }
    return new URL('.', script.src).href;
  }

  var SDK_BASE = findSdkBase();
  var SDK_ORIGIN = new URL(SDK_BASE).origin;

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }

  function resolveTarget(target) {
    if (typeof target === 'string') {
      var found = document.querySelector(target);
      if (!found) {
        throw new Error('Clover SDK: no element matches ' + target);
      }
      return found;
    }
    if (target && target.nodeType === 1) {
      return target;
    }
    throw new Error('Clover SDK: mount() needs a CSS selector or a DOM element.');
  }

  function copyStates(states) {
    var out = {};
    Object.keys(states).forEach(function (type) {
      out[type] = Object.assign({}, states[type]);
    });
    return out;
  }

  /*
   * paymentReqData, checked as the tokenizer checks it (helpers/sandbox/resources/wallet):
   * the first problem, naming its field, or '' when it is fine. Clover's pages require
   * total.amount in cents; the rest are the local sandbox's rules.
   */
  function paymentReqDataProblem(data) {
    var isObject = function (v) { return v !== null && typeof v === 'object' && !Array.isArray(v); };
    var unknown = function (obj, allowed, where) {
      var extra = Object.keys(obj).filter(function (k) { return allowed.indexOf(k) < 0; });
      return extra.length ? where + '.' + extra[0] + ' is not a paymentReqData field (allowed: ' +
        allowed.join(', ') + ').' : '';
    };
    if (!isObject(data)) {
      return 'paymentReqData is required: {total: {label, amount}} with amount in cents.';
    }
    var problem = unknown(data, ['total', 'options'], 'paymentReqData');
    if (problem) { return problem; }
    if (!isObject(data.total)) {
      return 'paymentReqData.total is required: {label, amount} with amount in cents.';
    }
    problem = unknown(data.total, ['label', 'amount'], 'paymentReqData.total');
    if (problem) { return problem; }
    var label = data.total.label;
    if (typeof label !== 'string' || !label.trim() || label.length > 100) {
      return 'paymentReqData.total.label must name what the shopper pays for (1 to 100 ' +
        "characters), e.g. 'Demo total'.";
    }
    var amount = data.total.amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1 ||
        amount > MAX_WALLET_AMOUNT) {
      return 'paymentReqData.total.amount must be a whole number of cents from 1 to ' +
        MAX_WALLET_AMOUNT + ', e.g. 1099 for $10.99; got ' + JSON.stringify(amount) + '.';
    }
    if (data.options !== undefined) {
      if (!isObject(data.options)) { return 'paymentReqData.options must be an object.'; }
      problem = unknown(data.options, ['button'], 'paymentReqData.options');
      if (problem) { return problem; }
      var button = data.options.button;
      if (button !== undefined) {
        if (!isObject(button)) { return 'paymentReqData.options.button must be an object.'; }
        problem = unknown(button, ['buttonType'], 'paymentReqData.options.button');
        if (problem) { return problem; }
        if (button.buttonType !== undefined && BUTTON_TYPES.indexOf(button.buttonType) < 0) {
          return "paymentReqData.options.button.buttonType must be 'long' or 'short'.";
        }
      }
    }
    return '';
  }

  /* One field: owns its iframe and the listeners the merchant page adds. */
  function CloverElement(clover, type, styles, paymentReqData) {
    this._clover = clover;
    this.type = type;
    // Plain data only: styles cross into the iframe by postMessage.
    this._styles = styles ? JSON.parse(JSON.stringify(styles)) : {};
    this._paymentReqData = paymentReqData ? JSON.parse(JSON.stringify(paymentReqData)) : null;
    this._iframe = null;
    this._listeners = {};
    EVENT_TYPES.forEach(function (event) { this._listeners[event] = []; }, this);
    this._ready = false;
    this._expectReady();
  }

  /* Each mount loads a new iframe, which must say it is ready again. */
  CloverElement.prototype._expectReady = function () {
    var self = this;
    this._readyPromise = new Promise(function (resolve) {
      self._markReady = resolve;
    });
  };

  /*
   * Mounting again works, as on Clover: into the same live container it changes nothing;
   * after the page replaced the container (a re-render), or into another one, the field's
   * old iframe goes and a new one loads where the page now wants it.
   */
  CloverElement.prototype.mount = function (target) {
    var container = resolveTarget(target);
    if (this._iframe) {
      if (this._iframe.isConnected && this._iframe.parentNode === container) {
        return this;
      }
      this.unmount();
    }
    var params = new URLSearchParams({
      element: this.type,
      apiKey: this._clover._apiAccessKey,
      merchantId: this._clover._merchantId,
      locale: this._clover._locale,
      instance: this._clover._instance,
      parentOrigin: window.location.origin
    });
    // Local-only: ?wallet=test on the merchant page offers the sandbox's test wallet.
    if (this.type === 'PAYMENT_REQUEST_BUTTON' &&
        new URLSearchParams(window.location.search).get('wallet') === 'test') {
      params.set('wallet', 'test');
    }
    var iframe = document.createElement('iframe');
    iframe.src = SDK_BASE + (FRAME_PAGES[this.type] || 'widget.html') + '?' + params.toString();
    iframe.title = 'Secure card field: ' + this.type.toLowerCase().replace(/_/g, ' ');
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('scrolling', 'no');
    iframe.setAttribute('allowtransparency', 'true');
    iframe.setAttribute('data-clover-element', this.type);
    iframe.style.cssText = 'border:0;width:100%;height:' + (FRAME_HEIGHTS[this.type] || 44) +
      'px;display:block;overflow:hidden;';
    container.appendChild(iframe);
    this._iframe = iframe;
    // Every mounted field is in each event's state from the start, untouched until used.
    this._clover._states[this.type] = {touched: false};
    return this;
  };

  CloverElement.prototype.unmount = function () {
    if (this._iframe && this._iframe.parentNode) {
      this._iframe.parentNode.removeChild(this._iframe);
    }
    this._iframe = null;
    this._ready = false;
    this._expectReady();  // a later mount loads a new iframe, which must say it is ready
    delete this._clover._states[this.type];
    return this;
  };

  CloverElement.prototype.destroy = function () {
    this.unmount();
    delete this._clover._elements[this.type];
  };

  CloverElement.prototype.addEventListener = function (event, callback) {
    if (EVENT_TYPES.indexOf(event) < 0) {
      throw new Error('Clover SDK: unknown event ' + event + ' (use ' + EVENT_TYPES.join(', ') +
        ').');
    }
    if (typeof callback === 'function') {
      this._listeners[event].push(callback);
    }
    return this;
  };

  CloverElement.prototype.removeEventListener = function (event, callback) {
    var list = this._listeners[event] || [];
    var at = list.indexOf(callback);
    if (at >= 0) {
      list.splice(at, 1);
    }
    return this;
  };

  CloverElement.prototype.focus = function () {
    this._send({type: 'focus'});
  };

  CloverElement.prototype.clear = function () {
    this._send({type: 'clear'});
  };

  CloverElement.prototype._window = function () {
    return this._iframe ? this._iframe.contentWindow : null;
  };

  /* Commands go only to the SDK origin: a navigated-away iframe gets nothing. */
  CloverElement.prototype._send = function (message) {
    var target = this._window();
    if (!target) {
      return false;
    }
    target.postMessage(Object.assign({
      ns: NS, v: PROTOCOL_VERSION, instance: this._clover._instance
    }, message), SDK_ORIGIN);
    return true;
  };

  /* Field events carry every field's state; paymentMethod carries the wallet's result. */
  CloverElement.prototype._emit = function (event, payload) {
    var snapshot = payload !== undefined ? payload : copyStates(this._clover._states);
    this._listeners[event].forEach(function (callback) {
      try {
        callback(snapshot);
      } catch (err) {
        window.setTimeout(function () { throw err; });
      }
    });
  };

  /* elements(): the factory for fields of one Clover instance. */
  function Elements(clover) {
    this._clover = clover;
  }

  /*
   * create(type, styles) for fields; create('PAYMENT_REQUEST_BUTTON', {paymentReqData}) for
   * the wallet button, whose paymentReqData is checked here and refused with its field named.
   */
  Elements.prototype.create = function (type, styles) {
    if (ELEMENT_TYPES.indexOf(type) < 0) {
      throw new Error('Clover SDK: unknown element type ' + type +
        ' (use one of ' + ELEMENT_TYPES.join(', ') + ').');
    }
    var existing = this._clover._elements[type];
    if (existing && type !== 'PAYMENT_REQUEST_BUTTON') {
      // A page may create a type again (to reach it and add listeners): it gets the same
      // element, as on Clover, so one field keeps one iframe and every listener hears it.
      return existing;
    }
    var paymentReqData = null;
    if (type === 'PAYMENT_REQUEST_BUTTON') {
      paymentReqData = styles ? styles.paymentReqData : undefined;
      var problem = paymentReqDataProblem(paymentReqData);
      if (problem) {
        window.console.error('Clover SDK: ' + problem);
        throw new Error('Clover SDK: ' + problem);
      }
      styles = null;  // the button keeps its wallet's look
    }
    if (existing) {  // the wallet button again: its new paymentReqData, the same element
      existing._paymentReqData = JSON.parse(JSON.stringify(paymentReqData));
      return existing;
    }
    var element = new CloverElement(this._clover, type, styles, paymentReqData);
    this._clover._elements[type] = element;
    return element;
  };

  Elements.prototype.getElement = function (type) {
    return this._clover._elements[type] || null;
  };

  function Clover(apiAccessKey, options) {
    if (!(this instanceof Clover)) {
      return new Clover(apiAccessKey, options);
    }
    if (!apiAccessKey || typeof apiAccessKey !== 'string') {
      throw new Error('Clover SDK: the apiAccessKey (PAKMS key) is required.');
    }
    options = options || {};
    this._apiAccessKey = apiAccessKey;
    this._merchantId = options.merchantId ? String(options.merchantId) : '';
    this._locale = options.locale ? String(options.locale) : 'en';
    this._instance = randomId();
    this._elements = {};
    this._states = {};
    this._pending = {};
    this._onMessage = this._onMessage.bind(this);
    window.addEventListener('message', this._onMessage);
  }

  Clover.sdkBase = SDK_BASE;
  Clover.sdkOrigin = SDK_ORIGIN;

  Clover.prototype.elements = function () {
    return new Elements(this);
  };

  /*
   * The page side trusts a message only when it comes from the SDK origin, names
   * this instance, and was sent by the very iframe of the element it speaks for.
   */
  Clover.prototype._onMessage = function (event) {
    if (event.origin !== SDK_ORIGIN) {
      return;
    }
    var data = event.data;
    if (!data || data.ns !== NS || data.instance !== this._instance) {
      return;
    }
    var element = this._elements[data.element];
    if (!element || !element._iframe || event.source !== element._window()) {
      return;
    }
    switch (data.type) {
      case 'ready':
        element._ready = true;
        element._send({
          type: 'configure', styles: element._styles, paymentReqData: element._paymentReqData
        });
        element._markReady();
        break;
      case 'resize':
        if (typeof data.height === 'number' && data.height > 0 && data.height < 2000) {
          element._iframe.style.height = Math.ceil(data.height) + 'px';
        }
        break;
      case 'change':
      case 'blur':
      case 'focus':
        if (data.state && typeof data.state === 'object') {
          this._states[element.type] = data.state;
        }
        element._emit(data.type);
        break;
      case 'tokenResult':
        this._settle(data.requestId, data.result);
        break;
      case 'paymentMethod':
        if (element.type === 'PAYMENT_REQUEST_BUTTON' && data.result &&
            typeof data.result === 'object') {
          element._emit('paymentMethod', data.result);
        }
        break;
      default:
        break;
    }
  };

  Clover.prototype._settle = function (requestId, result) {
    var pending = this._pending[requestId];
    if (!pending) {
      return;
    }
    delete this._pending[requestId];
    window.clearTimeout(pending.timer);
    pending.resolve(result && typeof result === 'object' ? result : {
      errors: {REQUEST: 'The card fields gave no answer.'}
    });
  };

  function waitFor(promise, ms) {
    return Promise.race([promise, new Promise(function (resolve) {
      window.setTimeout(function () { resolve(false); }, ms);
    })]);
  }

  /*
   * Ask the CARD_NUMBER iframe to gather the other fields (they share one origin),
   * validate them and call /v1/tokens. Resolves {token, card} or {errors}.
   * createToken(true) asks for a multi-pay token, which can be charged more than once.
   * With ACH_ELEMENTS mounted and no card number, the ACH form makes an ACH token instead:
   * {token, ach} or {errors}.
   */
  Clover.prototype.createToken = function (multipay) {
    // A second press while a token is on its way gets the same answer, not a second token.
    if (this._inFlight) {
      return this._inFlight;
    }
    var self = this;
    var done = function (result) {
      self._inFlight = null;
      return result;
    };
    this._inFlight = this._requestToken(multipay).then(done, function (error) {
      done(null);
      throw error;
    });
    return this._inFlight;
  };

  Clover.prototype._requestToken = function (multipay) {
    var self = this;
    var mounted = Object.keys(this._elements).filter(function (type) {
      return self._elements[type]._iframe && CARD_TYPES.indexOf(type) >= 0;
    });
    var ach = this._elements.ACH_ELEMENTS;
    if (ach && ach._iframe && mounted.indexOf('CARD_NUMBER') < 0) {
      return this._askFrame(ach, ['ACH_ELEMENTS'], false);
    }
    var missing = {};
    Object.keys(REQUIRED_FOR_TOKEN).forEach(function (type) {
      if (mounted.indexOf(type) < 0) {
        missing[type] = REQUIRED_FOR_TOKEN[type];
      }
    });
    if (Object.keys(missing).length) {
      return Promise.resolve({errors: missing});
    }
    return this._askFrame(this._elements.CARD_NUMBER, mounted, multipay === true);
  };

  /* Wait for the fields' iframes, then ask `element`'s iframe for a token. */
  Clover.prototype._askFrame = function (element, mounted, multipay) {
    var self = this;
    var allReady = Promise.all(mounted.map(function (type) {
      return self._elements[type]._readyPromise.then(function () { return true; });
    }));
    return waitFor(allReady, READY_TIMEOUT_MS).then(function (ready) {
      if (!ready) {
        return {errors: {REQUEST: 'The card fields did not load.'}};
      }
      return new Promise(function (resolve) {
        var requestId = randomId();
        self._pending[requestId] = {
          resolve: resolve,
          timer: window.setTimeout(function () {
            self._settle(requestId, {errors: {REQUEST: 'Creating the token timed out.'}});
          }, TOKEN_TIMEOUT_MS)
        };
        var sent = element._send({
          type: 'tokenize', requestId: requestId, fields: mounted, multipay: multipay
        });
        if (!sent) {
          var errors = {};
          errors[element.type] = element.type === 'CARD_NUMBER'
            ? REQUIRED_FOR_TOKEN.CARD_NUMBER : 'The ' + element.type + ' form is not mounted.';
          self._settle(requestId, {errors: errors});
        }
      });
    });
  };

  /* Remove every field and stop listening (for pages that re-render). */
  Clover.prototype.destroy = function () {
    var self = this;
    Object.keys(this._elements).forEach(function (type) {
      self._elements[type].unmount();
    });
    this._elements = {};
    window.removeEventListener('message', this._onMessage);
  };

  window.Clover = Clover;
})();
