'use strict';

require('./dw/register');
const test = require('node:test');
const assert = require('node:assert/strict');

const Logger = require('dw/system/Logger');
const bridgeClient = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/client');
const tokenCache = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/tokenCache');

const NOW = Date.parse('2026-11-26T16:00:00Z');
const OMNEO_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJwaWQiOiIxMjMifQ.omneo-signature';
const SFCC_TOKEN = 'eyJfdiI6IjEiLCJhbGciOiJIUzI1NiJ9.eyJfdiI6IjEiLCJleHAiOjE3MDEwODU2OTd9.sfcc-signature';
const PASSWORD = 'Sup3r-Secret!';

const LOGIN_BODY = { token: OMNEO_TOKEN, expiry: '2026-11-26T16:30:00Z', profile_id: '123', customer_no: '00001001', guest: false };

// dw.svc.Result as SFCC returns it for a 2xx answer (parseResponse output in `object`).
function ok(status, body) {
    return { result: { ok: true, status: 'OK', error: 0, object: { status, text: JSON.stringify(body), retryAfter: null } } };
}

// dw.svc.Result for a non-2xx answer: status in `error`, body in `errorMessage`, headers on the client.
function httpError(status, body, headers) {
    return {
        result: { ok: false, status: 'ERROR', error: status, errorMessage: JSON.stringify(body), object: null },
        client: { statusCode: status, text: JSON.stringify(body), getResponseHeader: (name) => (headers || {})[name] || null }
    };
}

function problem(status, extra) {
    return Object.assign({ type: 'about:blank', title: 'T', status, detail: 'D' + status, trace_id: 'trace-' + status }, extra);
}

function fakeBridge(...answers) {
    const sent = [];
    return {
        sent,
        getService: () => ({
            client: null,
            call(request) {
                sent.push(request);
                const answer = answers.length > 1 ? answers.shift() : answers[0];
                this.client = answer.client || null;
                return answer.result;
            },
            getClient() {
                return this.client;
            }
        })
    };
}

function memoryStore() {
    const values = new Map();
    return { values, get: (k) => values.get(k), put: (k, v) => values.set(k, v), invalidate: (k) => values.delete(k) };
}

function clientFor(bridge, options) {
    const clock = { now: NOW };
    const store = memoryStore();
    const client = bridgeClient.createClient(Object.assign({
        getService: bridge.getService,
        now: () => clock.now,
        tokenCache: tokenCache.createTokenCache(store, () => clock.now)
    }, options));
    return { client, clock, store };
}

test.beforeEach(() => Logger.testing.clear());

test('buildBasicAuthorization_LoginAndPassword_IsBase64OfUtf8Pair', () => {
    assert.equal(bridgeClient.buildBasicAuthorization('alice@example.com', 'pässword'),
        'Basic ' + Buffer.from('alice@example.com:pässword', 'utf8').toString('base64'));
    assert.equal(bridgeClient.buildBasicAuthorization('a', 'b:c'), 'Basic YTpiOmM=');
});

test('login_Credentials_SendsBasicToLoginAndMapsTheAnswer', () => {
    const bridge = fakeBridge(ok(200, LOGIN_BODY));
    const { client } = clientFor(bridge);

    const result = client.login({ login: 'alice@example.com', password: PASSWORD });

    assert.deepEqual(result, { ok: true, token: OMNEO_TOKEN, expiry: '2026-11-26T16:30:00Z', profileId: '123', customerNo: '00001001', guest: false });
    assert.deepEqual(bridge.sent, [{
        path: '/login',
        headers: { Authorization: 'Basic ' + Buffer.from('alice@example.com:' + PASSWORD).toString('base64') },
        body: null
    }]);
});

test('login_Credentials_AlwaysReachesTheBridgeAndNeverStoresThePassword', () => {
    const bridge = fakeBridge(ok(200, LOGIN_BODY));
    const { client, store } = clientFor(bridge);

    client.login({ login: 'alice@example.com', password: PASSWORD });
    client.login({ login: 'alice@example.com', password: PASSWORD });

    assert.equal(bridge.sent.length, 2);
    assert.deepEqual([...store.values.keys()], ['customer:00001001']);
    assert.ok(!JSON.stringify([...store.values.values()]).includes(PASSWORD));
});

test('login_TokenTwiceWithinExpiry_SecondIsServedFromCache', () => {
    const bridge = fakeBridge(ok(200, LOGIN_BODY));
    const { client, clock, store } = clientFor(bridge);

    const first = client.login({ token: SFCC_TOKEN });
    clock.now = Date.parse('2026-11-26T16:28:30Z');
    const second = client.login({ token: SFCC_TOKEN });

    assert.equal(bridge.sent.length, 1);
    assert.deepEqual(bridge.sent[0].headers, { Authorization: 'Bearer ' + SFCC_TOKEN });
    assert.deepEqual(second, first);
    assert.ok(![...store.values.keys()].some((key) => key.includes(SFCC_TOKEN)));
});

