'use strict';

/**
 * Removes secrets from text before it reaches a log: the Authorization and X-Storefront-Signature
 * headers, passwords and
 * tokens (the SFCC JWT sent to the bridge and the Omneo ID JWT it returns).
 */

var MASK = '***';

var SECRET_JSON_FIELD = /("(?:password|token|authorization|access_token|refresh_token|id_token)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
// The same fields inside JSON that was itself embedded in a JSON string ({"body":"{\"password\":\"...\"}"}).
var ESCAPED_SECRET_JSON_FIELD = /(\\"(?:password|token|authorization|access_token|refresh_token|id_token)\\"\s*:\s*)\\"(?:[^"\\]|\\[^"])*\\"/gi;
var SECRET_FORM_FIELD = /\b(password|token)=[^&\s"]*/gi;
var AUTHORIZATION_HEADER = /\b(Authorization\s*:\s*)[^\r\n]*/gi;
// A storefront login's signature can be replayed within the bridge's clock-skew window.
var STOREFRONT_SIGNATURE_HEADER = /\b(X-Storefront-Signature\s*:\s*)[^\r\n]*/gi;
var AUTH_SCHEME_CREDENTIALS = /\b(Basic|Bearer)\s+[A-Za-z0-9\-._~+\/]+=*/g;
var JWT = /\beyJ[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*/g;

/**
 * @param {*} message anything a log line could be built from
 * @returns {string} the message with every secret replaced by ***
 */
function redact(message) {
    if (message === null || message === undefined) {
        return '';
    }
    var text = typeof message === 'string' ? message : JSON.stringify(message);
    return text
        .replace(SECRET_JSON_FIELD, '$1"' + MASK + '"')
        .replace(ESCAPED_SECRET_JSON_FIELD, '$1\\"' + MASK + '\\"')
        .replace(SECRET_FORM_FIELD, '$1=' + MASK)
        .replace(AUTHORIZATION_HEADER, '$1' + MASK)
        .replace(STOREFRONT_SIGNATURE_HEADER, '$1' + MASK)
        .replace(AUTH_SCHEME_CREDENTIALS, '$1 ' + MASK)
        .replace(JWT, MASK);
}

module.exports = {
    redact: redact
};
