'use strict';

// The PWA Kit client (pwa-kit/): the plain token function against a stubbed fetch, the React hook
// against stand-ins of React's hooks and commerce-sdk-react's public hooks, and both for real against
// a bridge in sandbox mode with SLAS tokens from the sandbox's simulated SLAS (BRIDGE_URL).

require('./support/pwaKitModules');
const { describe, test, beforeEach, afterEach, before, mock } = require('node:test');
const assert = require('node:assert/strict');

const { createOmneoTokenClient, exchangeAccessToken, OmneoBridgeError } = require('../pwa-kit/omneoToken');
const { useOmneoToken } = require('../pwa-kit/useOmneoToken');
const { renderHook } = require('./support/fakeReact');
const sdk = require('@salesforce/commerce-sdk-react');
const ssrConfig = require('@salesforce/pwa-kit-runtime/utils/ssr-config');

const BRIDGE = 'https://bridge.example.com';
const T0 = Date.parse('2026-11-30T10:00:00Z');

function loginBody(token, expiresAtMillis, extra) {
    return Object.assign({ token, expiry: new Date(expiresAtMillis).toISOString(), profile_id: 'p-1', customer_no: '00001001', guest: false }, extra);
}

// A fetch stub: answers from a queue (or a function), records every request.
function stubFetch(answers) {
    const requests = [];
    const pending = [];
    const fetch = async (url, init) => {
        requests.push({ url, init });
        const next = typeof answers === 'function' ? answers(requests.length) : answers.shift();
        if (next === 'hold') {
            return new Promise((resolve) => pending.push(resolve));
        }
        if (next instanceof Error) {
            throw next;
        }
        return next;
    };
    return { fetch, requests, release: (response) => pending.shift()(response) };
}

function ok(body) {
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
}

function problem(status, detail, headers) {
    return new Response(JSON.stringify({ type: 'about:blank', title: 'x', status, detail, trace_id: 'trace-1' }),
        { status, headers: Object.assign({ 'Content-Type': 'application/problem+json' }, headers) });
}

function clock(start) {
    const c = { now: start };
    c.read = () => c.now;
    return c;
}

const flush = async () => {
    for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setImmediate(resolve));
    }
};

