'use strict';

// Runs the cartridge client against a real bridge in sandbox mode (simulated SFCC and Omneo).
// Needs BRIDGE_URL, e.g. BRIDGE_URL=http://127.0.0.1:5000 after
// `dotnet run --project src/OmneoSfccBridge.Sandbox`. Without it the suite is skipped.

require('./dw/register');
const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const LocalServiceRegistry = require('dw/svc/LocalServiceRegistry');
const Logger = require('dw/system/Logger');
const serviceDefinition = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/serviceDefinition');
const omneoBridge = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/client');

const BRIDGE_URL = (process.env.BRIDGE_URL || '').replace(/\/+$/, '');
const SKIP = BRIDGE_URL ? false
    : 'BRIDGE_URL is not set: start the bridge with `dotnet run --project src/OmneoSfccBridge.Sandbox` '
      + 'and run with BRIDGE_URL=http://127.0.0.1:5000 to include the sandbox tests';

const NEW_PASSWORD = 'Contract-Test-Passw0rd!';

// Everything secret that passes through a test, checked against the logs at the end.
const secrets = new Set([NEW_PASSWORD]);

let sandbox;
let demo;

function uniqueLogin() {
    return `contract-${Date.now()}-${crypto.randomBytes(4).toString('hex')}@example.com`;
}

function callCount() {
    return LocalServiceRegistry.testing.callCount(serviceDefinition.SERVICE_ID);
}

async function sfccAuth(body, headers) {
    return fetch(`${sandbox.sfcc_shop_url}/customers/auth`, {
        method: 'POST',
        headers: Object.assign({ 'x-dw-client-id': sandbox.sfcc_client_id, 'Content-Type': 'application/json' }, headers),
        body: JSON.stringify(body)
    });
}

async function guestToken() {
    const response = await sfccAuth({ type: 'guest' });
    assert.equal(response.status, 200, 'simulated SFCC refused a guest token');
    const authorization = response.headers.get('authorization');
    assert.match(authorization || '', /^Bearer \S+$/, 'simulated SFCC sent no Authorization: Bearer header');
    const token = authorization.slice('Bearer '.length);
    secrets.add(token);
    return token;
}

// A registered customer's SFCC token; null when the simulated SFCC offers guest tokens only.
async function registeredToken(customer) {
    const basic = Buffer.from(`${customer.login}:${customer.password}`).toString('base64');
    const response = await sfccAuth({ type: 'credentials' }, { Authorization: `Basic ${basic}` });
    const authorization = response.headers.get('authorization');
    if (response.status !== 200 || !/^Bearer \S+$/.test(authorization || '')) {
        return null;
    }
    const token = authorization.slice('Bearer '.length);
    secrets.add(token);
    return token;
}

function remember(result) {
    if (result.ok && result.token) {
        secrets.add(result.token);
    }
    return result;
}

function newCustomer(login) {
    return { login, email: login, password: NEW_PASSWORD, firstName: 'Contract', lastName: 'Test' };
}

