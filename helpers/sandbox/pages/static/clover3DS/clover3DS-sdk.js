/*
 * Local sandbox stand-in for Clover's 3-D Secure script, served at the path Clover uses
 * (/clover3DS/clover3DS-sdk.js; dev: configure-3d-secure-sdk-with-iframe-and-api-integration,
 * https://docs.clover.com/dev/docs/configure-3d-secure-sdk-with-iframe-and-api-integration).
 *
 *   window._3DSUtil = new Clover3DS({merchantUuid: 'PNWDC0FFEE001'});
 *   const info = window._3DSUtil.getBrowserInfo();   // threeds.browser_info, less browser_ip
 *   document.addEventListener('executePatch', (event) => { ... event.detail ... });
 *   window._3DSUtil.perform3DSChallenge(charge.threeds.data);  // when CHALLENGE_REQUIRED
 *
 * The challenge is the sandbox's page in a frame over the merchant's page; when the
 * shopper answers, the frame closes and `executePatch` fires with
 * {type: 'challenge', status: 'succeeded'|'failed', transaction_id, charge}. The merchant's
 * server then reads the charge (GET /v1/charges/{id}) for the outcome: the browser's word
 * is a hint, never proof. The names getBrowserInfo and executePatch are Clover's; the
 * shape of perform3DSChallenge and of the event's detail are the local sandbox's choice.
 *
 * Plain ES2019, no dependencies, no build step.
 */
(function () {
  'use strict';

  function scriptBase() {
    var script = document.currentScript;
    if (!script || !script.src) {
      var all = document.querySelectorAll('script[src]');
      for (var i = all.length - 1; i >= 0; i--) {
        if (/clover3DS-sdk\.js(\?|#|$)/.test(all[i].src)) {
          script = all[i];
          break;
        }
      }
    }
    if (!script || !script.src) {
      throw new Error('Clover 3DS: cannot tell where clover3DS-sdk.js was loaded from.');
    }
    return new URL('.', script.src).href;  // .../clover3DS/
  }

  var BASE = scriptBase();
  var ORIGIN = new URL(BASE).origin;
  var TRANSACTION = /^[0-9A-Z]{13}$/;

  function Clover3DS(options) {
    if (!options || typeof options.merchantUuid !== 'string' || !options.merchantUuid) {
      throw new Error('Clover3DS: pass {merchantUuid: "<13-character merchant id>"}.');
    }
    this.merchantUuid = options.merchantUuid;
    this.frame = null;
    this.overlay = null;
    this._onMessage = this._onMessage.bind(this);
  }

  Clover3DS.prototype.getBrowserInfo = function () {
    var offset = new Date().getTimezoneOffset();
    return {
      browser_accept_header: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      browser_javascript_enabled: true,
      browser_java_enabled: false,
      browser_language: navigator.language || 'en-US',
      browser_screen_height: String(window.screen.height),
      browser_screen_width: String(window.screen.width),
      browser_color_depth: String(window.screen.colorDepth),
      browser_tz: String(offset),
      browser_user_agent: navigator.userAgent,
      browser_http_origin: window.location.origin
    };
  };

  Clover3DS.prototype.perform3DSChallenge = function (data) {
    var id = data && data.transaction_id;
    if (typeof id !== 'string' || !TRANSACTION.test(id)) {
      throw new Error('Clover3DS: pass charge.threeds.data (it has transaction_id).');
    }
    this.close();
    var overlay = document.createElement('div');
    overlay.id = 'clover-3ds-overlay';
    overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.45);' +
      'display:flex;align-items:center;justify-content:center;z-index:2147483647';
    var frame = document.createElement('iframe');
    frame.id = 'clover-3ds-challenge';
    frame.title = '3-D Secure verification';
    frame.style.cssText = 'width:420px;max-width:95vw;height:460px;border:0;' +
      'border-radius:10px;background:#fff';
    frame.src = BASE + 'challenge/' + encodeURIComponent(id);
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
    this.frame = frame;
    this.overlay = overlay;
    window.addEventListener('message', this._onMessage);
  };

  Clover3DS.prototype._onMessage = function (event) {
    if (!this.frame || event.origin !== ORIGIN || event.source !== this.frame.contentWindow) {
      return;
    }
    var message = event.data || {};
    if (message.clover3ds !== 'challenge-complete') {
      return;
    }
    this.close();
    document.dispatchEvent(new CustomEvent('executePatch', {
      detail: {
        type: 'challenge',
        status: message.status,
        transaction_id: message.transaction_id,
        charge: message.charge
      }
    }));
  };

  Clover3DS.prototype.close = function () {
    window.removeEventListener('message', this._onMessage);
    if (this.overlay && this.overlay.parentNode) {
      this.overlay.parentNode.removeChild(this.overlay);
    }
    this.frame = null;
    this.overlay = null;
  };

  window.Clover3DS = Clover3DS;
})();