describe('pwa-kit omneoToken (stubbed bridge)', () => {
    test('getToken_FirstCall_PostsTheSlasTokenAsBearerToLogin', async () => {
        const stub = stubFetch([ok(loginBody('omneo-1', T0 + 3600e3))]);
        const client = createOmneoTokenClient({ bridgeUrl: BRIDGE + '/', fetch: stub.fetch, now: clock(T0).read });

        const result = await client.getToken('slas-access-token');

        assert.equal(stub.requests.length, 1);
        const { url, init } = stub.requests[0];
        assert.equal(url, 'https://bridge.example.com/login');
        assert.equal(init.method, 'POST');
        assert.equal(init.headers.Authorization, 'Bearer slas-access-token');
        assert.equal(init.credentials, 'omit', 'the bridge takes no cookies');
        assert.equal(init.body, undefined);
        assert.deepEqual(result, { token: 'omneo-1', expiry: new Date(T0 + 3600e3).toISOString(), expiresAt: T0 + 3600e3,
            customerNo: '00001001', profileId: 'p-1', guest: false });
    });

    test('getToken_BeforeTheRefreshMargin_ReturnsTheCachedTokenWithoutACall', async () => {
        const c = clock(T0);
        const stub = stubFetch([ok(loginBody('omneo-1', T0 + 600e3))]);
        const client = createOmneoTokenClient({ bridgeUrl: BRIDGE, refreshMarginSeconds: 60, fetch: stub.fetch, now: c.read });
        await client.getToken('slas-1', { cacheKey: 'cust-1' });

        c.now = T0 + 540e3 - 1; // one millisecond before expiry - 60 s
        const again = await client.getToken('slas-1-refreshed', { cacheKey: 'cust-1' });

        assert.equal(again.token, 'omneo-1');
        assert.equal(stub.requests.length, 1, 'a refreshed SLAS token of the same shopper keeps the Omneo token');
        assert.equal(client.peek().token, 'omneo-1');
        assert.equal(client.msUntilRefresh(), 1);
    });

    test('getToken_InsideTheRefreshMargin_FetchesANewToken', async () => {
        const c = clock(T0);
        const stub = stubFetch([ok(loginBody('omneo-1', T0 + 600e3)), ok(loginBody('omneo-2', T0 + 1200e3))]);
        const client = createOmneoTokenClient({ bridgeUrl: BRIDGE, refreshMarginSeconds: 60, fetch: stub.fetch, now: c.read });
        await client.getToken('slas-1', { cacheKey: 'cust-1' });

        c.now = T0 + 540e3; // exactly expiry - 60 s
        assert.equal(client.peek(), null);
        assert.equal(client.msUntilRefresh(), 0);
        const refreshed = await client.getToken('slas-2', { cacheKey: 'cust-1' });

        assert.equal(refreshed.token, 'omneo-2');
        assert.equal(stub.requests.length, 2);
        assert.equal(stub.requests[1].init.headers.Authorization, 'Bearer slas-2', 'the refresh uses the current SLAS token');
    });

    test('getToken_ConcurrentCallers_ShareOneRequest', async () => {
        const stub = stubFetch(['hold']);
        const client = createOmneoTokenClient({ bridgeUrl: BRIDGE, fetch: stub.fetch, now: clock(T0).read });

        const calls = [client.getToken('slas-1', { cacheKey: 'c' }), client.getToken('slas-1', { cacheKey: 'c' }), client.getToken('slas-1', { cacheKey: 'c' })];
        await flush();
        assert.equal(stub.requests.length, 1);
        stub.release(ok(loginBody('omneo-1', T0 + 3600e3)));
        const results = await Promise.all(calls);

        assert.ok(results.every((r) => r.token === 'omneo-1'));
        assert.equal(stub.requests.length, 1);
    });

    test('getToken_AnotherShopper_NeverGetsTheCachedToken', async () => {
        const stub = stubFetch([ok(loginBody('omneo-alice', T0 + 3600e3)), ok(loginBody('omneo-bob', T0 + 3600e3, { customer_no: '00001002' }))]);
        const client = createOmneoTokenClient({ bridgeUrl: BRIDGE, fetch: stub.fetch, now: clock(T0).read });

        assert.equal((await client.getToken('slas-alice', { cacheKey: 'alice' })).token, 'omneo-alice');
        assert.equal((await client.getToken('slas-bob', { cacheKey: 'bob' })).token, 'omneo-bob');
        // Without a cacheKey the access token itself is the key.
        const other = stubFetch([ok(loginBody('a', T0 + 3600e3)), ok(loginBody('b', T0 + 3600e3))]);
        const byToken = createOmneoTokenClient({ bridgeUrl: BRIDGE, fetch: other.fetch, now: clock(T0).read });
        await byToken.getToken('slas-a');
        assert.equal((await byToken.getToken('slas-b')).token, 'b');
        assert.equal((await byToken.getToken('slas-b')).token, 'b');
        assert.equal(other.requests.length, 2);
    });

    test('clear_OnLogout_ForgetsTheToken', async () => {
        const stub = stubFetch([ok(loginBody('omneo-1', T0 + 3600e3)), ok(loginBody('omneo-2', T0 + 3600e3))]);
        const client = createOmneoTokenClient({ bridgeUrl: BRIDGE, fetch: stub.fetch, now: clock(T0).read });
        await client.getToken('slas-1', { cacheKey: 'c' });

        client.clear();

        assert.equal(client.peek(), null);
        assert.equal(client.msUntilRefresh(), null);
        assert.equal((await client.getToken('slas-1', { cacheKey: 'c' })).token, 'omneo-2');
        assert.equal(stub.requests.length, 2);
    });

    test('clear_WhileARequestIsInFlight_RejectsItAndCachesNothing', async () => {
        const stub = stubFetch(['hold']);
        const client = createOmneoTokenClient({ bridgeUrl: BRIDGE, fetch: stub.fetch, now: clock(T0).read });
        const pending = client.getToken('slas-1', { cacheKey: 'c' });
        await flush();

        client.clear();
        stub.release(ok(loginBody('omneo-late', T0 + 3600e3)));

        await assert.rejects(pending, (e) => e instanceof OmneoBridgeError && e.reason === 'cleared' && !e.message.includes('omneo-late'));
        assert.equal(client.peek(), null);
    });

    test('getToken_BridgeRefuses_RejectsWithTheProblemsStatus_AndCachesNothing', async () => {
        const stub = stubFetch([
            problem(401, 'The credentials or token are not valid.', { 'WWW-Authenticate': 'Bearer' }),
            problem(503, 'An upstream service is unavailable.', { 'Retry-After': '7' }),
            problem(429, 'Too many login attempts.', { 'Retry-After': '30' }),
            ok(loginBody('omneo-1', T0 + 3600e3))
        ]);
        const client = createOmneoTokenClient({ bridgeUrl: BRIDGE, fetch: stub.fetch, now: clock(T0).read });

        await assert.rejects(client.getToken('slas-bad'), (e) => {
            assert.ok(e instanceof OmneoBridgeError);
            assert.equal(e.status, 401);
            assert.equal(e.reason, 'invalid_token');
            assert.equal(e.detail, 'The credentials or token are not valid.');
            assert.equal(e.traceId, 'trace-1');
            assert.ok(!e.message.includes('slas-bad'), 'the access token never appears in an error');
            return true;
        });
        await assert.rejects(client.getToken('slas-1'), { status: 503, reason: 'upstream_unavailable', retryAfter: 7 });
        await assert.rejects(client.getToken('slas-1'), { status: 429, reason: 'rate_limited', retryAfter: 30 });
        assert.equal((await client.getToken('slas-1')).token, 'omneo-1', 'a failure is not cached: the next call asks again');
    });

    test('getToken_BridgeUnreachableOrBroken_RejectsWithStatusZeroOrInvalidResponse', async () => {
        const stub = stubFetch([new TypeError('fetch failed'), new Response('not json', { status: 200 }), new Response('<html>', { status: 502 })]);
        const client = createOmneoTokenClient({ bridgeUrl: BRIDGE, fetch: stub.fetch, now: clock(T0).read });

        await assert.rejects(client.getToken('slas-1'), { status: 0, reason: 'network' });
        await assert.rejects(client.getToken('slas-1'), { status: 200, reason: 'invalid_response' });
        await assert.rejects(client.getToken('slas-1'), { status: 502, reason: 'upstream_error', detail: null });
    });

    test('getToken_Timeout_RejectsWithReasonTimeout', async () => {
        const fetch = (url, init) => new Promise((resolve, reject) => {
            init.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
        });
        await assert.rejects(exchangeAccessToken(BRIDGE, 'slas-1', { fetch, timeoutMs: 20 }), { status: 0, reason: 'timeout' });
    });

    test('createAndExchange_WithoutBridgeUrlOrAccessToken_FailWithoutACall', async () => {
        assert.throws(() => createOmneoTokenClient({}), /bridgeUrl is required/);
        const stub = stubFetch([]);
        await assert.rejects(exchangeAccessToken(BRIDGE, null, { fetch: stub.fetch }), { status: 0, reason: 'no_access_token' });
        assert.equal(stub.requests.length, 0);
    });

    test('bridgeUrl_ProxyPath_IsUsedAsIs', async () => {
        const stub = stubFetch([ok(loginBody('omneo-1', T0 + 3600e3))]);
        await exchangeAccessToken('/mobify/proxy/omneo', 'slas-1', { fetch: stub.fetch });
        assert.equal(stub.requests[0].url, '/mobify/proxy/omneo/login');
    });
});

