'use strict';

/**
 * Exchanges a PWA Kit shopper's SLAS access token for an Omneo customer token through the bridge's
 * `POST /login` (Authorization: Bearer <SLAS access token>), and keeps it until a margin before it
 * expires. No dependencies: uses the global `fetch` (browser, Node 18+) or the one passed in.
 *
 *   const client = createOmneoTokenClient({bridgeUrl: '/mobify/proxy/omneo'})
 *   const {token, expiry} = await client.getToken(slasAccessToken, {cacheKey: customerId})
 *   client.clear()   // on logout
 *
 * - Cached per cacheKey (default: the access token itself). Pass the SLAS customer id so a refreshed
 *   SLAS token of the same shopper keeps the Omneo token; a different shopper never gets it.
 * - Fresh while now < expiry - refreshMarginSeconds; after that the next getToken() asks again.
 * - Single flight: concurrent getToken() calls for the same key share one request.
 * - clear() forgets the token, and a request still in flight then rejects (reason "cleared") instead
 *   of handing a token to a shopper who has just logged out.
 * - Failures reject with an OmneoBridgeError carrying the bridge's problem: status (401, 429, 503, ...;
 *   0 when no HTTP answer came), reason, detail, traceId, retryAfter (seconds). They are never cached.
 * - Nothing here logs; the tokens are never put in an error message.
 */

var REASON_BY_STATUS = {
    400: 'bad_request',
    401: 'invalid_token',
    403: 'forbidden',
    404: 'not_found',
    429: 'rate_limited',
    502: 'upstream_error',
    503: 'upstream_unavailable',
    504: 'upstream_timeout'
};

class OmneoBridgeError extends Error {
    constructor(status, reason, detail, extra) {
        super(`Omneo bridge login failed: ${status || 'no answer'} ${reason}${detail ? ` (${detail})` : ''}`);
        this.name = 'OmneoBridgeError';
        this.status = status;
        this.reason = reason;
        this.detail = detail || null;
        this.traceId = (extra && extra.traceId) || null;
        this.retryAfter = extra && typeof extra.retryAfter === 'number' ? extra.retryAfter : null;
    }
}

function parseRetryAfter(value, nowMillis) {
    if (value === null || value === undefined) {
        return null;
    }
    var text = String(value).trim();
    if (/^\d+$/.test(text)) {
        return parseInt(text, 10);
    }
    var date = Date.parse(text);
    return isNaN(date) ? null : Math.max(0, Math.ceil((date - nowMillis) / 1000));
}

function loginUrl(bridgeUrl) {
    if (typeof bridgeUrl !== 'string' || bridgeUrl.trim() === '') {
        throw new TypeError('bridgeUrl is required: the bridge base URL (https://bridge.example.com) or a PWA Kit proxy path (/mobify/proxy/omneo)');
    }
    return bridgeUrl.trim().replace(/\/+$/, '') + '/login';
}

/**
 * One call to POST /login with a SLAS (or OCAPI) access token, no caching.
 * @returns {Promise<{token:string, expiry:string, expiresAt:number, customerNo:string|null, profileId:string|null, guest:boolean}>}
 */
