// The gobware demo shop page. It talks to the shop's JSON API on the same
// origin in one of two ways:
//
//   - "cookie": the server sets an HttpOnly session cookie that this script
//     can neither read nor write; fetch sends it with credentials:'same-origin'.
//   - "jwt": the server hands out an access token and a refresh token. They
//     live in the variables below only (never localStorage, sessionStorage or
//     a cookie), the access token goes in an Authorization: Bearer header, is
//     refreshed before it expires and once more after a 401, and sign-out
//     revokes the refresh token.
//
// Every failure is shown in the page's live region, from the problem+json
// detail the server sends; nothing is written to the console.
'use strict';

(() => {
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  const when = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
  const clock = new Intl.DateTimeFormat('en-US', { timeStyle: 'short' });
  const strategyNames = { cookie: 'Session cookie', jwt: 'JWT (bearer token)' };
  const $ = (id) => document.getElementById(id);

  const state = {
    mode: null, // null when signed out, else 'cookie' or 'jwt'
    user: null, // {user_id, username, strategy, auth_time, roles} from /api/me
    products: [],
    cart: null,
    sessions: [],
    passkeys: [],
    admin: null, // admins only: {user, sessions} of the last user looked up
    // Token mode only. Memory is the whole storage.
    access: '',
    refresh: '',
    accessExpires: 0,
    refreshTimer: 0,
    refreshing: null,
    generation: 0, // bumped at every sign-in and sign-out, so late answers are dropped
  };

  // Problem is a failed request, with the server's problem+json detail.
  class Problem extends Error {
    constructor(status, code, detail) {
      super(detail);
      this.status = status;
      this.code = code;
    }
  }

  // el builds an element; text always goes in as text, never as HTML.
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === false || v == null) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  function say(text, kind) {
    const m = $('message');
    m.dataset.kind = kind || 'info';
    m.textContent = text;
  }

  // ---- HTTP -------------------------------------------------------------

  async function problemFrom(res) {
    let detail = '';
    let code = '';
    try {
      const p = await res.json();
      detail = p.detail || p.title || '';
      code = p.code || '';
    } catch {
      // not JSON: fall back to the status below
    }
    return new Problem(res.status, code, detail || `The shop answered with status ${res.status}.`);
  }

  // request sends one request. cookies: send the session cookie; bearer: an
  // access token. Non-2xx answers throw a Problem.
  async function request(method, path, body, opts) {
    const o = opts || {};
    const headers = { Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store', credentials: o.cookies ? 'same-origin' : 'omit' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (o.bearer) headers.Authorization = 'Bearer ' + o.bearer;
    let res;
    try {
      res = await fetch(path, init);
    } catch {
      throw new Problem(0, 'network', 'The shop cannot be reached. Check your connection and try again.');
    }
    if (!res.ok) throw await problemFrom(res);
    return res.status === 204 ? null : res.json();
  }

  // api calls an authenticated route as the signed-in person. In token mode a
  // 401 gets one refresh and one retry: the first try was refused, so
  // repeating it cannot do anything twice.
  async function api(method, path, body) {
    if (state.mode === 'cookie') return request(method, path, body, { cookies: true });
    if (state.mode === 'jwt') {
      try {
        return await request(method, path, body, { bearer: state.access });
      } catch (err) {
        if (err.status !== 401 || !state.refresh) throw err;
        await refreshTokens();
        return request(method, path, body, { bearer: state.access });
      }
    }
    throw new Problem(401, 'unauthenticated', 'Please sign in first.');
  }

  // ---- tokens -----------------------------------------------------------

  function keepTokens(t) {
    state.access = t.access_token;
    state.refresh = t.refresh_token;
    const seconds = Number(t.expires_in) || 60;
    state.accessExpires = Date.now() + seconds * 1000;
    clearTimeout(state.refreshTimer);
    // Renew a little before expiry: 30 s early, or at 80% of a short lifetime.
    const early = seconds > 60 ? (seconds - 30) * 1000 : seconds * 800;
    state.refreshTimer = setTimeout(() => act(async () => {
      await refreshTokens();
    }), early);
    renderTokenInfo();
  }

  // refreshTokens trades the refresh token for a new pair. Concurrent callers
  // share one exchange: a refresh token works once, and a second use would
  // revoke the whole family.
  function refreshTokens() {
    if (!state.refreshing) {
      const generation = state.generation;
      state.refreshing = request('POST', '/api/token/refresh', { refresh_token: state.refresh })
        .then((t) => {
          if (generation === state.generation) keepTokens(t);
        }, (err) => {
          if (err.status === 401) throw new Problem(401, err.code, 'Your sign-in has expired. Please sign in again.');
          throw err;
        })
        .finally(() => {
          state.refreshing = null;
        });
    }
    return state.refreshing;
  }

  // ---- actions ----------------------------------------------------------

  // act runs an action and shows its failure. A 401 while signed in means the
  // session or the tokens are gone: the page returns to the sign-in form.
  async function act(fn) {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof Problem)) {
        say('Something went wrong on this page. Please reload it.', 'error');
        return;
      }
      if (err.status === 401 && state.mode) {
        const what = state.mode === 'cookie' ? 'Your session has ended' : 'Your sign-in has expired';
        endLocally();
        say(`${what}. Please sign in again.`, 'error');
        return;
      }
      say(err.message, 'error');
    }
  }

  async function signIn(form) {
    const mode = form.elements.mode.value === 'jwt' ? 'jwt' : 'cookie';
    const creds = { username: form.elements.username.value.trim(), password: form.elements.password.value };
    const remember = form.elements.remember.checked;
    if (!creds.username || !creds.password) {
      say('Enter your username and password.', 'error');
      (creds.username ? form.elements.password : form.elements.username).focus();
      return;
    }
    const button = $('sign-in');
    button.disabled = true;
    try {
      if (mode === 'jwt') {
        const t = await request('POST', '/api/token', creds);
        state.generation++;
        state.mode = 'jwt';
        keepTokens(t);
      } else {
        await request('POST', '/api/session', { ...creds, remember }, { cookies: true });
        state.generation++;
        state.mode = 'cookie';
      }
    } catch (err) {
      if (err.status === 401) {
        form.elements.password.select();
        form.elements.password.focus();
        throw new Problem(401, err.code, 'Wrong username or password. Please try again.');
      }
      throw err;
    } finally {
      button.disabled = false;
    }
    form.elements.password.value = '';
    await loadAccount();
    say(`Welcome, ${state.user.username}. You are signed in with a ${mode === 'jwt' ? 'JWT (bearer token)' : 'session cookie'}.`);
    $('main').focus();
  }

  async function loadAccount() {
    state.user = await api('GET', '/api/me');
    state.cart = await api('GET', '/api/cart');
    state.sessions = state.mode === 'cookie' ? (await api('GET', '/api/sessions')).sessions : [];
    state.passkeys = (await api('GET', '/api/passkeys')).passkeys;
    render();
  }

  // ---- passkeys ---------------------------------------------------------
  //
  // The server's options are JSON with binary fields in base64url; the
  // browser's navigator.credentials API wants ArrayBuffers, and its answer
  // goes back as JSON the same way (what PublicKeyCredential.toJSON gives).

  function fromB64u(s) {
    const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0)).buffer;
  }

  function toB64u(buf) {
    let bin = '';
    for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  // refusal explains why the browser or the authenticator said no.
  function refusal(err, adding) {
    switch (err && err.name) {
      case 'NotAllowedError':
        return adding
          ? 'No passkey was added: the request was cancelled, timed out, or the authenticator refused.'
          : 'No passkey was used: the request was cancelled, timed out, or no passkey for this site was chosen.';
      case 'InvalidStateError':
        return 'This device already holds a passkey for your account.';
      case 'SecurityError':
        return 'Passkeys are not allowed at this address: the shop\'s passkey settings name another site.';
      case 'NotSupportedError':
        return 'This device cannot make the kind of passkey the shop asks for.';
      case 'AbortError':
        return 'The passkey request was cancelled.';
      default:
        return 'The browser could not use a passkey' + (err && err.message ? ': ' + err.message : '.');
    }
  }

  function credentialBody(cred, response) {
    return {
      id: cred.id,
      rawId: toB64u(cred.rawId),
      type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults(),
      response,
    };
  }

  function needPasskeySupport() {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      throw new Problem(0, 'webauthn', 'This browser does not support passkeys.');
    }
  }

  async function addPasskey() {
    needPasskeySupport();
    const options = (await api('POST', '/api/passkeys/register/options')).publicKey;
    options.challenge = fromB64u(options.challenge);
    options.user.id = fromB64u(options.user.id);
    for (const c of options.excludeCredentials || []) c.id = fromB64u(c.id);
    let cred;
    try {
      cred = await navigator.credentials.create({ publicKey: options });
    } catch (err) {
      throw new Problem(0, 'webauthn', refusal(err, true));
    }
    const r = cred.response;
    await api('POST', '/api/passkeys/register', credentialBody(cred, {
      clientDataJSON: toB64u(r.clientDataJSON),
      attestationObject: toB64u(r.attestationObject),
      transports: r.getTransports ? r.getTransports() : [],
    }));
    state.passkeys = (await api('GET', '/api/passkeys')).passkeys;
    renderPasskeys();
    say('Your passkey was added. Next time, sign in with it alone.');
  }

  async function signInWithPasskey() {
    needPasskeySupport();
    const options = (await request('POST', '/api/passkeys/login/options', undefined, { cookies: true })).publicKey;
    options.challenge = fromB64u(options.challenge);
    for (const c of options.allowCredentials || []) c.id = fromB64u(c.id);
    let cred;
    try {
      cred = await navigator.credentials.get({ publicKey: options });
    } catch (err) {
      throw new Problem(0, 'webauthn', refusal(err, false));
    }
    const r = cred.response;
    try {
      await request('POST', '/api/passkeys/login', credentialBody(cred, {
        clientDataJSON: toB64u(r.clientDataJSON),
        authenticatorData: toB64u(r.authenticatorData),
        signature: toB64u(r.signature),
        userHandle: r.userHandle ? toB64u(r.userHandle) : undefined,
      }), { cookies: true });
    } catch (err) {
      if (err.status === 401) throw new Problem(401, err.code, 'That passkey did not sign you in. ' + err.message);
      throw err;
    }
    state.generation++;
    state.mode = 'cookie';
    await loadAccount();
    say(`Welcome, ${state.user.username}. You signed in with a passkey.`);
    $('main').focus();
  }

  // ---- admin ------------------------------------------------------------

  function isAdmin() {
    return Boolean(state.user && (state.user.roles || []).includes('admin'));
  }

  function adminPath(userID) {
    return `/api/admin/users/${encodeURIComponent(userID)}/sessions`;
  }

  async function listUserSessions(form) {
    const userID = form.elements.user.value.trim();
    if (!userID) {
      say('Enter the ID of the user whose sessions you want to see.', 'error');
      form.elements.user.focus();
      return;
    }
    const { sessions } = await api('GET', adminPath(userID));
    state.admin = { user: userID, sessions };
    renderAdmin();
    say(`User ${userID} has ${sessions.length} ${sessions.length === 1 ? 'session' : 'sessions'}.`);
  }

  async function signUserOut() {
    const userID = state.admin.user;
    try {
      await api('DELETE', adminPath(userID));
    } catch (err) {
      if (err.code === 'reauthentication_required') {
        throw new Problem(err.status, err.code, 'Signing a user out needs a recent sign-in. Sign out, sign in again, and retry.');
      }
      throw err;
    }
    if (state.user && userID === state.user.user_id) {
      endLocally();
      say('You signed yourself out everywhere.');
      return;
    }
    state.admin = { user: userID, sessions: [] };
    renderAdmin();
    say(`User ${userID} is signed out everywhere.`);
  }

  async function renamePasskey(p, name) {
    name = name.trim();
    if (!name) {
      say('Give the passkey a name.', 'error');
      return;
    }
    const renamed = await api('PATCH', `/api/passkeys/${encodeURIComponent(p.id)}`, { name });
    state.passkeys = state.passkeys.map((q) => (q.id === p.id ? renamed : q));
    renderPasskeys();
    say(`Renamed the passkey to "${renamed.name}".`);
  }

  async function deletePasskey(p) {
    await api('DELETE', `/api/passkeys/${encodeURIComponent(p.id)}`);
    state.passkeys = state.passkeys.filter((q) => q.id !== p.id);
    renderPasskeys();
    say(`Deleted the passkey "${p.name}". It no longer signs you in.`);
  }

  async function signOut() {
    const mode = state.mode;
    try {
      if (mode === 'cookie') await request('DELETE', '/api/session', undefined, { cookies: true });
      if (mode === 'jwt') await request('POST', '/api/token/revoke', { refresh_token: state.refresh });
    } catch (err) {
      // 401: already signed out on the server, which is what was asked.
      if (err.status !== 401) {
        if (mode === 'jwt') endLocally();
        throw err;
      }
    }
    endLocally();
    say('You are signed out.');
  }

  async function signOutEverywhere() {
    await api('DELETE', '/api/sessions');
    endLocally();
    say('You are signed out on every device.');
  }

  // endLocally forgets the signed-in person and any tokens.
  function endLocally() {
    state.generation++;
    clearTimeout(state.refreshTimer);
    Object.assign(state, {
      mode: null, user: null, cart: null, sessions: [], passkeys: [], admin: null,
      access: '', refresh: '', accessExpires: 0, refreshTimer: 0,
    });
    render();
    $('username').focus();
  }

  function needSignIn() {
    say('Sign in to add items to your cart.', 'error');
    $('username').focus();
  }

  async function addItem(product) {
    if (!state.mode) return needSignIn();
    state.cart = await api('POST', '/api/cart/items', { sku: product.sku, quantity: 1 });
    renderCart();
    say(`Added ${product.name} to your cart.`);
  }

  async function setQuantity(item, input) {
    const raw = input.value.trim();
    if (raw === '') {
      renderCart();
      say('Enter a quantity from 0 to 99; 0 removes the item.', 'error');
      return;
    }
    const quantity = Number(raw);
    try {
      state.cart = await api('PUT', `/api/cart/items/${encodeURIComponent(item.sku)}`, { quantity });
    } finally {
      if (state.mode) renderCart(); // show what the server holds, also after a refusal
    }
    say(quantity === 0 ? `Removed ${item.name} from your cart.` : `${item.name}: quantity ${quantity}.`);
  }

  async function removeItem(item) {
    state.cart = await api('DELETE', `/api/cart/items/${encodeURIComponent(item.sku)}`);
    renderCart();
    say(`Removed ${item.name} from your cart.`);
  }

  async function clearCart() {
    state.cart = await api('DELETE', '/api/cart');
    renderCart();
    say('Your cart is empty.');
  }

  // ---- rendering --------------------------------------------------------

  function render() {
    const signedIn = Boolean(state.mode && state.user);
    document.body.dataset.state = signedIn ? state.mode : 'signed-out';
    $('signin').hidden = signedIn;
    $('who').hidden = !signedIn;
    $('cart').hidden = !signedIn;
    $('account').hidden = !signedIn;
    if (signedIn) {
      $('who-name').textContent = state.user.username;
      $('who-strategy').textContent = strategyNames[state.user.strategy] || state.user.strategy;
    }
    const roles = signedIn ? state.user.roles || [] : [];
    $('who-roles').hidden = roles.length === 0;
    $('who-roles').textContent = roles.length ? `(${roles.join(', ')})` : '';
    renderCart();
    renderSessions();
    renderPasskeys();
    renderAdmin();
    renderTokenInfo();
  }

  function renderAdmin() {
    $('admin-panel').hidden = !isAdmin();
    const a = state.admin;
    $('admin-result').hidden = !a;
    if (!a) return;
    $('admin-summary').textContent = a.sessions.length
      ? `Sessions of user ${a.user}:`
      : `User ${a.user} has no sessions (tokens may still be live).`;
    $('admin-sessions').replaceChildren(...a.sessions.map((s) => el('li', { 'data-session': s.id },
      el('p', { class: 'agent', text: describeAgent(s.user_agent) }),
      el('p', { class: 'times', text: `Signed in ${formatTime(s.created_at)} · last seen ${formatTime(s.last_seen_at)}` }),
    )));
  }

  function renderPasskeys() {
    $('passkeys-empty').hidden = state.passkeys.length > 0;
    $('passkeys').replaceChildren(...state.passkeys.map((p) => el('li', { 'data-passkey': p.id },
      el('p', { class: 'agent', text: p.name }),
      el('p', { class: 'times', text: `Added ${formatTime(p.created_at)} · ${p.last_used_at ? 'last used ' + formatTime(p.last_used_at) : 'never used'}` }),
      el('form', { class: 'rename', 'data-rename-passkey': p.id, onsubmit: (ev) => { ev.preventDefault(); act(() => renamePasskey(p, ev.target.elements.name.value)); } },
        el('label', { class: 'visually-hidden', for: 'passkey-name-' + p.id, text: 'New name of passkey ' + p.name }),
        el('input', { id: 'passkey-name-' + p.id, name: 'name', value: p.name, maxlength: 64, autocomplete: 'off' }),
        el('button', { type: 'submit', class: 'ghost' }, 'Rename', el('span', { class: 'visually-hidden', text: ' passkey ' + p.name }))),
      el('button', { type: 'button', class: 'link', 'data-delete-passkey': p.id, onclick: () => act(() => deletePasskey(p)) },
        'Delete', el('span', { class: 'visually-hidden', text: ' passkey ' + p.name })),
    )));
  }

  function renderProducts() {
    const list = $('product-list');
    list.replaceChildren(...state.products.map((p, i) => el('li', { class: 'product' },
      el('div', { class: `swatch hue-${i % 6}`, 'aria-hidden': 'true', text: initials(p.name) }),
      el('h3', { text: p.name }),
      el('p', { class: 'price', text: money.format(p.price_cents / 100) }),
      el('p', { class: 'sku', text: p.sku }),
      el('button', { type: 'button', class: 'primary', 'data-add': p.sku, onclick: () => act(() => addItem(p)) },
        'Add ', el('span', { class: 'visually-hidden', text: p.name + ' ' }), 'to cart'),
    )));
  }

  function initials(name) {
    const words = name.split(/\s+/).filter((w) => w && w.toLowerCase() !== 'gopher');
    return (words[0] || name).slice(0, 1).toUpperCase();
  }

  // renderCart redraws the cart and puts keyboard focus back where it was.
  function renderCart() {
    const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focus : undefined;
    const cart = state.cart;
    const items = cart ? cart.items : [];
    const count = cart ? cart.item_count : 0;
    $('cart-empty').hidden = items.length > 0;
    $('cart-table').hidden = items.length === 0;
    $('clear-cart').hidden = items.length === 0;
    $('cart-items').replaceChildren(...items.map((item) => {
      const qtyID = `qty-${item.sku}`;
      const input = el('input', {
        id: qtyID, type: 'number', inputmode: 'numeric', min: 0, max: 99, step: 1,
        value: item.quantity, 'data-focus': `qty:${item.sku}`,
      });
      input.addEventListener('change', () => act(() => setQuantity(item, input)));
      return el('tr', { 'data-sku': item.sku },
        el('th', { scope: 'row' }, item.name, el('small', { text: `${money.format(item.unit_price_cents / 100)} each` })),
        el('td', { class: 'qty' },
          el('label', { for: qtyID, class: 'visually-hidden', text: `Quantity of ${item.name}` }), input),
        el('td', { class: 'num line-total', text: money.format(item.line_total_cents / 100) }),
        el('td', { class: 'num' }, el('button', {
          type: 'button', class: 'link', 'data-focus': `remove:${item.sku}`, 'data-remove': item.sku,
          onclick: () => act(() => removeItem(item)),
        }, 'Remove', el('span', { class: 'visually-hidden', text: ' ' + item.name }))),
      );
    }));
    $('cart-count').textContent = `${count} ${count === 1 ? 'item' : 'items'}`;
    const total = money.format((cart ? cart.total_cents : 0) / 100);
    $('cart-total').textContent = total;
    $('cart-summary').textContent = `Cart: ${count} ${count === 1 ? 'item' : 'items'}, ${total}`;
    if (focusKey && !document.activeElement.isConnected) {
      const again = document.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`);
      (again || $('cart-title')).focus();
    }
  }

  function renderSessions() {
    $('sessions-panel').hidden = state.mode !== 'cookie';
    $('sessions').replaceChildren(...state.sessions.map((s) => el('li', { class: s.current ? 'current' : '' },
      el('p', { class: 'agent' }, describeAgent(s.user_agent), s.current ? el('span', { class: 'badge', text: 'This device' }) : null),
      el('p', { class: 'times', text: `Signed in ${formatTime(s.created_at)} · last seen ${formatTime(s.last_seen_at)}` }),
    )));
  }

  function renderTokenInfo() {
    $('token-panel').hidden = state.mode !== 'jwt';
    const t = $('token-expiry');
    if (state.accessExpires) {
      const d = new Date(state.accessExpires);
      t.dateTime = d.toISOString();
      t.textContent = clock.format(d);
    } else {
      t.textContent = '';
    }
  }

  function formatTime(s) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? 'at an unknown time' : when.format(d);
  }

  function describeAgent(ua) {
    if (!ua) return 'Unknown browser';
    const browser = /Edg\//.test(ua) ? 'Edge'
      : /HeadlessChrome\//.test(ua) ? 'Headless Chrome'
        : /(Chrome|Chromium)\//.test(ua) ? 'Chrome'
          : /Firefox\//.test(ua) ? 'Firefox'
            : /Safari\//.test(ua) ? 'Safari'
              : /^curl\//.test(ua) ? 'curl' : '';
    const os = /Android/.test(ua) ? 'Android'
      : /iPhone|iPad/.test(ua) ? 'iOS'
        : /Windows/.test(ua) ? 'Windows'
          : /Mac OS X/.test(ua) ? 'macOS'
            : /Linux/.test(ua) ? 'Linux' : '';
    if (browser && os) return `${browser} on ${os}`;
    return browser || os || ua.slice(0, 60);
  }

  // ---- start ------------------------------------------------------------

  $('signin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(() => signIn(ev.currentTarget));
  });
  $('sign-out').addEventListener('click', () => act(signOut));
  $('sign-out-everywhere').addEventListener('click', () => act(signOutEverywhere));
  $('clear-cart').addEventListener('click', () => act(clearCart));
  $('add-passkey').addEventListener('click', () => act(addPasskey));
  $('passkey-sign-in').addEventListener('click', () => act(signInWithPasskey));
  $('admin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(() => listUserSessions(ev.currentTarget));
  });
  $('admin-sign-out').addEventListener('click', () => act(signUserOut));

  async function start() {
    render();
    try {
      state.products = (await request('GET', '/api/products')).products;
      renderProducts();
    } catch (err) {
      say(err.message, 'error');
    }
    // A session cookie from an earlier visit signs the page in.
    try {
      const me = await request('GET', '/api/me', undefined, { cookies: true });
      if (me.strategy === 'cookie') {
        state.mode = 'cookie';
        await loadAccount();
      }
    } catch (err) {
      if (err.status !== 401) say(err.message, 'error');
      state.mode = null;
      render();
    }
    document.body.dataset.ready = 'true';
  }

  act(start);
})();