describe('pwa-kit useOmneoToken (stand-ins of React and commerce-sdk-react)', () => {
    let originalFetch;
    let stub;
    let bridgeCounter = 0;
    let bridgeUrl;

    beforeEach(() => {
        originalFetch = globalThis.fetch;
        sdk.testing.reset();
        // A new bridge URL per test: the hook shares one client per URL across the app.
        bridgeUrl = `https://bridge-${++bridgeCounter}.example.com`;
        ssrConfig.testing.set({ app: { omneoBridge: { url: bridgeUrl, refreshMarginSeconds: 60 } } });
    });

    afterEach(() => {
        globalThis.fetch = originalFetch;
        mock.timers.reset();
    });

    function useBridge(answers) {
        stub = stubFetch(answers);
        globalThis.fetch = stub.fetch;
    }

    test('registeredShopper_GetsTheTokenFromTheConfiguredBridge', async () => {
        useBridge([ok(loginBody('omneo-1', Date.now() + 3600e3))]);
        sdk.testing.signIn('slas-registered', 'cust-1');

        const view = renderHook(() => useOmneoToken());
        assert.equal(view.result.loading, true);
        await flush();

        assert.equal(view.result.token, 'omneo-1');
        assert.equal(view.result.customerNo, '00001001');
        assert.equal(view.result.error, null);
        assert.equal(stub.requests[0].url, bridgeUrl + '/login');
        assert.equal(stub.requests[0].init.headers.Authorization, 'Bearer slas-registered');
        view.unmount();
    });

    test('guestOrUnknownShopper_NoCall_UnlessGuestsAreIncluded', async () => {
        useBridge([ok(loginBody('omneo-guest', Date.now() + 3600e3, { guest: true, customer_no: null, profile_id: null }))]);
        sdk.testing.guest('slas-guest', 'guest-1');

        const view = renderHook(() => useOmneoToken());
        await flush();
        assert.equal(view.result.token, null);
        assert.equal(stub.requests.length, 0);
        view.unmount();

        const withGuests = renderHook(() => useOmneoToken({ includeGuests: true }));
        await flush();
        assert.equal(withGuests.result.token, 'omneo-guest');
        assert.equal(withGuests.result.guest, true);
        withGuests.unmount();
    });

    test('twoComponents_ShareOneRequest', async () => {
        useBridge([ok(loginBody('omneo-1', Date.now() + 3600e3))]);
        sdk.testing.signIn('slas-registered', 'cust-1');

        const header = renderHook(() => useOmneoToken());
        const account = renderHook(() => useOmneoToken());
        await flush();

        assert.equal(header.result.token, 'omneo-1');
        assert.equal(account.result.token, 'omneo-1');
        assert.equal(stub.requests.length, 1);
        header.unmount();
        account.unmount();
    });

    test('logout_ClearsTheTokenAndLogsOutThroughTheSdk', async () => {
        useBridge([ok(loginBody('omneo-1', Date.now() + 3600e3)), ok(loginBody('omneo-2', Date.now() + 3600e3))]);
        sdk.testing.signIn('slas-registered', 'cust-1');
        const view = renderHook(() => useOmneoToken());
        await flush();
        assert.equal(view.result.token, 'omneo-1');

        await view.result.logout();
        view.rerender(); // the SDK's state change re-renders the app
        await flush();

        assert.equal(sdk.testing.calls.logout, 1);
        assert.equal(view.result.token, null);
        assert.equal(stub.requests.length, 1, 'a guest after logout gets no token');

        // Signing in again asks the bridge again: nothing of the last session was kept.
        sdk.testing.signIn('slas-registered-2', 'cust-1');
        view.rerender();
        await flush();
        assert.equal(view.result.token, 'omneo-2');
        assert.equal(stub.requests.length, 2);
        view.unmount();
    });

    test('shopperStopsBeingRegistered_TheTokenIsCleared', async () => {
        useBridge([ok(loginBody('omneo-1', Date.now() + 3600e3))]);
        sdk.testing.signIn('slas-registered', 'cust-1');
        const view = renderHook(() => useOmneoToken());
        await flush();

        sdk.testing.reset(); // e.g. the SDK logged out elsewhere, or the session expired
        view.rerender();
        await flush();

        assert.equal(view.result.token, null);
        view.unmount();
    });

    test('tokenNearExpiry_TheHookFetchesANewOneBeforeItExpires', async () => {
        mock.timers.enable({ apis: ['setTimeout'] });
        const start = Date.now();
        useBridge([ok(loginBody('omneo-1', start + 600e3)), ok(loginBody('omneo-2', start + 1200e3))]);
        sdk.testing.signIn('slas-registered', 'cust-1');
        const view = renderHook(() => useOmneoToken());
        await flush();
        assert.equal(view.result.token, 'omneo-1');

        // The client's clock is the real one: move it past expiry - margin as the timer fires.
        const realNow = Date.now;
        Date.now = () => start + 541e3;
        try {
            mock.timers.tick(541e3);
            await flush();
        } finally {
            Date.now = realNow;
        }

        assert.equal(view.result.token, 'omneo-2');
        assert.equal(stub.requests.length, 2);
        view.unmount();
    });

    test('bridgeError_IsExposed_AndRetriedAfterRetryAfter', async () => {
        mock.timers.enable({ apis: ['setTimeout'] });
        useBridge([problem(503, 'An upstream service is unavailable.', { 'Retry-After': '5' }), ok(loginBody('omneo-1', Date.now() + 3600e3))]);
        sdk.testing.signIn('slas-registered', 'cust-1');
        const view = renderHook(() => useOmneoToken());
        await flush();

        assert.equal(view.result.token, null);
        assert.equal(view.result.error.status, 503);
        assert.equal(view.result.error.retryAfter, 5);

        mock.timers.tick(5000);
        await flush();
        assert.equal(view.result.token, 'omneo-1');
        assert.equal(view.result.error, null);
        view.unmount();
    });

    test('refresh_FetchesEvenWhileTheTokenIsFresh', async () => {
        useBridge([ok(loginBody('omneo-1', Date.now() + 3600e3)), ok(loginBody('omneo-2', Date.now() + 3600e3))]);
        sdk.testing.signIn('slas-registered', 'cust-1');
        const view = renderHook(() => useOmneoToken());
        await flush();

        view.result.refresh();
        await flush();

        assert.equal(view.result.token, 'omneo-2');
        view.unmount();
    });

    test('noBridgeUrlConfigured_AnErrorInTheState_NoCall_NoCrash', async () => {
        useBridge([]);
        ssrConfig.testing.set({ app: {} });
        sdk.testing.signIn('slas-registered', 'cust-1');

        const view = renderHook(() => useOmneoToken());
        await flush();

        assert.equal(view.result.token, null);
        assert.equal(view.result.error.reason, 'not_configured');
        assert.match(view.result.error.detail, /app\.omneoBridge\.url/);
        assert.equal(stub.requests.length, 0);
        view.unmount();
    });

    test('aComponentWithoutGuests_NeverVoidsTheGuestTokenOfOneWithGuests', async () => {
        useBridge([ok(loginBody('omneo-guest', Date.now() + 3600e3, { guest: true, customer_no: null, profile_id: null }))]);
        sdk.testing.guest('slas-guest', 'guest-1');

        const withGuests = renderHook(() => useOmneoToken({ includeGuests: true }));
        const registeredOnly = renderHook(() => useOmneoToken());
        await flush();

        assert.equal(withGuests.result.token, 'omneo-guest');
        assert.equal(registeredOnly.result.token, null);
        withGuests.unmount();
        registeredOnly.unmount();
    });
});