async function exchangeAccessToken(bridgeUrl, accessToken, options) {
    var opts = options || {};
    var fetchImpl = opts.fetch || globalThis.fetch;
    var now = opts.now || function () { return Date.now(); };
    if (typeof accessToken !== 'string' || accessToken === '') {
        throw new OmneoBridgeError(0, 'no_access_token', 'There is no shopper access token to exchange yet.');
    }
    var url = loginUrl(bridgeUrl);
    var timeoutMs = opts.timeoutMs || 10000;
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, timeoutMs) : null;
    var response;
    var text;
    try {
        response = await fetchImpl(url, {
            method: 'POST',
            headers: { Authorization: 'Bearer ' + accessToken, Accept: 'application/json' },
            credentials: 'omit',
            cache: 'no-store',
            signal: controller ? controller.signal : undefined
        });
        text = await response.text();
    } catch (e) {
        var aborted = e && e.name === 'AbortError';
        throw new OmneoBridgeError(0, aborted ? 'timeout' : 'network',
            aborted ? `The bridge did not answer within ${timeoutMs} ms.` : 'The bridge could not be reached.');
    } finally {
        if (timer) {
            clearTimeout(timer);
        }
    }

    var body = null;
    try {
        body = text ? JSON.parse(text) : null;
    } catch (e) {
        body = null;
    }
    if (response.status !== 200) {
        var problem = body && typeof body === 'object' ? body : {};
        var reason = REASON_BY_STATUS[response.status] || (response.status >= 500 ? 'upstream_error' : 'bad_request');
        throw new OmneoBridgeError(response.status, reason,
            typeof problem.detail === 'string' ? problem.detail : (typeof problem.title === 'string' ? problem.title : null),
            { traceId: typeof problem.trace_id === 'string' ? problem.trace_id : null,
              retryAfter: parseRetryAfter(response.headers.get('retry-after'), now()) });
    }
    var expiresAt = body ? Date.parse(body.expiry) : NaN;
    if (!body || typeof body.token !== 'string' || body.token === '' || isNaN(expiresAt)) {
        throw new OmneoBridgeError(response.status, 'invalid_response', 'The bridge answered 200 without a token and expiry.');
    }
    return {
        token: body.token,
        expiry: body.expiry,
        expiresAt: expiresAt,
        customerNo: typeof body.customer_no === 'string' ? body.customer_no : null,
        profileId: typeof body.profile_id === 'string' ? body.profile_id : null,
        guest: body.guest === true
    };
}

/**
 * @param {{bridgeUrl:string, refreshMarginSeconds?:number, fetch?:Function, now?:Function, timeoutMs?:number}} options
 */
function createOmneoTokenClient(options) {
    var opts = options || {};
    loginUrl(opts.bridgeUrl); // fail at construction on a missing URL
    var marginMs = 1000 * (typeof opts.refreshMarginSeconds === 'number' && opts.refreshMarginSeconds >= 0 ? opts.refreshMarginSeconds : 60);
    var now = opts.now || function () { return Date.now(); };
    var cached = null;          // {key, result}
    var inFlight = new Map();   // key -> promise
    var generation = 0;

    function isFresh(entry) {
        return entry !== null && now() < entry.result.expiresAt - marginMs;
    }

    function getToken(accessToken, callOptions) {
        var call = callOptions || {};
        var key = call.cacheKey ? 'key:' + call.cacheKey : 'token:' + accessToken;
        if (!call.forceRefresh && cached && cached.key === key && isFresh(cached)) {
            return Promise.resolve(cached.result);
        }
        if (inFlight.has(key)) {
            return inFlight.get(key);
        }
        var started = generation;
        var promise = exchangeAccessToken(opts.bridgeUrl, accessToken, { fetch: opts.fetch, now: now, timeoutMs: opts.timeoutMs })
            .then(function (result) {
                if (started !== generation) {
                    throw new OmneoBridgeError(0, 'cleared', 'The token was cleared (logout) while it was being fetched.');
                }
                cached = { key: key, result: result };
                return result;
            })
            .finally(function () {
                if (inFlight.get(key) === promise) {
                    inFlight.delete(key);
                }
            });
        inFlight.set(key, promise);
        return promise;
    }

    return {
        getToken: getToken,
        /** The cached result when it is still fresh, else null; never calls the bridge. */
        peek: function () {
            return isFresh(cached) ? cached.result : null;
        },
        /** Milliseconds until the cached token should be fetched again (0 when it should now; null without one). */
        msUntilRefresh: function () {
            return cached ? Math.max(0, cached.result.expiresAt - marginMs - now()) : null;
        },
        /** Forget the token (logout); requests in flight reject with reason "cleared". */
        clear: function () {
            cached = null;
            generation++;
            inFlight.clear();
        }
    };
}

module.exports = {
    createOmneoTokenClient: createOmneoTokenClient,
    exchangeAccessToken: exchangeAccessToken,
    OmneoBridgeError: OmneoBridgeError
};