test('login_TokenWithinLastMinuteOfExpiry_CallsTheBridgeAgain', () => {
    const renewed = Object.assign({}, LOGIN_BODY, { token: 'renewed', expiry: '2026-11-26T17:00:00Z' });
    const bridge = fakeBridge(ok(200, LOGIN_BODY), ok(200, renewed));
    const { client, clock } = clientFor(bridge);

    client.login({ token: SFCC_TOKEN });
    clock.now = Date.parse('2026-11-26T16:29:01Z');
    const result = client.login({ token: SFCC_TOKEN });

    assert.equal(bridge.sent.length, 2);
    assert.equal(result.token, 'renewed');
});

test('login_GuestToken_ReturnsGuestAndCachesOnlyUnderTheTokenHash', () => {
    const guestBody = { token: OMNEO_TOKEN, expiry: '2026-11-26T16:30:00Z', profile_id: null, customer_no: null, guest: true };
    const { client, store } = clientFor(fakeBridge(ok(200, guestBody)));

    const result = client.login({ token: SFCC_TOKEN });

    assert.deepEqual(result, { ok: true, token: OMNEO_TOKEN, expiry: '2026-11-26T16:30:00Z', profileId: null, customerNo: null, guest: true });
    assert.deepEqual([...store.values.keys()], [tokenCache.keyForSfccToken(SFCC_TOKEN)]);
});

test('getCachedToken_AfterCredentialsLogin_ReturnsTheTokenForThatCustomerOnly', () => {
    const { client } = clientFor(fakeBridge(ok(200, LOGIN_BODY)));
    client.login({ login: 'alice@example.com', password: PASSWORD });

    assert.equal(client.getCachedToken('00001001').token, OMNEO_TOKEN);
    assert.equal(client.getCachedToken('00001002'), null);
    assert.equal(client.getCachedToken(''), null);
});

test('login_WrongPassword_ReturnsInvalidCredentials', () => {
    const bridge = fakeBridge(httpError(401, problem(401), { 'WWW-Authenticate': 'Basic realm="omneo-bridge"' }));
    const { client } = clientFor(bridge);

    const result = client.login({ login: 'alice@example.com', password: 'wrong' });

    assert.deepEqual(result, { ok: false, status: 401, reason: 'invalid_credentials', retryAfter: null, errors: null, detail: 'D401', traceId: 'trace-401' });
});

test('login_Upstream503_ReturnsUnavailableWithRetryAfterFromTheHeader', () => {
    const { client } = clientFor(fakeBridge(httpError(503, problem(503), { 'Retry-After': '12' })));

    const result = client.login({ login: 'alice@example.com', password: PASSWORD });

    assert.equal(result.reason, 'upstream_unavailable');
    assert.equal(result.status, 503);
    assert.equal(result.retryAfter, 12);
});

test('login_ServiceTimeout_ReturnsUpstreamTimeoutWithStatusZero', () => {
    const timeout = { result: { ok: false, status: 'SERVICE_UNAVAILABLE', unavailableReason: 'TIMEOUT', error: 0 } };
    const result = clientFor(fakeBridge(timeout)).client.login({ token: SFCC_TOKEN });
    assert.equal(result.reason, 'upstream_timeout');
    assert.equal(result.status, 0);
});

test('login_CircuitBroken_ReturnsUpstreamUnavailable', () => {
    const broken = { result: { ok: false, status: 'SERVICE_UNAVAILABLE', unavailableReason: 'CIRCUIT_BROKEN', error: 0 } };
    const result = clientFor(fakeBridge(broken)).client.login({ token: SFCC_TOKEN });
    assert.equal(result.reason, 'upstream_unavailable');
    assert.match(result.detail, /CIRCUIT_BROKEN/);
});

test('login_ConnectionRefused_ReturnsNetwork', () => {
    const refused = { result: { ok: false, status: 'ERROR', error: 0, errorMessage: 'java.net.ConnectException: Connection refused' } };
    const result = clientFor(fakeBridge(refused)).client.login({ token: SFCC_TOKEN });
    assert.equal(result.reason, 'network');
    assert.equal(result.status, 0);
});

test('login_200WithoutToken_ReturnsUpstreamError', () => {
    const result = clientFor(fakeBridge(ok(200, { expiry: '2026-11-26T16:30:00Z', guest: false }))).client.login({ token: SFCC_TOKEN });
    assert.equal(result.reason, 'upstream_error');
    assert.equal(result.status, 200);
});

