'use strict';

require('./dw/register');
const test = require('node:test');
const assert = require('node:assert/strict');

const mapping = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/problemMapping');

const NOW = Date.parse('2026-11-26T16:00:00Z');

function problem(status, extra) {
    return JSON.stringify(Object.assign({
        type: 'https://tools.ietf.org/html/rfc9110',
        title: 'Title ' + status,
        status,
        detail: 'Detail ' + status,
        trace_id: '00-abc-def-01'
    }, extra));
}

test('fromHttpResponse_EachContractStatus_MapsToItsReason', () => {
    const cases = [
        [400, 'bad_request'],
        [401, 'invalid_credentials'],
        [403, 'forbidden'],
        [404, 'bad_request'],
        [409, 'conflict'],
        [422, 'bad_request'],
        [429, 'rate_limited'],
        [500, 'upstream_error'],
        [502, 'upstream_error'],
        [503, 'upstream_unavailable'],
        [504, 'upstream_timeout']
    ];
    for (const [status, reason] of cases) {
        const result = mapping.fromHttpResponse({ status, text: problem(status), retryAfter: null }, NOW);
        assert.equal(result.reason, reason, `status ${status}`);
        assert.equal(result.status, status);
        assert.equal(result.ok, false);
    }
});

test('fromHttpResponse_ValidationProblem_ReturnsValidationWithErrors', () => {
    const errors = { email: ['The email field is not a valid e-mail address.'], first_name: ['Required.'] };
    const result = mapping.fromHttpResponse({ status: 400, text: problem(400, { errors }), retryAfter: null }, NOW);
    assert.deepEqual(result, {
        ok: false,
        status: 400,
        reason: 'validation',
        retryAfter: null,
        errors,
        detail: 'Detail 400',
        traceId: '00-abc-def-01'
    });
});

test('fromHttpResponse_400WithEmptyErrors_IsBadRequest', () => {
    const result = mapping.fromHttpResponse({ status: 400, text: problem(400, { errors: {} }), retryAfter: null }, NOW);
    assert.equal(result.reason, 'bad_request');
    assert.equal(result.errors, null);
});

test('fromHttpResponse_503WithRetryAfterSeconds_ReturnsSeconds', () => {
    const result = mapping.fromHttpResponse({ status: 503, text: problem(503), retryAfter: '30' }, NOW);
    assert.equal(result.reason, 'upstream_unavailable');
    assert.equal(result.retryAfter, 30);
});

test('fromHttpResponse_429WithRetryAfterDate_ReturnsSecondsUntilThen', () => {
    const result = mapping.fromHttpResponse({ status: 429, text: problem(429), retryAfter: 'Thu, 26 Nov 2026 16:00:45 GMT' }, NOW);
    assert.equal(result.reason, 'rate_limited');
    assert.equal(result.retryAfter, 45);
});

test('parseRetryAfter_PastDateOrGarbage_ReturnsZeroOrNull', () => {
    assert.equal(mapping.parseRetryAfter('Thu, 26 Nov 2026 15:00:00 GMT', NOW), 0);
    assert.equal(mapping.parseRetryAfter('soon', NOW), null);
    assert.equal(mapping.parseRetryAfter(null, NOW), null);
});

test('fromHttpResponse_NonJsonBody_KeepsStatusWithoutDetail', () => {
    const result = mapping.fromHttpResponse({ status: 502, text: '<html>Bad Gateway</html>', retryAfter: null }, NOW);
    assert.equal(result.reason, 'upstream_error');
    assert.equal(result.detail, null);
    assert.equal(result.traceId, null);
});

test('fromHttpResponse_ProblemWithoutDetail_FallsBackToTitle', () => {
    const result = mapping.fromHttpResponse({ status: 409, text: JSON.stringify({ title: 'Login already in use', status: 409 }), retryAfter: null }, NOW);
    assert.equal(result.detail, 'Login already in use');
});

test('failure_WithoutHttpAnswer_HasStatusZero', () => {
    assert.deepEqual(mapping.failure('network', 'refused'), {
        ok: false, status: 0, reason: 'network', retryAfter: null, errors: null, detail: 'refused', traceId: null
    });
});