// ---- against the bridge in sandbox mode -------------------------------------------------------------

const SANDBOX_URL = (process.env.BRIDGE_URL || '').replace(/\/+$/, '');
const SKIP = SANDBOX_URL ? false
    : 'BRIDGE_URL is not set: start the bridge with `dotnet run --project src/OmneoSfccBridge.Sandbox` '
      + 'and run with BRIDGE_URL=http://127.0.0.1:5000 to include the sandbox tests';

// The sandbox's simulated SLAS (README, "a PWA Kit / Composable Storefront site holds a SLAS access token").
const SLAS_ORGANIZATION = 'f_ecom_zzzz_001';
const SLAS_CLIENT = 'sandbox-slas-client:sandbox-slas-secret';

describe('pwa-kit client against the sandbox bridge', { skip: SKIP }, () => {
    let sandbox;
    let slasAuthUrl;
    let channel;
    let shopper;

    before(async () => {
        const response = await fetch(`${SANDBOX_URL}/sandbox`);
        assert.equal(response.status, 200, `GET ${SANDBOX_URL}/sandbox answered ${response.status}: is the sandbox bridge (src/OmneoSfccBridge.Sandbox) running?`);
        sandbox = await response.json();
        const shopUrl = new URL(sandbox.sfcc_shop_url);
        channel = /\/s\/([^/]+)\//.exec(shopUrl.pathname)[1];
        slasAuthUrl = `${shopUrl.origin}/shopper/auth/v1/organizations/${SLAS_ORGANIZATION}/oauth2`;
        shopper = sandbox.demo_customers.find((c) => c.login === 'dave@example.com') || sandbox.demo_customers[0];
    });

    async function slasToken(trustedSystem, form) {
        const response = await fetch(`${slasAuthUrl}/${trustedSystem ? 'trusted-system/token' : 'token'}`, {
            method: 'POST',
            headers: { Authorization: 'Basic ' + Buffer.from(SLAS_CLIENT).toString('base64'), 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(Object.assign({ grant_type: 'client_credentials', channel_id: channel }, form)).toString()
        });
        assert.equal(response.status, 200, `the simulated SLAS answered ${response.status}`);
        return response.json();
    }

    // A registered shopper's SLAS access token, as PWA Kit holds it after login.
    function registeredSlas() {
        return slasToken(true, { hint: 'ts_ext_on_behalf_of', login_id: shopper.login, idp_origin: 'ecom' });
    }

    test('slasRegisteredShopper_GetsTheOmneoTokenOfThatCustomer_ThenFromTheCache', async () => {
        const slas = await registeredSlas();
        let calls = 0;
        const client = createOmneoTokenClient({ bridgeUrl: SANDBOX_URL, fetch: (...args) => { calls++; return fetch(...args); } });

        const result = await client.getToken(slas.access_token, { cacheKey: slas.customer_id });

        assert.ok(result.token.length > 0);
        assert.ok(result.expiresAt > Date.now(), `expiry ${result.expiry} is not in the future`);
        assert.equal(result.customerNo, shopper.customer_no);
        assert.equal(result.guest, false);
        assert.equal((await client.getToken(slas.access_token, { cacheKey: slas.customer_id })).token, result.token);
        assert.equal(calls, 1);
    });

    test('slasRegisteredShopper_NearExpiry_ClientAsksTheBridgeAgain', async () => {
        const slas = await registeredSlas();
        let calls = 0;
        let now = Date.now();
        const client = createOmneoTokenClient({ bridgeUrl: SANDBOX_URL, refreshMarginSeconds: 60, now: () => now,
            fetch: (...args) => { calls++; return fetch(...args); } });
        const first = await client.getToken(slas.access_token, { cacheKey: slas.customer_id });

        now = first.expiresAt - 60e3;
        const second = await client.getToken(slas.access_token, { cacheKey: slas.customer_id });

        assert.equal(calls, 2);
        assert.equal(second.customerNo, shopper.customer_no);
        assert.ok(second.token.length > 0);
    });

    test('slasGuest_GetsAnAnonymousToken', async () => {
        const slas = await slasToken(false, {});
        const result = await exchangeAccessToken(SANDBOX_URL, slas.access_token);
        assert.equal(result.guest, true);
        assert.equal(result.customerNo, null);
        assert.ok(result.token.length > 0);
    });

    test('tamperedSlasToken_RejectsWith401', async () => {
        const slas = await registeredSlas();
        const parts = slas.access_token.split('.');
        const tampered = `${parts[0]}.${parts[1]}.${parts[2].slice(0, -4)}AAAA`;
        await assert.rejects(exchangeAccessToken(SANDBOX_URL, tampered), (e) => {
            assert.equal(e.status, 401);
            assert.equal(e.reason, 'invalid_token');
            assert.equal(typeof e.traceId, 'string');
            assert.ok(!e.message.includes(tampered));
            return true;
        });
    });

    test('hook_WithTheSdksSlasToken_GetsTheShoppersOmneoToken', async () => {
        const slas = await registeredSlas();
        sdk.testing.signIn(slas.access_token, slas.customer_id);
        ssrConfig.testing.set({ app: { omneoBridge: { url: SANDBOX_URL } } });
        try {
            const view = renderHook(() => useOmneoToken());
            // Up to 15 s: a cold bridge fetches the SLAS JWKS and links the customer on this first call.
            for (let i = 0; i < 300 && !view.result.token && !view.result.error; i++) {
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            assert.equal(view.result.error, null);
            assert.equal(view.result.customerNo, shopper.customer_no);
            await view.result.logout();
            assert.equal(view.result.token, null);
            view.unmount();
        } finally {
            sdk.testing.reset();
        }
    });
});