describe('sandbox bridge', { skip: SKIP }, () => {
    before(async () => {
        const response = await fetch(`${BRIDGE_URL}/sandbox`);
        assert.equal(response.status, 200, `GET ${BRIDGE_URL}/sandbox answered ${response.status}: is the sandbox bridge (src/OmneoSfccBridge.Sandbox) running?`);
        sandbox = await response.json();
        demo = sandbox.demo_customers && sandbox.demo_customers[0];
        if (demo) {
            secrets.add(demo.password);
        }
        LocalServiceRegistry.testing.configure(serviceDefinition.SERVICE_ID, { url: BRIDGE_URL, timeoutMillis: 15000 });
    });

    test('sandbox_Description_HasTheShapeTheTestsRelyOn', () => {
        assert.match(sandbox.sfcc_shop_url, /^https?:\/\/.+\/s\/[^/]+\/dw\/shop\/v\d+_\d+$/);
        assert.equal(typeof sandbox.sfcc_client_id, 'string');
        assert.ok(sandbox.sfcc_client_id.length > 0);
        assert.match(sandbox.omneo_url, /^https?:\/\//);
        assert.ok(Array.isArray(sandbox.demo_customers) && sandbox.demo_customers.length > 0);
        for (const customer of sandbox.demo_customers) {
            assert.equal(typeof customer.login, 'string');
            assert.equal(typeof customer.password, 'string');
            assert.match(customer.customer_no, /^\S+$/);
        }
    });

    test('login_DemoCustomerCredentials_ReturnsTokenForThatCustomer', () => {
        const result = remember(omneoBridge.login({ login: demo.login, password: demo.password }));

        assert.equal(result.ok, true, JSON.stringify(result));
        assert.ok(result.token.length > 0);
        assert.ok(Date.parse(result.expiry) > Date.now(), `expiry ${result.expiry} is not in the future`);
        assert.equal(result.customerNo, demo.customer_no);
        assert.equal(result.guest, false);
        assert.ok(result.profileId === null || typeof result.profileId === 'string');
    });

    test('login_WrongPassword_ReturnsInvalidCredentials', () => {
        const result = omneoBridge.login({ login: demo.login, password: demo.password + '-wrong' });

        assert.equal(result.ok, false);
        assert.equal(result.status, 401);
        assert.equal(result.reason, 'invalid_credentials');
        assert.equal(typeof result.traceId, 'string');
    });

    test('login_UnknownAccount_AnswersExactlyLikeAWrongPassword', () => {
        const unknown = omneoBridge.login({ login: uniqueLogin(), password: 'whatever-Passw0rd' });
        const wrong = omneoBridge.login({ login: demo.login, password: demo.password + '-wrong' });

        assert.equal(unknown.status, 401);
        assert.equal(unknown.reason, wrong.reason);
        assert.equal(unknown.detail, wrong.detail);
    });

    test('login_TokenSfccDidNotIssue_ReturnsInvalidCredentials', () => {
        const result = omneoBridge.login({ token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.bm90LWEtc2lnbmF0dXJl' });
        assert.equal(result.status, 401);
        assert.equal(result.reason, 'invalid_credentials');
    });

    test('login_GuestToken_ReturnsAnonymousToken', async () => {
        const token = await guestToken();

        const result = remember(omneoBridge.login({ token }));

        assert.equal(result.ok, true, JSON.stringify(result));
        assert.equal(result.guest, true);
        assert.equal(result.profileId, null);
        assert.equal(result.customerNo, null);
        assert.ok(result.token.length > 0);
    });

    test('login_SameSfccTokenWithinExpiry_SecondLoginMakesNoHttpCall', async () => {
        const token = await guestToken();

        const first = remember(omneoBridge.login({ token }));
        const callsAfterFirst = callCount();
        const second = omneoBridge.login({ token });

        assert.equal(first.ok, true, JSON.stringify(first));
        assert.equal(callCount(), callsAfterFirst, 'the second login reached the bridge');
        assert.deepEqual(second, first);
    });

    test('login_RegisteredSfccToken_ReturnsThatCustomer', async (t) => {
        const token = await registeredToken(demo);
        if (!token) {
            t.skip('the simulated SFCC does not issue registered tokens ({"type":"credentials"})');
            return;
        }

        const result = remember(omneoBridge.login({ token }));

        assert.equal(result.ok, true, JSON.stringify(result));
        assert.equal(result.guest, false);
        assert.equal(result.customerNo, demo.customer_no);
        assert.equal(omneoBridge.getCachedToken(demo.customer_no).token, result.token);
    });

    test('create_NewGuest_Returns201AndTheNewCredentialsLogIn', async () => {
        const login = uniqueLogin();

        const created = omneoBridge.create(await guestToken(), newCustomer(login), crypto.randomUUID());

        assert.equal(created.ok, true, JSON.stringify(created));
        assert.equal(created.status, 201);
        assert.ok(created.customerNo.length > 0);

        const loggedIn = remember(omneoBridge.login({ login, password: NEW_PASSWORD }));
        assert.equal(loggedIn.ok, true, JSON.stringify(loggedIn));
        assert.equal(loggedIn.customerNo, created.customerNo);
        assert.equal(loggedIn.guest, false);
        if (created.profileId !== null) {
            assert.equal(loggedIn.profileId, created.profileId);
        }
    });

    test('create_LoginAlreadyInUse_ReturnsConflict', async () => {
        const login = uniqueLogin();
        const first = omneoBridge.create(await guestToken(), newCustomer(login));
        assert.equal(first.ok, true, JSON.stringify(first));

        const again = omneoBridge.create(await guestToken(), newCustomer(login));

        assert.equal(again.ok, false);
        assert.equal(again.status, 409);
        assert.equal(again.reason, 'conflict');
    });

    test('create_DemoCustomersLogin_ReturnsConflict', async () => {
        const result = omneoBridge.create(await guestToken(), newCustomer(demo.login));
        assert.equal(result.status, 409);
        assert.equal(result.reason, 'conflict');
    });

    test('create_InvalidBody_ReturnsValidationWithFieldErrors', async () => {
        const result = omneoBridge.create(await guestToken(), {
            login: '', email: 'not-an-email', password: NEW_PASSWORD, firstName: '', lastName: ''
        });

        assert.equal(result.ok, false);
        assert.equal(result.status, 400);
        assert.equal(result.reason, 'validation');
        for (const field of ['login', 'email', 'first_name', 'last_name']) {
            assert.ok(Array.isArray(result.errors[field]) && result.errors[field].length > 0,
                `no error for ${field} in ${JSON.stringify(result.errors)}`);
        }
    });

    test('create_SameIdempotencyKeyAndBody_ReplaysTheOriginal201', async () => {
        const token = await guestToken();
        const key = crypto.randomUUID();
        const customer = newCustomer(uniqueLogin());

        const first = omneoBridge.create(token, customer, key);
        const replay = omneoBridge.create(token, customer, key);

        assert.equal(first.ok, true, JSON.stringify(first));
        assert.deepEqual(replay, first);
    });

    test('create_SameIdempotencyKeyDifferentBody_Returns422', async () => {
        const token = await guestToken();
        const key = crypto.randomUUID();
        const first = omneoBridge.create(token, newCustomer(uniqueLogin()), key);
        assert.equal(first.ok, true, JSON.stringify(first));

        const reused = omneoBridge.create(token, newCustomer(uniqueLogin()), key);

        assert.equal(reused.ok, false);
        assert.equal(reused.status, 422);
        assert.equal(reused.reason, 'bad_request');
    });

    test('create_RegisteredCustomersToken_ReturnsForbidden', async (t) => {
        const token = await registeredToken(demo);
        if (!token) {
            t.skip('the simulated SFCC does not issue registered tokens ({"type":"credentials"})');
            return;
        }

        const result = omneoBridge.create(token, newCustomer(uniqueLogin()));

        assert.equal(result.status, 403);
        assert.equal(result.reason, 'forbidden');
    });

    test('logs_AfterTheSandboxRun_HoldNoPasswordOrToken', () => {
        const logged = Logger.testing.entries().map((entry) => entry.message)
            .concat(LocalServiceRegistry.testing.communicationLog())
            .join('\n');
        assert.ok(logged.length > 0, 'nothing was logged');
        for (const secret of secrets) {
            assert.ok(!logged.includes(secret), 'a password or token reached the logs');
        }
    });
});
