'use strict';

require('./dw/register');
const test = require('node:test');
const assert = require('node:assert/strict');

const tokenCache = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/tokenCache');

const EXPIRY = '2026-11-26T16:30:00Z';
const LOGIN = { token: 'omneo-token', expiry: EXPIRY, profileId: '123', customerNo: '00001001', guest: false };

function memoryStore() {
    const values = new Map();
    return {
        values,
        get: (key) => values.get(key),
        put: (key, value) => values.set(key, value),
        invalidate: (key) => values.delete(key)
    };
}

function clockAt(iso) {
    const clock = { now: Date.parse(iso) };
    clock.read = () => clock.now;
    clock.set = (value) => { clock.now = Date.parse(value); };
    return clock;
}

test('get_WithinExpiryMinusOneMinute_ReturnsStoredLogin', () => {
    const clock = clockAt('2026-11-26T16:00:00Z');
    const cache = tokenCache.createTokenCache(memoryStore(), clock.read);
    assert.equal(cache.put('customer:00001001', LOGIN), true);

    clock.set('2026-11-26T16:28:59.999Z');
    assert.deepEqual(cache.get('customer:00001001'), LOGIN);
});

test('get_SixtySecondsBeforeExpiry_MissesAndEvicts', () => {
    const clock = clockAt('2026-11-26T16:00:00Z');
    const store = memoryStore();
    const cache = tokenCache.createTokenCache(store, clock.read);
    cache.put('customer:00001001', LOGIN);

    clock.set('2026-11-26T16:29:00Z');
    assert.equal(cache.get('customer:00001001'), null);
    assert.equal(store.values.has('customer:00001001'), false);
});

test('put_TokenAlreadyInsideTheMargin_IsNotStored', () => {
    const clock = clockAt('2026-11-26T16:29:30Z');
    const store = memoryStore();
    const cache = tokenCache.createTokenCache(store, clock.read);
    assert.equal(cache.put('customer:00001001', LOGIN), false);
    assert.equal(store.values.size, 0);
});

test('put_UnreadableExpiry_IsNotStored', () => {
    const store = memoryStore();
    const cache = tokenCache.createTokenCache(store, () => 0);
    assert.equal(cache.put('k', Object.assign({}, LOGIN, { expiry: 'tomorrow' })), false);
    assert.equal(store.values.size, 0);
});

test('get_UnknownKey_ReturnsNull', () => {
    const cache = tokenCache.createTokenCache(memoryStore(), () => 0);
    assert.equal(cache.get('customer:nobody'), null);
});

test('keyForSfccToken_SameToken_SameHashedKeyWithoutTheToken', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig';
    const key = tokenCache.keyForSfccToken(token);
    assert.equal(key, tokenCache.keyForSfccToken(token));
    assert.match(key, /^sfcc:[0-9a-f]{64}$/);
    assert.notEqual(key, tokenCache.keyForSfccToken(token + 'x'));
    assert.ok(!key.includes(token));
});

test('keyForCustomer_CustomerNo_IsPrefixed', () => {
    assert.equal(tokenCache.keyForCustomer('00001001'), 'customer:00001001');
});

test('defaultStore_UsesTheDeclaredCustomCache', () => {
    const CacheMgr = require('dw/system/CacheMgr');
    assert.equal(tokenCache.defaultStore(), CacheMgr.getCache(tokenCache.CACHE_ID));
    assert.equal(tokenCache.CACHE_ID, require('../int_omneo_bridge/caches.json').caches[0].id);
});
