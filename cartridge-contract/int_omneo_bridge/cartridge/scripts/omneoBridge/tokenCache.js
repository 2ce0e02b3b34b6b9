'use strict';

/**
 * Keeps Omneo ID tokens so a customer is not sent to the bridge on every request.
 *
 * Entries are keyed on what proves who the customer is without a password: a SHA-256 hash of the
 * SFCC token the bridge accepted, or the customer_no of a customer SFCC has already authenticated.
 * Passwords and SFCC tokens themselves are never stored. A token is reused until
 * REFRESH_MARGIN_MILLIS before its expiry, so a caller never receives one about to lapse.
 */

var MessageDigest = require('dw/crypto/MessageDigest');
var Encoding = require('dw/crypto/Encoding');
var Bytes = require('dw/util/Bytes');

var CACHE_ID = 'omneoBridgeTokens';
var REFRESH_MARGIN_MILLIS = 60 * 1000;

function sha256Hex(value) {
    var digest = new MessageDigest(MessageDigest.DIGEST_SHA_256);
    return Encoding.toHex(digest.digestBytes(new Bytes(value, 'UTF-8')));
}

/**
 * @param {string} sfccToken the shopper's SFCC OCAPI JWT
 * @returns {string} the cache key for it
 */
function keyForSfccToken(sfccToken) {
    return 'sfcc:' + sha256Hex(sfccToken);
}

/**
 * @param {string} customerNo an SFCC customer number
 * @returns {string} the cache key for it
 */
function keyForCustomer(customerNo) {
    return 'customer:' + customerNo;
}

/**
 * @param {{get:function(string):*, put:function(string,*), invalidate:function(string)}} store a dw.system.Cache or anything shaped like one
 * @param {function():number} clock returns the current time in milliseconds
 * @returns {{get:function(string):(Object|null), put:function(string,Object):boolean, invalidate:function(string)}} the cache
 */
function createTokenCache(store, clock) {
    function isReusable(entry) {
        return !!entry && typeof entry.expiresAtMillis === 'number'
            && clock() < entry.expiresAtMillis - REFRESH_MARGIN_MILLIS;
    }

    return {
        /**
         * @param {string} key a key from keyForSfccToken or keyForCustomer
         * @returns {Object|null} {token, expiry, profileId, customerNo, guest} while still reusable
         */
        get: function (key) {
            var entry = store.get(key);
            if (!entry) {
                return null;
            }
            if (!isReusable(entry)) {
                store.invalidate(key);
                return null;
            }
            return {
                token: entry.token,
                expiry: entry.expiry,
                profileId: entry.profileId,
                customerNo: entry.customerNo,
                guest: entry.guest
            };
        },

        /**
         * @param {string} key a key from keyForSfccToken or keyForCustomer
         * @param {{token:string, expiry:string, profileId:(string|null), customerNo:(string|null), guest:boolean}} login a successful login
         * @returns {boolean} whether it was stored (tokens already inside the margin are not)
         */
        put: function (key, login) {
            var entry = {
                token: login.token,
                expiry: login.expiry,
                expiresAtMillis: Date.parse(login.expiry),
                profileId: login.profileId,
                customerNo: login.customerNo,
                guest: login.guest
            };
            if (isNaN(entry.expiresAtMillis) || !isReusable(entry)) {
                return false;
            }
            store.put(key, entry);
            return true;
        },

        /**
         * @param {string} key a key from keyForSfccToken or keyForCustomer
         */
        invalidate: function (key) {
            store.invalidate(key);
        }
    };
}

/**
 * @returns {Object} the custom cache declared in caches.json
 */
function defaultStore() {
    var CacheMgr = require('dw/system/CacheMgr');
    return CacheMgr.getCache(CACHE_ID);
}

module.exports = {
    CACHE_ID: CACHE_ID,
    REFRESH_MARGIN_MILLIS: REFRESH_MARGIN_MILLIS,
    createTokenCache: createTokenCache,
    defaultStore: defaultStore,
    keyForSfccToken: keyForSfccToken,
    keyForCustomer: keyForCustomer
};
