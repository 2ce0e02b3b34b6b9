'use strict';

/**
 * The signed storefront login's request (POST /login/storefront, see openapi.yaml): the body
 * {"customer_no":"...","timestamp":<Unix seconds>} and the lowercase hex HMAC-SHA256 of exactly
 * those bytes (UTF-8), keyed with the storefront key's secret.
 *
 * The secret comes from the service credential's password (see serviceDefinition.js) and is used
 * here only: it is never returned, stored or logged.
 */

var Mac = require('dw/crypto/Mac');
var Encoding = require('dw/crypto/Encoding');
var Bytes = require('dw/util/Bytes');

/**
 * @param {string} customerNo the SFCC customer number of the shopper the storefront signed in
 * @param {number} timestampSeconds Unix time in whole seconds
 * @returns {string} the exact body to send (and sign)
 */
function buildBody(customerNo, timestampSeconds) {
    // Built by hand so the member order and spacing are fixed: the bridge checks the signature
    // against the bytes it receives, and this string is both what is signed and what is sent.
    return '{"customer_no":' + JSON.stringify(String(customerNo)) + ',"timestamp":' + Math.floor(timestampSeconds) + '}';
}

/**
 * @param {string} body the exact request body
 * @param {string} secret the storefront key's secret
 * @returns {string} lowercase hex HMAC-SHA256 of the body's UTF-8 bytes
 */
function sign(body, secret) {
    var mac = new Mac(Mac.HMAC_SHA_256);
    return Encoding.toHex(mac.digest(new Bytes(body, 'UTF-8'), new Bytes(secret, 'UTF-8'))).toLowerCase();
}

module.exports = {
    buildBody: buildBody,
    sign: sign
};
