'use strict';

/**
 * The HTTP service that carries every call to the bridge. Base URL and timeout come from the
 * service credential and profile in metadata/services.xml (Business Manager: Administration >
 * Operations > Services).
 */

var LocalServiceRegistry = require('dw/svc/LocalServiceRegistry');
var redaction = require('./redaction');
var storefrontSignature = require('./storefrontSignature');

var SERVICE_ID = 'omneo.bridge.http';
// The signed storefront login has its own service so its credential can carry the storefront key:
// user = key id (X-Storefront-Key), password = the key's secret. Same bridge URL as SERVICE_ID.
var STOREFRONT_SERVICE_ID = 'omneo.bridge.storefront';

/**
 * Reads a response header from an HTTPClient (or the plain object mockCall returns).
 * @param {Object} client dw.net.HTTPClient or mock response
 * @param {string} name header name
 * @returns {string|null} the value
 */
function readResponseHeader(client, name) {
    if (!client) {
        return null;
    }
    if (typeof client.getResponseHeader === 'function') {
        var value = client.getResponseHeader(name);
        return value === undefined || value === null ? null : String(value);
    }
    if (client.headers) {
        var wanted = name.toLowerCase();
        var names = Object.keys(client.headers);
        for (var i = 0; i < names.length; i++) {
            if (names[i].toLowerCase() === wanted) {
                return String(client.headers[names[i]]);
            }
        }
    }
    return null;
}

function trimTrailingSlash(url) {
    return url.charAt(url.length - 1) === '/' ? url.substring(0, url.length - 1) : url;
}

var callbacks = {
    /**
     * @param {dw.svc.HTTPService} svc the service
     * @param {{path:string, headers:Object, body:(Object|null)}} request what the client wants sent
     * @returns {string|null} the request body
     */
    createRequest: function (svc, request) {
        var baseUrl = trimTrailingSlash(svc.getConfiguration().getCredential().getURL());
        svc.setURL(baseUrl + request.path);
        svc.setRequestMethod('POST');
        svc.addHeader('Accept', 'application/json, application/problem+json');
        var names = Object.keys(request.headers || {});
        for (var i = 0; i < names.length; i++) {
            svc.addHeader(names[i], request.headers[names[i]]);
        }
        if (request.body === null || request.body === undefined) {
            return null;
        }
        svc.addHeader('Content-Type', 'application/json');
        return JSON.stringify(request.body);
    },

    /**
     * Called for 2xx answers only; everything else arrives as Result.error / Result.errorMessage.
     * @param {dw.svc.HTTPService} svc the service
     * @param {dw.net.HTTPClient} client the answered client
     * @returns {{status:number, text:string, retryAfter:(string|null)}} the raw answer
     */
    parseResponse: function (svc, client) {
        return {
            status: client.statusCode,
            text: client.text,
            retryAfter: readResponseHeader(client, 'Retry-After')
        };
    },

    /**
     * Canned answers for mock mode (Business Manager "Mock" mode, or a sandbox without a bridge).
     * @param {dw.svc.HTTPService} svc the service
     * @returns {{statusCode:number, statusMessage:string, text:string, headers:Object}} a fake response
     */
    mockCall: function (svc) {
        var url = String(svc.getURL());
        var expiry = new Date(Date.now() + 15 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        if (/\/create$/.test(url)) {
            return {
                statusCode: 201,
                statusMessage: 'Created',
                headers: { 'Content-Type': 'application/json' },
                text: JSON.stringify({ customer_no: '00009999', profile_id: 'mock-profile' })
            };
        }
        return {
            statusCode: 200,
            statusMessage: 'OK',
            headers: { 'Content-Type': 'application/json' },
            text: JSON.stringify({
                token: 'mock-omneo-token',
                expiry: expiry,
                profile_id: 'mock-profile',
                customer_no: '00009999',
                guest: false
            })
        };
    },

    /**
     * @param {string} msg a communication log line
     * @returns {string} the line without credentials or tokens
     */
    filterLogMessage: function (msg) {
        return redaction.redact(msg);
    },

    /**
     * @param {string|null} requestBody what createRequest returned
     * @returns {string} the loggable request
     */
    getRequestLogMessage: function (requestBody) {
        return redaction.redact(requestBody);
    },

    /**
     * @param {dw.net.HTTPClient} client the answered client
     * @returns {string} the loggable response
     */
    getResponseLogMessage: function (client) {
        return redaction.redact(client ? client.text : null);
    }
};

function isNonEmptyString(value) {
    return typeof value === 'string' && value.length > 0;
}

var storefrontCallbacks = {
    /**
     * Builds and signs the storefront login. Key id and secret are read from the service credential
     * here, so they never pass through the client, a site preference or a log line.
     * @param {dw.svc.HTTPService} svc the service
     * @param {{customerNo:string, timestampSeconds:number}} request the shopper SFCC signed in, and the time
     * @returns {string} the exact body that was signed
     */
    createRequest: function (svc, request) {
        var credential = svc.getConfiguration().getCredential();
        var keyId = credential.getUser();
        var secret = credential.getPassword();
        if (!isNonEmptyString(keyId) || !isNonEmptyString(secret)) {
            throw new Error('The ' + STOREFRONT_SERVICE_ID + ' credential needs the storefront key id as user and its secret as password.');
        }
        var body = storefrontSignature.buildBody(request.customerNo, request.timestampSeconds);
        svc.setURL(trimTrailingSlash(credential.getURL()) + '/login/storefront');
        svc.setRequestMethod('POST');
        if (typeof svc.setEncoding === 'function') {
            svc.setEncoding('UTF-8');
        }
        svc.addHeader('Accept', 'application/json, application/problem+json');
        svc.addHeader('Content-Type', 'application/json');
        svc.addHeader('X-Storefront-Key', keyId);
        svc.addHeader('X-Storefront-Signature', storefrontSignature.sign(body, secret));
        return body;
    },
    parseResponse: callbacks.parseResponse,

    /**
     * Mock mode: a success for the customer the request names.
     * @param {dw.svc.HTTPService} svc the service
     * @param {string} requestBody what createRequest returned
     * @returns {Object} a fake response
     */
    mockCall: function (svc, requestBody) {
        var mocked = callbacks.mockCall(svc);
        var sent = JSON.parse(requestBody);
        var body = JSON.parse(mocked.text);
        body.customer_no = sent.customer_no;
        mocked.text = JSON.stringify(body);
        return mocked;
    },
    filterLogMessage: callbacks.filterLogMessage,
    getRequestLogMessage: callbacks.getRequestLogMessage,
    getResponseLogMessage: callbacks.getResponseLogMessage
};

/**
 * @returns {dw.svc.HTTPService} a fresh service instance (cheap; create one per call)
 */
function getService() {
    return LocalServiceRegistry.createService(SERVICE_ID, callbacks);
}

/**
 * @returns {dw.svc.HTTPService} a fresh instance of the signed storefront login service
 */
function getStorefrontService() {
    return LocalServiceRegistry.createService(STOREFRONT_SERVICE_ID, storefrontCallbacks);
}

module.exports = {
    SERVICE_ID: SERVICE_ID,
    STOREFRONT_SERVICE_ID: STOREFRONT_SERVICE_ID,
    callbacks: callbacks,
    storefrontCallbacks: storefrontCallbacks,
    getService: getService,
    getStorefrontService: getStorefrontService,
    readResponseHeader: readResponseHeader
};
