/* The captive portal page (docs/hotspot-portal.md).
 *
 * It reads the login parameters the NAS put in this page's URL, asks for a voucher code or a
 * username and password, and completes the login against the NAS the way its vendor documents:
 *   MikroTik      POST username, password (hex MD5(chap-id + password + chap-challenge) with
 *                 CHAP, else the password) and dst to link-login-only (RouterOS hotspot
 *                 login.html);
 *   CoovaChilli   GET http://uamip:uamport/logon?username=&response=&userurl= (UAM, CHAP:
 *                 response = hex MD5(0x00 + password + challenge));
 *   Omada         POST authType=2 and the client's parameters to
 *                 scheme://target:targetPort/portal/radius/browserauth (External Web Portal
 *                 with External RADIUS Server, Omada Controller 4.1.5 and later);
 *   Meraki        POST username, password, success_url to login_url (sign-on splash, EXCAP),
 *                 or GET base_grant_url?continue_url= (click-through);
 *   Ruijie        POST the credentials and eportalv2's parameters to the portal server's relay
 *                 (config.json ruijie_login_url): eportal v2 hands credentials to the NAS over
 *                 its portal protocol, which a browser cannot speak.
 * URL parameters of the page itself: voucher= fills the code (the printed voucher's QR code),
 * autologin=1 submits it, lang= picks a language, vendor= names the vendor when detection
 * cannot.
 */
