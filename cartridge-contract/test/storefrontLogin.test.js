'use strict';

// The signed storefront login in int_omneo_bridge: body, HMAC over the exact bytes, key id and secret
// from the service credential, answer mapping, and nothing secret in a log.

require('./dw/register');
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const Logger = require('dw/system/Logger');
const LocalServiceRegistry = require('dw/svc/LocalServiceRegistry');
const serviceDefinition = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/serviceDefinition');
const storefrontSignature = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/storefrontSignature');
const redaction = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/redaction');
const bridgeClient = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/client');
const tokenCache = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/tokenCache');

const NOW = Date.parse('2026-11-26T16:00:00Z');
const KEY_ID = 'cartridge-2026';
const SECRET = 'storefront-secret-0123456789abcdef0123456789';

function memoryStore() {
    const values = new Map();
    return { values, get: (k) => values.get(k), put: (k, v) => values.set(k, v), invalidate: (k) => values.delete(k) };
}

function mockedClient() {
    LocalServiceRegistry.testing.reset();
    LocalServiceRegistry.testing.configure(serviceDefinition.STOREFRONT_SERVICE_ID, {
        url: 'https://bridge.example.com/', mock: true, user: KEY_ID, password: SECRET
    });
    const store = memoryStore();
    const client = bridgeClient.createClient({ now: () => NOW, tokenCache: tokenCache.createTokenCache(store, () => NOW) });
    return { client, store };
}

test.beforeEach(() => Logger.testing.clear());

test('buildBody_CustomerAndTime_IsExactlyTheTwoMembersInOrder', () => {
    assert.equal(storefrontSignature.buildBody('00001001', 1764460000.9), '{"customer_no":"00001001","timestamp":1764460000}');
    assert.equal(storefrontSignature.buildBody('a"b', 1), '{"customer_no":"a\\"b","timestamp":1}');
});

test('sign_Body_IsLowercaseHexHmacSha256OfTheUtf8Bytes', () => {
    const body = '{"customer_no":"00001001","timestamp":1764460000}';
    const expected = crypto.createHmac('sha256', Buffer.from(SECRET, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex');

    assert.equal(storefrontSignature.sign(body, SECRET), expected);
    assert.match(storefrontSignature.sign(body, SECRET), /^[0-9a-f]{64}$/);
});

test('storefrontLogin_CustomerNo_SendsSignedBodyWithKeyIdFromTheCredential', () => {
    const { client, store } = mockedClient();

    const result = client.storefrontLogin('00001001');

    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.customerNo, '00001001');
    assert.equal(result.guest, false);
    const [call] = LocalServiceRegistry.testing.calls();
    assert.equal(call.serviceId, 'omneo.bridge.storefront');
    assert.equal(call.url, 'https://bridge.example.com/login/storefront');
    assert.equal(call.method, 'POST');
    assert.equal(call.body, `{"customer_no":"00001001","timestamp":${NOW / 1000}}`);
    assert.equal(call.headers['X-Storefront-Key'], KEY_ID);
    assert.equal(call.headers['Content-Type'], 'application/json');
    assert.equal(call.headers['X-Storefront-Signature'],
        crypto.createHmac('sha256', SECRET).update(call.body).digest('hex'));
    assert.equal(call.headers.Authorization, undefined, 'the signed login carries no shopper credential');
    assert.deepEqual([...store.values.keys()], ['customer:00001001']);
    assert.equal(client.getCachedToken('00001001').token, result.token);
});

test('storefrontLogin_NoCustomerNo_IsBadRequestWithoutACall', () => {
    const { client } = mockedClient();

    const result = client.storefrontLogin('');

    assert.equal(result.ok, false);
    assert.equal(result.reason, 'bad_request');
    assert.equal(LocalServiceRegistry.testing.calls().length, 0);
});

test('storefrontLogin_CredentialWithoutSecret_FailsWithoutSendingAnything', () => {
    LocalServiceRegistry.testing.reset();
    LocalServiceRegistry.testing.configure(serviceDefinition.STOREFRONT_SERVICE_ID, { url: 'https://bridge.example.com', mock: true, user: KEY_ID });
    const client = bridgeClient.createClient({ now: () => NOW, tokenCache: tokenCache.createTokenCache(memoryStore(), () => NOW) });

    const result = client.storefrontLogin('00001001');

    assert.equal(result.ok, false);
    assert.equal(result.reason, 'network');
    assert.equal(LocalServiceRegistry.testing.calls().length, 0);
});

function fakeService(result) {
    return () => ({ call: () => result, getClient: () => null });
}

test('storefrontLogin_Refused401_IsInvalidCredentials', () => {
    const problem = { title: 'Unauthorized', status: 401, detail: 'The storefront login was refused.', trace_id: 't-401' };
    const client = bridgeClient.createClient({
        now: () => NOW,
        tokenCache: tokenCache.createTokenCache(memoryStore(), () => NOW),
        getStorefrontService: fakeService({ ok: false, status: 'ERROR', error: 401, errorMessage: JSON.stringify(problem) })
    });

    const result = client.storefrontLogin('00001001');

    assert.equal(result.reason, 'invalid_credentials');
    assert.equal(result.traceId, 't-401');
});

test('storefrontLogin_AnswerForAnotherCustomer_IsUpstreamError', () => {
    const body = { token: 'eyJ.x.y', expiry: '2026-11-26T16:30:00Z', profile_id: '1', customer_no: '00009999', guest: false };
    const client = bridgeClient.createClient({
        now: () => NOW,
        tokenCache: tokenCache.createTokenCache(memoryStore(), () => NOW),
        getStorefrontService: fakeService({ ok: true, status: 'OK', object: { status: 200, text: JSON.stringify(body), retryAfter: null } })
    });

    const result = client.storefrontLogin('00001001');

    assert.equal(result.ok, false);
    assert.equal(result.reason, 'upstream_error');
});

test('storefrontLogin_Logs_HoldNeitherSecretNorSignatureNorToken', () => {
    const { client } = mockedClient();

    const result = client.storefrontLogin('00001001');

    const [call] = LocalServiceRegistry.testing.calls();
    const logged = Logger.testing.entries().map((entry) => entry.message)
        .concat(LocalServiceRegistry.testing.communicationLog()).join('\n');
    assert.ok(!logged.includes(SECRET));
    assert.ok(!logged.includes(call.headers['X-Storefront-Signature']));
    assert.ok(!logged.includes(result.token));
});

test('redact_StorefrontSignatureHeader_IsMasked', () => {
    assert.equal(redaction.redact('X-Storefront-Signature: 0a1b2c\r\nX-Storefront-Key: k'), 'X-Storefront-Signature: ***\r\nX-Storefront-Key: k');
});