test('login_NeitherCredentialsNorToken_FailsWithoutCallingTheBridge', () => {
    const bridge = fakeBridge(ok(200, LOGIN_BODY));
    const { client } = clientFor(bridge);

    assert.equal(client.login({ login: 'alice@example.com' }).reason, 'bad_request');
    assert.equal(client.login({ login: 'a:b', password: 'x' }).reason, 'bad_request');
    assert.equal(client.login().reason, 'bad_request');
    assert.equal(bridge.sent.length, 0);
});

test('create_CamelCaseFields_SendsSnakeCaseBodyWithIdempotencyKey', () => {
    const bridge = fakeBridge(ok(201, { customer_no: '00001003', profile_id: '456' }));
    const { client } = clientFor(bridge);

    const result = client.create(SFCC_TOKEN, {
        login: 'nia@example.com', email: 'nia@example.com', password: PASSWORD, firstName: 'Nia', lastName: 'Moss', birthday: '1990-04-01'
    }, 'reg-42');

    assert.deepEqual(result, { ok: true, status: 201, customerNo: '00001003', profileId: '456' });
    assert.deepEqual(bridge.sent, [{
        path: '/create',
        headers: { Authorization: 'Bearer ' + SFCC_TOKEN, 'Idempotency-Key': 'reg-42' },
        body: { login: 'nia@example.com', email: 'nia@example.com', password: PASSWORD, first_name: 'Nia', last_name: 'Moss', birthday: '1990-04-01' }
    }]);
});

test('create_ProfileIdNull_IsPassedOn', () => {
    const result = clientFor(fakeBridge(ok(201, { customer_no: '00001003', profile_id: null }))).client
        .create(SFCC_TOKEN, { login: 'n', email: 'n@example.com', password: PASSWORD, first_name: 'N', last_name: 'M' });
    assert.equal(result.profileId, null);
    assert.equal(result.customerNo, '00001003');
});

test('create_WithoutIdempotencyKey_SendsNoIdempotencyHeader', () => {
    const bridge = fakeBridge(ok(201, { customer_no: '00001003', profile_id: null }));
    clientFor(bridge).client.create(SFCC_TOKEN, { login: 'n' });
    assert.deepEqual(Object.keys(bridge.sent[0].headers), ['Authorization']);
});

test('create_FailuresFromTheContract_MapToReasons', () => {
    const cases = [
        [httpError(400, problem(400, { errors: { email: ['Invalid.'] } })), 'validation'],
        [httpError(400, problem(400)), 'bad_request'],
        [httpError(401, problem(401)), 'invalid_credentials'],
        [httpError(403, problem(403)), 'forbidden'],
        [httpError(409, problem(409)), 'conflict'],
        [httpError(422, problem(422)), 'bad_request'],
        [httpError(429, problem(429), { 'Retry-After': '5' }), 'rate_limited'],
        [httpError(502, problem(502)), 'upstream_error'],
        [httpError(504, problem(504)), 'upstream_timeout']
    ];
    for (const [answer, reason] of cases) {
        const result = clientFor(fakeBridge(answer)).client.create(SFCC_TOKEN, { login: 'n' }, 'k');
        assert.equal(result.reason, reason, `status ${answer.result.error}`);
        assert.equal(result.status, answer.result.error);
    }
});

test('create_WithoutGuestToken_FailsWithoutCallingTheBridge', () => {
    const bridge = fakeBridge(ok(201, { customer_no: '1' }));
    assert.equal(clientFor(bridge).client.create('', { login: 'n' }).reason, 'bad_request');
    assert.equal(bridge.sent.length, 0);
});

test('logs_AfterLoginsAndCreate_ContainNoPasswordOrToken', () => {
    const bridge = fakeBridge(ok(200, LOGIN_BODY), httpError(401, problem(401)), ok(201, { customer_no: '00001003', profile_id: '456' }));
    const { client } = clientFor(bridge);

    client.login({ login: 'alice@example.com', password: PASSWORD });
    client.login({ login: 'alice@example.com', password: PASSWORD });
    client.create(SFCC_TOKEN, { login: 'n', email: 'n@example.com', password: PASSWORD, first_name: 'N', last_name: 'M' });

    const logged = Logger.testing.entries().map((entry) => entry.message).join('\n');
    assert.match(logged, /login succeeded/);
    assert.match(logged, /reason=invalid_credentials status=401 traceId=trace-401/);
    for (const secret of [PASSWORD, OMNEO_TOKEN, SFCC_TOKEN, Buffer.from('alice@example.com:' + PASSWORD).toString('base64')]) {
        assert.ok(!logged.includes(secret), 'a secret reached the log');
    }
});