(function () {
  'use strict';

  var query = new URLSearchParams(window.location.search);
  function param(name) { var v = query.get(name); return v === null ? '' : v; }
  function has(name) { return param(name) !== ''; }

  var el = function (id) { return document.getElementById(id); };
  var strings = {};
  var config = { languages: ['en'], default_language: 'en', voucher_qr_accepts_terms: false,
                 ruijie_login_url: '' };
  var mode = 'voucher';

  // ---------------------------------------------------------------- translations

  function t(key, values) {
    var text = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
    if (values) {
      Object.keys(values).forEach(function (k) { text = text.split('{' + k + '}').join(values[k]); });
    }
    return text;
  }

  /** The first of the browser's languages (navigator.languages, then lang=) with a
   * translation; a region falls back to its language (de-AT -> de). */
  function chooseLanguage() {
    var wanted = [];
    if (has('lang')) wanted.push(param('lang'));
    (navigator.languages && navigator.languages.length ? navigator.languages
                                                       : [navigator.language || '']).forEach(
      function (l) { wanted.push(l); });
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i]).toLowerCase();
      var base = tag.split('-')[0];
      if (config.languages.indexOf(tag) >= 0) return tag;
      if (config.languages.indexOf(base) >= 0) return base;
    }
    return config.default_language;
  }

  function applyTranslations(lang) {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach(function (node) {
      var key = node.getAttribute('data-i18n');
      if (Object.prototype.hasOwnProperty.call(strings, key)) node.textContent = strings[key];
    });
    document.title = t('page_title');
  }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', cache: 'no-cache' }).then(function (r) {
      if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
      return r.json();
    });
  }

  // ---------------------------------------------------------------- messages

  function show(id, text) {
    var node = el(id);
    node.textContent = text;
    node.hidden = !text;
  }
  function showError(text) { show('error', text); el('portal').setAttribute('data-state', 'error'); }

  // ---------------------------------------------------------------- vendors

  /** MikroTik writes $(chap-id) and $(chap-challenge) as octal escapes (`\357`), which its own
   * login.html puts inside a JavaScript string literal; decode them the same way. */
  function decodeOctal(text) {
    return text.replace(/\\([0-7]{1,3}|\\|'|")/g, function (_, e) {
      return /^[0-7]+$/.test(e) ? String.fromCharCode(parseInt(e, 8) & 0xff) : e;
    });
  }

  function hexBytes(hex) {
    var out = [];
    for (var i = 0; i + 1 < hex.length; i += 2) out.push(parseInt(hex.substr(i, 2), 16));
    return out;
  }

  function isHttpUrl(text) {
    try {
      var u = new URL(text);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch (e) {
      return false;
    }
  }

  var hostPattern = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})$/;
  var portPattern = /^[0-9]{1,5}$/;

  /** Each vendor: how to detect it from the URL, what it must have (a list of problems, each
   * naming the parameter), and how to log in. */
  var vendors = {
    mikrotik: {
      name: 'MikroTik',
      detect: function () { return has('link-login-only') || has('link-login') || has('chap-id'); },
      problems: function () {
        var out = [];
        if (!has('link-login-only')) out.push(['link-login-only', 'missing']);
        else if (!isHttpUrl(param('link-login-only'))) out.push(['link-login-only', 'not_url']);
        if (has('chap-id') && !has('chap-challenge')) out.push(['chap-challenge', 'missing']);
        if (has('chap-challenge') && !has('chap-id')) out.push(['chap-id', 'missing']);
        return out;
      },
      login: function (username, password) {
        var secret = password;
        if (has('chap-id')) {
          var md5 = window.PortalMD5;
          var bytes = md5.binaryBytes(decodeOctal(param('chap-id')))
            .concat(md5.utf8Bytes(password))
            .concat(md5.binaryBytes(decodeOctal(param('chap-challenge'))));
          secret = md5.md5Hex(bytes);
        }
        post(param('link-login-only'), [['username', username], ['password', secret],
                                         ['dst', param('link-orig')], ['popup', 'true']]);
      },
      nasError: function () { return param('error'); }
    },
    chillispot: {
      name: 'CoovaChilli',
      detect: function () { return has('uamip') || has('uamport') || (has('challenge') && has('res')); },
      problems: function () {
        var out = [];
        if (!has('uamip')) out.push(['uamip', 'missing']);
        else if (!hostPattern.test(param('uamip'))) out.push(['uamip', 'bad_host']);
        if (!has('uamport')) out.push(['uamport', 'missing']);
        else if (!portPattern.test(param('uamport'))) out.push(['uamport', 'bad_port']);
        if (!has('challenge')) out.push(['challenge', 'missing']);
        else if (!/^[0-9a-fA-F]{32}$/.test(param('challenge'))) out.push(['challenge', 'bad_hex']);
        return out;
      },
      login: function (username, password) {
        var md5 = window.PortalMD5;
        // CHAP with identifier 0 (CoovaChilli UAM, as its hotspotlogin.cgi computes it).
        var response = md5.md5Hex([0].concat(md5.utf8Bytes(password), hexBytes(param('challenge'))));
        var url = 'http://' + param('uamip') + ':' + param('uamport') + '/logon?username=' +
                  encodeURIComponent(username) + '&response=' + response;
        if (has('userurl')) url += '&userurl=' + encodeURIComponent(param('userurl'));
        window.location.href = url;
      },
      nasError: function () {
        if (param('res') === 'failed') return param('reply') || 'failed';
        return '';
      }
    },
    omada: {
      name: 'Omada',
      detect: function () { return has('clientMac') || (has('target') && has('targetPort')); },
      problems: function () {
        var out = [];
        if (!has('clientMac')) out.push(['clientMac', 'missing']);
        if (!has('target')) out.push(['target', 'missing']);
        else if (!hostPattern.test(param('target'))) out.push(['target', 'bad_host']);
        if (has('targetPort') && !portPattern.test(param('targetPort'))) out.push(['targetPort', 'bad_port']);
        if (has('scheme') && ['http', 'https'].indexOf(param('scheme')) < 0) out.push(['scheme', 'bad_scheme']);
        return out;
      },
      login: function (username, password) {
        var scheme = param('scheme') || 'http';
        var port = param('targetPort') || (scheme === 'https' ? '8843' : '8088');
        var fields = [['authType', '2'], ['username', username], ['password', password]];
        ['clientMac', 'clientIp', 'apMac', 'gatewayMac', 'ssidName', 'radioId', 'vid'].forEach(
          function (k) { if (has(k)) fields.push([k, param(k)]); });
        var origin = param('originUrl') || param('redirectUrl');
        if (origin) fields.push(['originUrl', origin]);
        post(scheme + '://' + param('target') + ':' + port + '/portal/radius/browserauth', fields);
      },
      nasError: function () { return ''; }
    },
    meraki: {
      name: 'Meraki',
      detect: function () { return has('login_url') || has('base_grant_url') || has('node_mac'); },
      problems: function () {
        var out = [];
        if (!has('login_url') && !has('base_grant_url')) out.push(['login_url', 'missing']);
        else if (has('login_url') && !isHttpUrl(param('login_url'))) out.push(['login_url', 'not_url']);
        else if (!has('login_url') && !isHttpUrl(param('base_grant_url'))) out.push(['base_grant_url', 'not_url']);
        return out;
      },
      login: function (username, password) {
        var cont = param('continue_url') || param('user_continue_url');
        if (has('login_url')) {
          // Sign-on splash: Meraki sends the credentials to RADIUS.
          var fields = [['username', username], ['password', password]];
          if (cont) fields.push(['success_url', cont]);
          post(param('login_url'), fields);
        } else {
          // Click-through splash: the grant URL, then where the guest was going.
          var url = param('base_grant_url');
          if (cont) url += (url.indexOf('?') >= 0 ? '&' : '?') + 'continue_url=' + encodeURIComponent(cont);
          window.location.href = url;
        }
      },
      nasError: function () { return ''; }
    },
    ruijie: {
      name: 'Ruijie',
      detect: function () { return has('wlanuserip') || has('wlanacname') || has('nasip'); },
      problems: function () {
        var out = [];
        if (!has('wlanuserip')) out.push(['wlanuserip', 'missing']);
        if (!has('nasip')) out.push(['nasip', 'missing']);
        if (!isHttpUrl(config.ruijie_login_url || '')) out.push(['ruijie_login_url', 'not_configured']);
        return out;
      },
      login: function (username, password) {
        var fields = [['username', username], ['password', password]];
        ['wlanuserip', 'wlanacname', 'ssid', 'nasip', 'mac', 'usermac', 'url'].forEach(
          function (k) { if (has(k)) fields.push([k, param(k)]); });
        post(config.ruijie_login_url, fields);
      },
      nasError: function () { return ''; }
    }
  };

  function detectVendor() {
    if (has('vendor')) return vendors[param('vendor')] ? param('vendor') : '';
    var order = ['mikrotik', 'chillispot', 'omada', 'meraki', 'ruijie'];
    for (var i = 0; i < order.length; i++) if (vendors[order[i]].detect()) return order[i];
    return '';
  }

  /** A top-level form POST (application/x-www-form-urlencoded), as the vendors' own pages do. */
  function post(action, fields) {
    var form = el('nas-form');
    form.innerHTML = '';
    form.action = action;
    fields.forEach(function (f) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = f[0];
      input.value = f[1];
      form.appendChild(input);
    });
    form.submit();
  }

  // ---------------------------------------------------------------- the form

  function setMode(next) {
    mode = next;
    el('tab-voucher').setAttribute('aria-selected', String(next === 'voucher'));
    el('tab-account').setAttribute('aria-selected', String(next === 'account'));
    el('voucher-fields').hidden = next !== 'voucher';
    el('account-fields').hidden = next !== 'account';
  }

  function normaliseVoucher(text) { return text.replace(/\s+/g, '').toUpperCase(); }

  var vendorKey = '';
  var blocking = [];  // problems that stop a login

  function describeProblems(vendorName, problems) {
    return problems.map(function (p) {
      return t('error_param_' + p[1], { vendor: vendorName, param: p[0] });
    }).join(' ');
  }

  function submit() {
    show('error', '');
    if (!vendorKey) { showError(t('error_no_vendor')); return false; }
    if (blocking.length) { showError(describeProblems(vendors[vendorKey].name, blocking)); return false; }
    var username, password;
    if (mode === 'voucher') {
      var code = normaliseVoucher(el('voucher').value);
      el('voucher').value = code;
      if (!code) { showError(t('error_voucher_empty')); return false; }
      // A redeemed voucher is an account whose username and password are the code.
      username = code;
      password = code;
    } else {
      username = el('username').value.trim();
      password = el('password').value;
      if (!username || !password) { showError(t('error_account_empty')); return false; }
    }
    if (!el('terms-accept').checked) { showError(t('error_terms')); return false; }
    el('submit').disabled = true;
    show('status', t('status_connecting'));
    el('portal').setAttribute('data-state', 'submitting');
    vendors[vendorKey].login(username, password);
    return true;
  }

  // ---------------------------------------------------------------- plans

  function formatDuration(seconds) {
    var units = [['months', 2592000], ['days', 86400], ['hours', 3600], ['minutes', 60]];
    for (var i = 0; i < units.length; i++) {
      if (seconds >= units[i][1] && seconds % units[i][1] === 0)
        return t('unit_' + units[i][0], { n: String(seconds / units[i][1]) });
    }
    return t('unit_minutes', { n: String(Math.max(1, Math.round(seconds / 60))) });
  }
  function formatBytes(bytes) {
    if (bytes >= 1e9) return (bytes / 1e9).toLocaleString(document.documentElement.lang) + ' GB';
    return Math.round(bytes / 1e6).toLocaleString(document.documentElement.lang) + ' MB';
  }
  function formatPrice(plan) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang,
                                   { style: 'currency', currency: plan.currency })
        .format(plan.price_micros / 1e6);
    } catch (e) {
      return plan.price + ' ' + plan.currency;
    }
  }

  function renderPlans(body) {
    var list = el('plans');
    list.innerHTML = '';
    var plans = (body && body.plans) || [];
    el('plans-empty').hidden = plans.length > 0;
    plans.forEach(function (p) {
      var li = document.createElement('li');
      li.className = 'plan';
      li.setAttribute('data-plan-id', p.plan_id);
      var left = document.createElement('div');
      var name = document.createElement('div');
      name.className = 'plan-name';
      name.textContent = p.name;
      var limits = [];
      if (p.duration_seconds) limits.push(formatDuration(p.duration_seconds));
      if (p.data_limit_bytes) limits.push(formatBytes(p.data_limit_bytes));
      if (p.download_kbps) {
        limits.push(t('speed', { down: String(Math.round(p.download_kbps / 1000 * 10) / 10),
                                  up: String(Math.round((p.upload_kbps || p.download_kbps) / 1000 * 10) / 10) }));
      }
      if (p.shared_users > 1) limits.push(t('devices', { n: String(p.shared_users) }));
      var lim = document.createElement('div');
      lim.className = 'plan-limits';
      lim.textContent = limits.join(' · ');
      left.appendChild(name);
      left.appendChild(lim);
      var price = document.createElement('div');
      price.className = 'plan-price';
      price.textContent = p.price_micros ? formatPrice(p) : t('free');
      li.appendChild(left);
      li.appendChild(price);
      list.appendChild(li);
    });
  }

  // ---------------------------------------------------------------- start

  function start() {
    vendorKey = detectVendor();
    el('login').addEventListener('submit', function (e) { e.preventDefault(); submit(); });
    el('tab-voucher').addEventListener('click', function () { setMode('voucher'); });
    el('tab-account').addEventListener('click', function () { setMode('account'); });

    if (!vendorKey) {
      showError(has('vendor') ? t('error_unknown_vendor', { vendor: param('vendor') })
                              : t('error_no_vendor'));
    } else {
      var v = vendors[vendorKey];
      el('portal').setAttribute('data-vendor', vendorKey);
      blocking = v.problems();
      if (blocking.length) {
        showError(describeProblems(v.name, blocking));
        el('submit').disabled = true;
      }
      var nasError = v.nasError();
      if (nasError) show('nas-message', t('nas_refused', { reason: nasError }));
    }

    if (has('voucher')) {
      setMode('voucher');
      el('voucher').value = normaliseVoucher(param('voucher'));
    } else if (has('username')) {
      setMode('account');
      el('username').value = param('username');
    }
    if (el('portal').getAttribute('data-state') !== 'error') el('portal').setAttribute('data-state', 'ready');

    getJson('/portal/api/plans').then(renderPlans, function () { el('plans-section').hidden = true; });

    if (param('autologin') === '1' && has('voucher') && vendorKey && !blocking.length) {
      // The printed voucher says that using it accepts the terms (config.json
      // voucher_qr_accepts_terms); otherwise the guest ticks the box and the login follows.
      if (config.voucher_qr_accepts_terms) el('terms-accept').checked = true;
      if (el('terms-accept').checked) {
        submit();
      } else {
        show('status', t('error_terms'));
        el('terms-accept').addEventListener('change', function () {
          if (el('terms-accept').checked) submit();
        });
      }
    }
  }

  getJson('/portal/config.json')
    .then(function (c) { Object.keys(c).forEach(function (k) { config[k] = c[k]; }); }, function () {})
    .then(function () {
      var lang = chooseLanguage();
      return getJson('/portal/i18n/' + lang + '.json').then(function (s) {
        strings = s;
        applyTranslations(lang);
      }, function () {});
    })
    .then(start);
})();
