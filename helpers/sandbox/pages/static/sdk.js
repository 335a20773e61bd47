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
  var ELEMENT_TYPES = ['CARD_NUMBER', 'CARD_DATE', 'CARD_CVV', 'CARD_POSTAL_CODE', 'CARD_NAME'];
  var REQUIRED_FOR_TOKEN = {
    CARD_NUMBER: 'Card number is required.',
    CARD_DATE: 'Card expiry date is required.',
    CARD_CVV: 'Card CVV is required.'
  };
  var EVENT_TYPES = ['change', 'blur', 'focus'];
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

  /* One field: owns its iframe and the listeners the merchant page adds. */
  function CloverElement(clover, type, styles) {
    this._clover = clover;
    this.type = type;
    // Plain data only: styles cross into the iframe by postMessage.
    this._styles = styles ? JSON.parse(JSON.stringify(styles)) : {};
    this._iframe = null;
    this._listeners = {change: [], blur: [], focus: []};
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

  CloverElement.prototype.mount = function (target) {
    if (this._iframe) {
      throw new Error('Clover SDK: ' + this.type + ' is already mounted.');
    }
    var container = resolveTarget(target);
    var params = new URLSearchParams({
      element: this.type,
      apiKey: this._clover._apiAccessKey,
      merchantId: this._clover._merchantId,
      locale: this._clover._locale,
      instance: this._clover._instance,
      parentOrigin: window.location.origin
    });
    var iframe = document.createElement('iframe');
    iframe.src = SDK_BASE + 'widget.html?' + params.toString();
    iframe.title = 'Secure card field: ' + this.type.toLowerCase().replace(/_/g, ' ');
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('scrolling', 'no');
    iframe.setAttribute('allowtransparency', 'true');
    iframe.setAttribute('data-clover-element', this.type);
    iframe.style.cssText = 'border:0;width:100%;height:44px;display:block;overflow:hidden;';
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
      throw new Error('Clover SDK: unknown event ' + event + ' (use change, blur or focus).');
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

  CloverElement.prototype._emit = function (event) {
    var snapshot = copyStates(this._clover._states);
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

  Elements.prototype.create = function (type, styles) {
    if (ELEMENT_TYPES.indexOf(type) < 0) {
      throw new Error('Clover SDK: unknown element type ' + type +
        ' (use one of ' + ELEMENT_TYPES.join(', ') + ').');
    }
    if (this._clover._elements[type]) {
      throw new Error('Clover SDK: ' + type + ' was already created.');
    }
    var element = new CloverElement(this._clover, type, styles);
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
        element._send({type: 'configure', styles: element._styles});
        element._markReady();
        break;
      case 'resize':
        if (typeof data.height === 'number' && data.height > 0 && data.height < 400) {
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
      return self._elements[type]._iframe;
    });
    var missing = {};
    Object.keys(REQUIRED_FOR_TOKEN).forEach(function (type) {
      if (mounted.indexOf(type) < 0) {
        missing[type] = REQUIRED_FOR_TOKEN[type];
      }
    });
    if (Object.keys(missing).length) {
      return Promise.resolve({errors: missing});
    }
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
        var sent = self._elements.CARD_NUMBER._send({
          type: 'tokenize', requestId: requestId, fields: mounted, multipay: multipay === true
        });
        if (!sent) {
          self._settle(requestId, {errors: {CARD_NUMBER: REQUIRED_FOR_TOKEN.CARD_NUMBER}});
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
