'use strict';

/**
 * Turns the bridge's RFC 7807 answers (and transport failures) into the failure results the
 * client returns: {ok:false, status, reason, retryAfter, errors, detail, traceId}.
 */

var REASON_BY_STATUS = {
    401: 'invalid_credentials',
    403: 'forbidden',
    409: 'conflict',
    429: 'rate_limited',
    502: 'upstream_error',
    503: 'upstream_unavailable',
    504: 'upstream_timeout'
};

function parseJson(text) {
    if (!text) {
        return null;
    }
    try {
        var value = JSON.parse(text);
        return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
    } catch (e) {
        return null;
    }
}

function hasEntries(value) {
    if (!value || typeof value !== 'object') {
        return false;
    }
    return Object.keys(value).length > 0;
}

/**
 * Reads a Retry-After header: delay in seconds or an HTTP date.
 * @param {string|null} value the header value
 * @param {number} nowMillis the current time
 * @returns {number|null} whole seconds to wait, or null when absent or unreadable
 */
function parseRetryAfter(value, nowMillis) {
    if (value === null || value === undefined) {
        return null;
    }
    var text = String(value).trim();
    if (/^\d+$/.test(text)) {
        return parseInt(text, 10);
    }
    var date = Date.parse(text);
    if (isNaN(date)) {
        return null;
    }
    return Math.max(0, Math.ceil((date - nowMillis) / 1000));
}

/**
 * @param {number} status HTTP status of the bridge's answer
 * @param {Object|null} problem the parsed ProblemDetails body
 * @returns {string} the result reason
 */
function reasonFor(status, problem) {
    if (REASON_BY_STATUS[status]) {
        return REASON_BY_STATUS[status];
    }
    if ((status === 400 || status === 422) && problem && hasEntries(problem.errors)) {
        return 'validation';
    }
    if (status >= 400 && status < 500) {
        return 'bad_request';
    }
    return 'upstream_error';
}

/**
 * Maps an HTTP answer that is not the expected success to a failure result.
 * @param {{status:number, text:string|null, retryAfter:string|null}} response what the bridge answered
 * @param {number} nowMillis the current time, for Retry-After dates
 * @returns {Object} the failure result
 */
function fromHttpResponse(response, nowMillis) {
    var problem = parseJson(response.text);
    return {
        ok: false,
        status: response.status,
        reason: reasonFor(response.status, problem),
        retryAfter: parseRetryAfter(response.retryAfter, nowMillis),
        errors: problem && hasEntries(problem.errors) ? problem.errors : null,
        detail: problem && typeof problem.detail === 'string' ? problem.detail
            : (problem && typeof problem.title === 'string' ? problem.title : null),
        traceId: problem && typeof problem.trace_id === 'string' ? problem.trace_id : null
    };
}

/**
 * A failure that never produced an HTTP status (connection refused, timeout, circuit open).
 * @param {string} reason one of 'network', 'upstream_timeout', 'upstream_unavailable', 'bad_request', 'upstream_error'
 * @param {string} detail what went wrong, free of secrets
 * @returns {Object} the failure result
 */
function failure(reason, detail) {
    return {
        ok: false,
        status: 0,
        reason: reason,
        retryAfter: null,
        errors: null,
        detail: detail,
        traceId: null
    };
}

module.exports = {
    fromHttpResponse: fromHttpResponse,
    failure: failure,
    parseRetryAfter: parseRetryAfter,
    reasonFor: reasonFor,
    parseJson: parseJson
};
