'use strict';

/**
 * Client for the Omneo SFCC bridge (see cartridge-contract/openapi.yaml and the cartridge README).
 *
 * Every function returns a result instead of throwing:
 *   success: {ok:true, token, expiry, profileId, customerNo, guest}      (login)
 *            {ok:true, status, customerNo, profileId}                    (create)
 *   failure: {ok:false, status, reason, retryAfter, errors, detail, traceId}
 * where reason is one of invalid_credentials, bad_request, forbidden, conflict, validation,
 * rate_limited, upstream_unavailable, upstream_timeout, upstream_error, network; status is the
 * bridge's HTTP status, or 0 when no HTTP answer arrived.
 *
 * Nothing here retries on its own: a credentials login counts failed attempts at SFCC and can lock
 * the account, and create is only safe to repeat with the same Idempotency-Key.
 */

var Logger = require('dw/system/Logger');
var StringUtils = require('dw/util/StringUtils');
var serviceDefinition = require('./serviceDefinition');
var problemMapping = require('./problemMapping');
var tokenCache = require('./tokenCache');

var log = Logger.getLogger('omneoBridge', 'omneoBridge.client');

// The bridge's field name and the camelCase name SFRA forms use for it.
var CREATE_FIELDS = [
    { name: 'login', alias: 'login' },
    { name: 'email', alias: 'email' },
    { name: 'password', alias: 'password' },
    { name: 'first_name', alias: 'firstName' },
    { name: 'last_name', alias: 'lastName' },
    { name: 'phone', alias: 'phone' },
    { name: 'birthday', alias: 'birthday' }
];

/**
 * @param {string} login the shopper's SFCC login
 * @param {string} password the shopper's password
 * @returns {string} the value of an Authorization header for HTTP Basic
 */
function buildBasicAuthorization(login, password) {
    return 'Basic ' + StringUtils.encodeBase64(login + ':' + password, 'UTF-8');
}

function isNonEmptyString(value) {
    return typeof value === 'string' && value.length > 0;
}

function stringOrNull(value) {
    return value === null || value === undefined ? null : String(value);
}

function readHeaderAfterError(service, name) {
    try {
        var client = typeof service.getClient === 'function' ? service.getClient() : service.client;
        return serviceDefinition.readResponseHeader(client, name);
    } catch (e) {
        return null;
    }
}

/**
 * Sends one request through the service and sorts the outcome into an HTTP answer or a failure
 * that never got one.
 */
function execute(getService, request) {
    var service = getService();
    var result;
    try {
        result = service.call(request);
    } catch (e) {
        return { failure: problemMapping.failure('network', 'Calling the bridge failed: ' + e.message) };
    }
    if (result.ok) {
        return { answer: result.object };
    }
    if (result.status === 'SERVICE_UNAVAILABLE') {
        if (result.unavailableReason === 'TIMEOUT') {
            return { failure: problemMapping.failure('upstream_timeout', 'The bridge did not answer within the service timeout.') };
        }
        return {
            failure: problemMapping.failure('upstream_unavailable',
                'The ' + serviceDefinition.SERVICE_ID + ' service is unavailable (' + result.unavailableReason + ').')
        };
    }
    if (typeof result.error === 'number' && result.error > 0) {
        return {
            answer: {
                status: result.error,
                text: result.errorMessage,
                retryAfter: readHeaderAfterError(service, 'Retry-After')
            }
        };
    }
    return { failure: problemMapping.failure('network', 'The bridge could not be reached: ' + (result.errorMessage || result.msg || 'no answer')) };
}

function unreadableAnswer(status, operation) {
    return {
        ok: false,
        status: status,
        reason: 'upstream_error',
        retryAfter: null,
        errors: null,
        detail: 'The bridge answered ' + operation + ' with a body that does not match the contract.',
        traceId: null
    };
}

function logFailure(operation, failure) {
    log.warn('Omneo bridge {0} failed: reason={1} status={2} traceId={3}',
        operation, failure.reason, failure.status, failure.traceId);
}

function loginSuccess(entry) {
    return {
        ok: true,
        token: entry.token,
        expiry: entry.expiry,
        profileId: entry.profileId,
        customerNo: entry.customerNo,
        guest: entry.guest
    };
}

