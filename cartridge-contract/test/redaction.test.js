'use strict';

require('./dw/register');
const test = require('node:test');
const assert = require('node:assert/strict');

const { redact } = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/redaction');
const { callbacks } = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/serviceDefinition');

const JWT = 'eyJfdiI6IjEiLCJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJfdiI6IjEiLCJleHAiOjE3MDEwODU2OTd9.c2lnbmF0dXJl';

test('redact_AuthorizationHeaderLine_HidesSchemeAndCredentials', () => {
    const text = redact('POST /login\r\nAuthorization: Basic YWxpY2VAZXhhbXBsZS5jb206czNjcmV0\r\nAccept: application/json');
    assert.equal(text, 'POST /login\r\nAuthorization: ***\r\nAccept: application/json');
});

test('redact_BearerAndBasicCredentialsInFreeText_AreMasked', () => {
    const text = redact('sent Bearer abc.def-ghi_jkl and Basic YWxpY2U6cHc= to the bridge');
    assert.equal(text, 'sent Bearer *** and Basic *** to the bridge');
});

test('redact_JsonWithPasswordAndToken_MasksOnlyTheSecretValues', () => {
    const text = redact(JSON.stringify({ login: 'alice@example.com', password: 'p"a\\ss', token: JWT, customer_no: '00001001' }));
    assert.deepEqual(JSON.parse(text), { login: 'alice@example.com', password: '***', token: '***', customer_no: '00001001' });
});

test('redact_JsonKeysInAnyCase_AreMasked', () => {
    const text = redact('{"Authorization":"Bearer x","Password":"y"}');
    assert.equal(text, '{"Authorization":"***","Password":"***"}');
});

test('redact_FormEncodedPassword_IsMasked', () => {
    assert.equal(redact('login=alice&password=s3cret&x=1'), 'login=alice&password=***&x=1');
});

test('redact_BareJwt_IsMasked', () => {
    assert.equal(redact(`token was ${JWT}.`), 'token was ***.');
});

test('redact_NullOrObject_ReturnsText', () => {
    assert.equal(redact(null), '');
    assert.equal(redact({ password: 'x' }), '{"password":"***"}');
});

test('filterLogMessage_CommunicationLogLine_RemovesEverySecret', () => {
    const line = `Authorization: Bearer ${JWT}\n{"login":"new@example.com","password":"Sup3r-Secret!","first_name":"Nia"}`;
    const filtered = callbacks.filterLogMessage(line);
    assert.ok(!filtered.includes('Sup3r-Secret!'));
    assert.ok(!filtered.includes(JWT));
    assert.ok(filtered.includes('"first_name":"Nia"'));
});

test('getRequestLogMessage_CreateBody_KeepsFieldsButNotPassword', () => {
    const body = JSON.stringify({ login: 'n@example.com', email: 'n@example.com', password: 'Sup3r-Secret!', first_name: 'N', last_name: 'M' });
    const logged = callbacks.getRequestLogMessage(body);
    assert.ok(!logged.includes('Sup3r-Secret!'));
    assert.equal(JSON.parse(logged).email, 'n@example.com');
});

test('getResponseLogMessage_LoginAnswer_HidesOmneoToken', () => {
    const logged = callbacks.getResponseLogMessage({ text: JSON.stringify({ token: JWT, expiry: '2026-11-26T16:30:00Z', guest: false }) });
    assert.ok(!logged.includes(JWT));
    assert.ok(logged.includes('2026-11-26T16:30:00Z'));
});

test('redact_JsonEmbeddedInAJsonString_MasksTheEscapedSecrets', () => {
    const inner = JSON.stringify({ login: 'n', password: 'Sup3r-Secret!', token: 'abc' });
    const text = redact(JSON.stringify({ body: inner }));
    assert.ok(!text.includes('Sup3r-Secret!'));
    assert.deepEqual(JSON.parse(JSON.parse(text).body), { login: 'n', password: '***', token: '***' });
});
