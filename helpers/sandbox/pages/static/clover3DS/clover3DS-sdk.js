/*
 * Local sandbox stand-in for Clover's 3-D Secure script, served at the path Clover uses
 * (/clover3DS/clover3DS-sdk.js). It follows https://docs.clover.com/docs/3ds-secure-configure-sdk
 * and https://docs.clover.com/dev/docs/configure-3d-secure-sdk-with-iframe-and-api-integration:
 *
 *   window._3DSUtil = new Clover3DS({merchantUuid: 'PNWDC0FFEE001'});
 *   document.addEventListener('executePatch', proceedFinalizeCall);
 *   const info = window._3DSUtil.getBrowserInfo();   // threeds.browser_info, less browser_ip
 *   // THREEDS_METHOD_FLOW_REQUIRED: the issuer's method URL in a hidden frame
 *   window._3DSUtil.perform3DSFingerPrinting({_3DSServerTransId, acsMethodUrl,
 *                                             methodNotificationUrl});
 *   // CHALLENGE_FLOW_REQUIRED: the issuer's challenge in a frame
 *   window._3DSUtil.perform3DSChallenge({messageVersion, acsTransID, acsUrl,
 *                                        threeDSServerTransID});
 *
 * Each flow ends with the `executePatch` event, its status in `event.detail._3DSStatus`,
 * which the page sends to its server for POST /v1/charges/finalize_payment as
 * `threeds.flow_status`. Clover's pages name these calls and that event; the kit's choices
 * (docs/choices.md, 3-D Secure): the status is EMV 3-D Secure's letter (`Y`, `N`, `U`),
 * the detail also carries `flow` ('method' or 'challenge') and `threeDSServerTransID`, a
 * method flow with no notification in 10 seconds ends with `N`, and
 * perform3DSFingerPrinting also takes the answer's own names (`threeds_server_transaction_id`,
 * `method_url`, `method_notification_url`).
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

  var ORIGIN = new URL(scriptBase()).origin;
  var METHOD_TIMEOUT_MS = 10000;

  function base64url(value) {
    return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function required(args, names, what) {
    for (var i = 0; i < names.length; i++) {
      var value = args && args[names[i]];
      if (typeof value === 'string' && value) {
        return value;
      }
    }
    throw new Error('Clover3DS: pass ' + what + ' (' + names.join(' or ') + ').');
  }

  function postInto(frame, url, fieldsToSend) {
    var form = document.createElement('form');
    form.method = 'POST';
    form.action = url;
    form.target = frame.name;
    form.style.display = 'none';
    Object.keys(fieldsToSend).forEach(function (name) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = fieldsToSend[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
    form.parentNode.removeChild(form);
  }

  function Clover3DS(options) {
    if (!options || typeof options.merchantUuid !== 'string' || !options.merchantUuid) {
      throw new Error('Clover3DS: pass {merchantUuid: "<13-character merchant id>"}.');
    }
    this.merchantUuid = options.merchantUuid;
    this.frame = null;
    this.overlay = null;
    this.flow = null;
    this.timer = null;
    this._onMessage = this._onMessage.bind(this);
  }

  Clover3DS.prototype.getBrowserInfo = function () {
    return {
      browser_accept_header: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      browser_javascript_enabled: true,
      browser_java_enabled: false,
      browser_language: navigator.language || 'en-US',
      browser_screen_height: String(window.screen.height),
      browser_screen_width: String(window.screen.width),
      browser_color_depth: String(window.screen.colorDepth),
      browser_tz: String(new Date().getTimezoneOffset()),
      browser_user_agent: navigator.userAgent,
      browser_http_origin: window.location.origin
    };
  };

  Clover3DS.prototype._frame = function (name) {
    var frame = document.createElement('iframe');
    frame.name = name + '-' + Date.now();
    frame.id = name;
    return frame;
  };

  Clover3DS.prototype.perform3DSFingerPrinting = function (args) {
    var serverId = required(args, ['_3DSServerTransId', 'threeDSServerTransID',
      'threeds_server_transaction_id'], 'the 3DS server transaction id');
    var methodUrl = required(args, ['acsMethodUrl', 'method_url'], "the issuer's method URL");
    var notifyUrl = required(args, ['methodNotificationUrl', 'method_notification_url'],
      'the method notification URL');
    this.close();
    var frame = this._frame('clover-3ds-method');
    frame.title = '3-D Secure method';
    frame.setAttribute('aria-hidden', 'true');
    frame.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
    document.body.appendChild(frame);
    this.frame = frame;
    this.flow = {name: 'method', serverId: serverId};
    window.addEventListener('message', this._onMessage);
    var self = this;
    this.timer = setTimeout(function () { self._finish('N'); }, METHOD_TIMEOUT_MS);
    postInto(frame, methodUrl, {
      threeDSMethodData: base64url({
        threeDSServerTransID: serverId,
        threeDSMethodNotificationURL: notifyUrl
      })
    });
  };

  Clover3DS.prototype.perform3DSChallenge = function (args) {
    var messageVersion = required(args, ['messageVersion'], 'messageVersion');
    var acsTransID = required(args, ['acsTransID'], 'acsTransID');
    var acsUrl = required(args, ['acsUrl'], 'acsUrl');
    var serverId = required(args, ['threeDSServerTransID'], 'threeDSServerTransID');
    this.close();
    var overlay = document.createElement('div');
    overlay.id = 'clover-3ds-overlay';
    overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.45);' +
      'display:flex;align-items:center;justify-content:center;z-index:2147483647';
    var frame = this._frame('clover-3ds-challenge');
    frame.title = '3-D Secure verification';
    frame.style.cssText = 'width:420px;max-width:95vw;height:460px;border:0;' +
      'border-radius:10px;background:#fff';
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
    this.frame = frame;
    this.overlay = overlay;
    this.flow = {name: 'challenge', serverId: serverId};
    window.addEventListener('message', this._onMessage);
    postInto(frame, acsUrl, {
      creq: base64url({
        threeDSServerTransID: serverId,
        acsTransID: acsTransID,
        messageVersion: messageVersion,
        messageType: 'CReq',
        challengeWindowSize: '05'
      })
    });
  };

  Clover3DS.prototype._onMessage = function (event) {
    if (!this.frame || !this.flow || event.origin !== ORIGIN ||
        event.source !== this.frame.contentWindow) {
      return;
    }
    var message = event.data || {};
    if (message.clover3ds !== this.flow.name + '-complete' ||
        message.threeDSServerTransID !== this.flow.serverId) {
      return;
    }
    this._finish(message.status === 'Y' ? 'Y' : (message.status === 'U' ? 'U' : 'N'));
  };

  Clover3DS.prototype._finish = function (status) {
    var flow = this.flow;
    this.close();
    if (!flow) {
      return;
    }
    document.dispatchEvent(new CustomEvent('executePatch', {
      detail: {_3DSStatus: status, flow: flow.name, threeDSServerTransID: flow.serverId}
    }));
  };

  Clover3DS.prototype.close = function () {
    window.removeEventListener('message', this._onMessage);
    if (this.timer) {
      clearTimeout(this.timer);
    }
    var node = this.overlay || this.frame;
    if (node && node.parentNode) {
      node.parentNode.removeChild(node);
    }
    this.frame = null;
    this.overlay = null;
    this.flow = null;
    this.timer = null;
  };

  window.Clover3DS = Clover3DS;
})();
