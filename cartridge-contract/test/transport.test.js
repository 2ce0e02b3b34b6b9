'use strict';

// Runs the cartridge's service definition and client through the LocalServiceRegistry stand-in
// against a scripted HTTP server. The server lives in a child process because service.call()
// blocks this process's event loop while the request is in flight, as it does on SFCC.

require('./dw/register');
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { once } = require('node:events');

const LocalServiceRegistry = require('dw/svc/LocalServiceRegistry');
const serviceDefinition = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/serviceDefinition');
const bridgeClient = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/client');
const tokenCache = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/tokenCache');

const SERVER = `
const http = require('node:http');
const problem = (status, extra) => JSON.stringify(Object.assign({ type: 'about:blank', title: 'T', status, detail: 'D', trace_id: 't-' + status }, extra));
const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        const scenario = req.url.split('/')[1];
        if (scenario === 'echo') {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
        } else if (scenario === 'unavailable') {
            res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '7' });
            res.end(problem(503));
        } else if (scenario === 'invalid') {
            res.writeHead(400, { 'Content-Type': 'application/problem+json' });
            res.end(problem(400, { errors: { email: ['The email is not valid.'] } }));
        } else if (scenario === 'ok') {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ token: 'omneo', expiry: '2099-01-01T00:00:00Z', profile_id: '9', customer_no: '00000009', guest: false }));
        } else if (scenario === 'slow') {
            setTimeout(() => { res.writeHead(200); res.end('{}'); }, 3000);
        } else {
            res.writeHead(404);
            res.end();
        }
    });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

let server;
let baseUrl;

test.before(async () => {
    server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [chunk] = await once(server.stdout, 'data');
    baseUrl = `http://127.0.0.1:${String(chunk).trim()}`;
});

test.after(() => {
    server.kill();
});

test.beforeEach(() => LocalServiceRegistry.testing.reset());

function clientAt(url, timeoutMillis) {
    LocalServiceRegistry.testing.configure(serviceDefinition.SERVICE_ID, { url, timeoutMillis: timeoutMillis || 5000 });
    const store = new Map();
    return bridgeClient.createClient({
        tokenCache: tokenCache.createTokenCache({ get: (k) => store.get(k), put: (k, v) => store.set(k, v), invalidate: (k) => store.delete(k) }, Date.now)
    });
}

test('createRequest_CreateCall_PostsJsonWithHeadersToBasePlusPath', () => {
    LocalServiceRegistry.testing.configure(serviceDefinition.SERVICE_ID, { url: `${baseUrl}/echo/`, timeoutMillis: 5000 });

    const result = serviceDefinition.getService().call({
        path: '/create',
        headers: { Authorization: 'Bearer guest-jwt', 'Idempotency-Key': 'k-1' },
        body: { login: 'n@example.com', first_name: 'Nia' }
    });

    assert.equal(result.ok, true);
    const received = JSON.parse(result.object.text);
    assert.equal(received.method, 'POST');
    assert.equal(received.url, '/echo/create');
    assert.equal(received.headers.authorization, 'Bearer guest-jwt');
    assert.equal(received.headers['idempotency-key'], 'k-1');
    assert.equal(received.headers['content-type'], 'application/json');
    assert.match(received.headers.accept, /application\/problem\+json/);
    assert.deepEqual(JSON.parse(received.body), { login: 'n@example.com', first_name: 'Nia' });
});

test('createRequest_LoginCall_SendsNoBodyAndNoContentType', () => {
    LocalServiceRegistry.testing.configure(serviceDefinition.SERVICE_ID, { url: `${baseUrl}/echo`, timeoutMillis: 5000 });

    const result = serviceDefinition.getService().call({ path: '/login', headers: { Authorization: 'Basic eDp5' }, body: null });

    const received = JSON.parse(result.object.text);
    assert.equal(received.url, '/echo/login');
    assert.equal(received.body, '');
    assert.equal(received.headers['content-type'], undefined);
});

test('login_BridgeAnswers200_ReturnsSuccessAndCountsOneCall', () => {
    const result = clientAt(`${baseUrl}/ok`).login({ token: 'sfcc-jwt' });
    assert.equal(result.ok, true);
    assert.equal(result.customerNo, '00000009');
    assert.equal(LocalServiceRegistry.testing.callCount(serviceDefinition.SERVICE_ID), 1);
});

test('login_Bridge503WithRetryAfter_ReadsTheHeaderFromTheServiceClient', () => {
    const result = clientAt(`${baseUrl}/unavailable`).login({ login: 'alice@example.com', password: 'pw' });
    assert.equal(result.reason, 'upstream_unavailable');
    assert.equal(result.status, 503);
    assert.equal(result.retryAfter, 7);
    assert.equal(result.traceId, 't-503');
});

test('create_Bridge400WithErrors_ReturnsValidation', () => {
    const result = clientAt(`${baseUrl}/invalid`).create('guest-jwt', { login: 'x', email: 'nope' });
    assert.equal(result.reason, 'validation');
    assert.deepEqual(result.errors, { email: ['The email is not valid.'] });
});

test('login_BridgeSlowerThanProfileTimeout_ReturnsUpstreamTimeout', () => {
    const result = clientAt(`${baseUrl}/slow`, 300).login({ token: 'sfcc-jwt' });
    assert.equal(result.reason, 'upstream_timeout');
    assert.equal(result.status, 0);
});

test('login_NothingListening_ReturnsNetwork', () => {
    const result = clientAt('http://127.0.0.1:1').login({ token: 'sfcc-jwt' });
    assert.equal(result.reason, 'network');
    assert.equal(result.status, 0);
});

test('login_MockMode_AnswersFromMockCallWithoutHttp', () => {
    LocalServiceRegistry.testing.configure(serviceDefinition.SERVICE_ID, { url: 'http://127.0.0.1:1', mock: true });
    const client = bridgeClient.createClient({ tokenCache: tokenCache.createTokenCache({ get: () => null, put: () => {}, invalidate: () => {} }, Date.now) });

    const login = client.login({ login: 'alice@example.com', password: 'pw' });
    const created = client.create('guest-jwt', { login: 'n' });

    assert.equal(login.ok, true);
    assert.equal(login.token, 'mock-omneo-token');
    assert.deepEqual(created, { ok: true, status: 201, customerNo: '00009999', profileId: 'mock-profile' });
});

test('communicationLog_CredentialsLogin_HoldsNoPassword', () => {
    clientAt(`${baseUrl}/ok`).login({ login: 'alice@example.com', password: 'Sup3r-Secret!' });
    clientAt(`${baseUrl}/echo`).create('guest-jwt', { login: 'n', password: 'Sup3r-Secret!' });

    const log = LocalServiceRegistry.testing.communicationLog().join('\n');
    assert.ok(log.length > 0);
    assert.ok(!log.includes('Sup3r-Secret!'));
    assert.ok(!log.includes('"token":"omneo"'));
});