function readLoginAnswer(answer) {
    var body = problemMapping.parseJson(answer.text);
    if (!body || !isNonEmptyString(body.token) || !isNonEmptyString(body.expiry)
        || isNaN(Date.parse(body.expiry)) || typeof body.guest !== 'boolean') {
        return null;
    }
    return loginSuccess({
        token: body.token,
        expiry: body.expiry,
        profileId: stringOrNull(body.profile_id),
        customerNo: stringOrNull(body.customer_no),
        guest: body.guest
    });
}

// Validation is left to the bridge so its errors dictionary is the single source of field messages.
function toCreateBody(fields) {
    var body = {};
    for (var i = 0; i < CREATE_FIELDS.length; i++) {
        var field = CREATE_FIELDS[i];
        var value = fields[field.name] !== undefined ? fields[field.name] : fields[field.alias];
        if (value !== undefined && value !== null) {
            body[field.name] = value;
        }
    }
    return body;
}

/**
 * @param {Object} [options] dependencies, for tests and special set-ups
 * @param {function():dw.svc.HTTPService} [options.getService] creates the service (default: omneo.bridge.http)
 * @param {function():dw.svc.HTTPService} [options.getStorefrontService] creates the signed login's service (default: omneo.bridge.storefront)
 * @param {function():number} [options.now] the clock in milliseconds (default: Date.now)
 * @param {Object} [options.tokenCache] a cache from tokenCache.createTokenCache (default: CacheMgr cache omneoBridgeTokens)
 * @returns {{login:function, storefrontLogin:function, create:function, getCachedToken:function}} a client
 */
function createClient(options) {
    var settings = options || {};
    var getService = settings.getService || serviceDefinition.getService;
    var getStorefrontService = settings.getStorefrontService || serviceDefinition.getStorefrontService;
    var now = settings.now || function () { return Date.now(); };
    var cache = settings.tokenCache || tokenCache.createTokenCache(tokenCache.defaultStore(), now);

    function httpFailure(answer) {
        return problemMapping.fromHttpResponse(answer, now());
    }

    /**
     * Exchanges SFCC credentials or an SFCC token for an Omneo ID token.
     * A token login is answered from the cache while the Omneo token has more than a minute left;
     * a credentials login always goes to the bridge, so the password is always checked by SFCC.
     * @param {{login:string, password:string}|{token:string}} args what identifies the shopper
     * @returns {Object} a login result
     */
    function login(args) {
        var input = args || {};
        var authorization;
        var sfccTokenKey = null;

        if (isNonEmptyString(input.token)) {
            sfccTokenKey = tokenCache.keyForSfccToken(input.token);
            var cached = cache.get(sfccTokenKey);
            if (cached) {
                return loginSuccess(cached);
            }
            authorization = 'Bearer ' + input.token;
        } else if (isNonEmptyString(input.login) && isNonEmptyString(input.password)) {
            if (input.login.indexOf(':') !== -1) {
                return problemMapping.failure('bad_request', 'A login containing ":" cannot be sent with HTTP Basic.');
            }
            authorization = buildBasicAuthorization(input.login, input.password);
        } else {
            return problemMapping.failure('bad_request', 'login() needs {login, password} or {token}.');
        }

        var outcome = execute(getService, { path: '/login', headers: { Authorization: authorization }, body: null });
        if (outcome.failure) {
            logFailure('login', outcome.failure);
            return outcome.failure;
        }
        var answer = outcome.answer;
        if (answer.status < 200 || answer.status > 299) {
            var failure = httpFailure(answer);
            logFailure('login', failure);
            return failure;
        }
        var result = readLoginAnswer(answer);
        if (!result) {
            var unreadable = unreadableAnswer(answer.status, '/login');
            logFailure('login', unreadable);
            return unreadable;
        }
        if (sfccTokenKey) {
            cache.put(sfccTokenKey, result);
        }
        if (result.customerNo) {
            cache.put(tokenCache.keyForCustomer(result.customerNo), result);
        }
        log.info('Omneo bridge login succeeded: guest={0} customerNo={1} profileId={2}',
            result.guest, result.customerNo, result.profileId);
        return result;
    }

    /**
     * The signed storefront login (POST /login/storefront): the storefront vouches for a customer it
     * has already signed in (SFRA session, social login, account created after checkout), with no
     * password and no OCAPI token. The body is signed with the storefront key of the
     * omneo.bridge.storefront service credential. Always reaches the bridge; the answer is cached
     * under the customer number for getCachedToken.
     * @param {string} customerNo customer.profile.customerNo of the authenticated customer; never a number taken from a request
     * @returns {Object} a login result
     */
    function storefrontLogin(customerNo) {
        if (!isNonEmptyString(customerNo)) {
            return problemMapping.failure('bad_request', 'storefrontLogin() needs the signed-in customer\'s number.');
        }
        var request = { customerNo: customerNo, timestampSeconds: Math.floor(now() / 1000) };
        var outcome = execute(getStorefrontService, request);
        if (outcome.failure) {
            logFailure('storefront login', outcome.failure);
            return outcome.failure;
        }
        var answer = outcome.answer;
        if (answer.status < 200 || answer.status > 299) {
            var failure = httpFailure(answer);
            logFailure('storefront login', failure);
            return failure;
        }
        var result = readLoginAnswer(answer);
        if (!result || result.guest || result.customerNo !== customerNo) {
            var unreadable = unreadableAnswer(answer.status, '/login/storefront');
            logFailure('storefront login', unreadable);
            return unreadable;
        }
        cache.put(tokenCache.keyForCustomer(result.customerNo), result);
        log.info('Omneo bridge storefront login succeeded: customerNo={0} profileId={1}', result.customerNo, result.profileId);
        return result;
    }

    /**
     * Registers a guest as an SFCC customer (and links an Omneo profile). Follow up with
     * login({login, password}) to get the customer's Omneo token.
     * @param {string} guestToken the guest's SFCC OCAPI JWT
     * @param {Object} customerFields login, email, password, first_name|firstName, last_name|lastName, optional phone, birthday (YYYY-MM-DD)
     * @param {string} [idempotencyKey] reuse the same key when repeating the same registration
     * @returns {Object} a create result
     */
    function create(guestToken, customerFields, idempotencyKey) {
        if (!isNonEmptyString(guestToken)) {
            return problemMapping.failure('bad_request', 'create() needs the guest\'s SFCC token.');
        }
        var body = toCreateBody(customerFields || {});
        var headers = { Authorization: 'Bearer ' + guestToken };
        if (isNonEmptyString(idempotencyKey)) {
            headers['Idempotency-Key'] = idempotencyKey;
        }

        var outcome = execute(getService, { path: '/create', headers: headers, body: body });
        if (outcome.failure) {
            logFailure('create', outcome.failure);
            return outcome.failure;
        }
        var answer = outcome.answer;
        if (answer.status < 200 || answer.status > 299) {
            var failure = httpFailure(answer);
            logFailure('create', failure);
            return failure;
        }
        var created = problemMapping.parseJson(answer.text);
        if (!created || !isNonEmptyString(created.customer_no)) {
            var unreadable = unreadableAnswer(answer.status, '/create');
            logFailure('create', unreadable);
            return unreadable;
        }
        var result = {
            ok: true,
            status: answer.status,
            customerNo: created.customer_no,
            profileId: stringOrNull(created.profile_id)
        };
        log.info('Omneo bridge create succeeded: customerNo={0} profileId={1}', result.customerNo, result.profileId);
        return result;
    }

    /**
     * The cached Omneo token of a customer SFCC has already authenticated (e.g. in the
     * app.customer.loggedIn hook or from customer.profile.customerNo). Never call it with a
     * customer number taken from a request.
     * @param {string} customerNo the authenticated customer's number
     * @returns {Object|null} a login result, or null when nothing reusable is cached
     */
    function getCachedToken(customerNo) {
        if (!isNonEmptyString(customerNo)) {
            return null;
        }
        var cached = cache.get(tokenCache.keyForCustomer(customerNo));
        return cached ? loginSuccess(cached) : null;
    }

    return {
        login: login,
        storefrontLogin: storefrontLogin,
        create: create,
        getCachedToken: getCachedToken
    };
}

var defaultClient = null;

function client() {
    if (!defaultClient) {
        defaultClient = createClient();
    }
    return defaultClient;
}

module.exports = {
    login: function (args) {
        return client().login(args);
    },
    storefrontLogin: function (customerNo) {
        return client().storefrontLogin(customerNo);
    },
    create: function (guestToken, customerFields, idempotencyKey) {
        return client().create(guestToken, customerFields, idempotencyKey);
    },
    getCachedToken: function (customerNo) {
        return client().getCachedToken(customerNo);
    },
    createClient: createClient,
    buildBasicAuthorization: buildBasicAuthorization
};
