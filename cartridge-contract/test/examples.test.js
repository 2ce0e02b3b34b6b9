'use strict';

// Checks the example exchanges in ../examples: their shape always, and, when BRIDGE_URL points at
// a bridge in sandbox mode, that the bridge answers each one as written. The placeholder rules
// implemented here are the ones described in examples/README.md.

const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES = path.resolve(__dirname, '../examples');
const BRIDGE_URL = (process.env.BRIDGE_URL || '').replace(/\/+$/, '');

const EXPECTED = [
    'login-credentials', 'login-token-registered', 'login-guest', 'create', 'create-conflict',
    'create-invalid-body', 'create-registered-token', 'login-bad-credentials', 'login-malformed-header',
    'upstream-unavailable', 'upstream-timeout', 'upstream-bad-gateway', 'idempotency-key-reuse',
    'login-storefront', 'login-storefront-refused', 'login-slas-guest', 'login-slas-registered', 'create-slas-token'
];
const STATUSES = {
    '/login': [200, 400, 401, 429, 502, 503, 504],
    '/login/storefront': [200, 400, 401, 404, 429, 502, 503, 504],
    '/create': [201, 400, 401, 403, 409, 422, 502, 503, 504]
};
// Need the upstream to fail, which the sandbox cannot be told to do from outside.
const NEEDS_FAULT_INJECTION = ['upstream-unavailable', 'upstream-timeout', 'upstream-bad-gateway'];

const examples = new Map(fs.readdirSync(EXAMPLES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [path.basename(file, '.json'), JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'))]));

test('examples_EveryContractCaseHasOneFile', () => {
    assert.deepEqual([...examples.keys()].sort(), [...EXPECTED].sort());
});

for (const [file, example] of examples) {
    test(`example_${file}_IsWellFormedAndWithinTheContract`, () => {
        assert.deepEqual(Object.keys(example).sort(), ['name', 'request', 'response']);
        assert.equal(example.name, file);
        const { request, response } = example;
        assert.deepEqual(Object.keys(request).sort(), ['body', 'headers', 'method', 'path']);
        assert.deepEqual(Object.keys(response).sort(), ['body', 'headers', 'status']);
        assert.equal(request.method, 'POST');
        assert.ok(STATUSES[request.path], `unknown path ${request.path}`);
        assert.ok(STATUSES[request.path].includes(response.status), `${response.status} is not a ${request.path} status`);
        if (request.path === '/login') {
            assert.equal(request.body, null);
        } else {
            assert.equal(typeof request.body, 'object');
            assert.equal(request.headers['Content-Type'], 'application/json');
        }
        if (response.status >= 400) {
            assert.equal(response.headers['Content-Type'], 'application/problem+json');
            for (const field of ['type', 'title', 'status', 'detail', 'trace_id']) {
                assert.ok(field in response.body, `problem without ${field}`);
            }
            assert.equal(response.body.status, response.status);
        } else {
            assert.equal(response.headers['Content-Type'], 'application/json');
        }
        if (response.status === 429 || response.status === 503) {
            assert.equal(response.headers['Retry-After'], '<seconds>');
        }
        if (response.status === 401) {
            assert.ok('WWW-Authenticate' in response.headers);
        }
    });
}

// Placeholder matching for the replay below (rules in examples/README.md).
function matches(expected, actual, context, resolve) {
    if (typeof expected === 'string' && /^<[^<>]+>$/.test(expected)) {
        return matchPlaceholder(expected.slice(1, -1), actual, context, resolve);
    }
    if (Array.isArray(expected)) {
        if (!Array.isArray(actual)) return `${context}: expected an array, got ${JSON.stringify(actual)}`;
        if (expected.length === 1 && typeof expected[0] === 'string' && /^<[^<>]+>$/.test(expected[0])) {
            if (actual.length === 0) return `${context}: expected a non-empty array`;
            for (let i = 0; i < actual.length; i++) {
                const problem = matches(expected[0], actual[i], `${context}[${i}]`, resolve);
                if (problem) return problem;
            }
            return null;
        }
        if (expected.length !== actual.length) return `${context}: expected ${expected.length} items`;
        for (let i = 0; i < expected.length; i++) {
            const problem = matches(expected[i], actual[i], `${context}[${i}]`, resolve);
            if (problem) return problem;
        }
        return null;
    }
    if (expected !== null && typeof expected === 'object') {
        if (actual === null || typeof actual !== 'object') return `${context}: expected an object, got ${JSON.stringify(actual)}`;
        for (const key of Object.keys(expected)) {
            if (!(key in actual)) return `${context}.${key} is missing`;
            const problem = matches(expected[key], actual[key], `${context}.${key}`, resolve);
            if (problem) return problem;
        }
        return null;
    }
    return expected === actual ? null : `${context}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

function matchPlaceholder(name, actual, context, resolve) {
    const nonEmpty = typeof actual === 'string' && actual.length > 0;
    const checks = {
        jwt: () => typeof actual === 'string' && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(actual),
        'date-time': () => typeof actual === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(actual) && Date.parse(actual) > Date.now(),
        string: () => nonEmpty,
        'trace-id': () => nonEmpty,
        'customer-no': () => nonEmpty,
        'profile-id': () => nonEmpty,
        'profile-id-or-null': () => actual === null || nonEmpty,
        seconds: () => typeof actual === 'string' && /^\d+$/.test(actual)
    };
    if (checks[name]) {
        return checks[name]() ? null : `${context}: ${JSON.stringify(actual)} is not a <${name}>`;
    }
    const value = resolve(name);
    return value === actual ? null : `${context}: expected ${JSON.stringify(value)} (<${name}>), got ${JSON.stringify(actual)}`;
}

describe('examples replayed against the sandbox bridge', { skip: BRIDGE_URL ? false : 'BRIDGE_URL is not set: examples are only checked for shape' }, () => {
    let sandbox;

    before(async () => {
        const response = await fetch(`${BRIDGE_URL}/sandbox`);
        assert.equal(response.status, 200, `GET ${BRIDGE_URL}/sandbox answered ${response.status}`);
        sandbox = await response.json();
    });

    function demoCustomer(login) {
        const customer = sandbox.demo_customers.find((candidate) => candidate.login === login);
        assert.ok(customer, `/sandbox lists no demo customer ${login}`);
        return customer;
    }

    async function storefrontKey() {
        const response = await fetch(`${BRIDGE_URL}/sandbox/storefront`);
        assert.equal(response.status, 200, 'the sandbox lists no storefront key');
        return response.json();
    }

    async function sfccToken(body, authorization) {
        const headers = { 'x-dw-client-id': sandbox.sfcc_client_id, 'Content-Type': 'application/json' };
        if (authorization) headers.Authorization = authorization;
        const response = await fetch(`${sandbox.sfcc_shop_url}/customers/auth`, { method: 'POST', headers, body: JSON.stringify(body) });
        const value = response.headers.get('authorization') || '';
        return response.status === 200 && value.startsWith('Bearer ') ? value.slice('Bearer '.length) : null;
    }

    // The simulated SLAS: a guest token (client_credentials), or a registered one by the trusted-system on-behalf-of grant.
    async function slasToken(login) {
        const form = new URLSearchParams({ grant_type: 'client_credentials', channel_id: sandbox.site_id });
        if (login) {
            form.set('hint', 'ts_ext_on_behalf_of');
            form.set('idp_origin', 'ecom');
            form.set('login_id', login);
        }
        const client = Buffer.from(`${sandbox.slas_client_id}:${sandbox.slas_client_secret}`).toString('base64');
        const response = await fetch(`${sandbox.slas_auth_url}/${login ? 'trusted-system/token' : 'token'}`, {
            method: 'POST', headers: { Authorization: `Basic ${client}` }, body: form
        });
        assert.equal(response.status, 200, `the simulated SLAS issued no ${login ? 'registered' : 'guest'} token`);
        return (await response.json()).access_token;
    }

    // Values for request placeholders, fixed for the duration of one example.
    async function resolverFor(example) {
        const values = { 'unix-seconds': Math.floor(Date.now() / 1000), 'unique-login': `example-${Date.now()}-${crypto.randomBytes(4).toString('hex')}@example.com`, 'unique-key': crypto.randomUUID() };
        const wanted = new Set(JSON.stringify(example).match(/<[^<>"]+>/g) || []);
        for (const token of wanted) {
            const name = token.slice(1, -1);
            if (name === 'guest-sfcc-jwt') {
                values[name] = await sfccToken({ type: 'guest' });
                assert.ok(values[name], 'simulated SFCC issued no guest token');
            } else if (name.startsWith('registered-sfcc-jwt:')) {
                const customer = demoCustomer(name.slice('registered-sfcc-jwt:'.length));
                values[name] = await sfccToken({ type: 'credentials' },
                    'Basic ' + Buffer.from(`${customer.login}:${customer.password}`).toString('base64'));
            } else if (name === 'slas-guest-jwt') {
                values[name] = await slasToken(null);
            } else if (name.startsWith('slas-registered-jwt:')) {
                values[name] = await slasToken(demoCustomer(name.slice('slas-registered-jwt:'.length)).login);
            } else if (name.startsWith('credentials:')) {
                const [login, ...rest] = name.slice('credentials:'.length).split(':');
                const password = rest.length ? rest.join(':') : demoCustomer(login).password;
                values[name] = Buffer.from(`${login}:${password}`).toString('base64');
            } else if (name.startsWith('customer-no:')) {
                values[name] = demoCustomer(name.slice('customer-no:'.length)).customer_no;
            } else if (name === 'storefront-key-id') {
                values[name] = (await storefrontKey()).key_id;
            }
        }
        return (name) => {
            assert.ok(name in values, `no value for <${name}>`);
            return values[name];
        };
    }

    function substitute(value, resolve) {
        // Whole-value placeholders keep their type (the timestamp is a JSON number).
        if (typeof value === 'string' && /^<(unix-seconds|storefront-key-id|customer-no:[^<>]+)>$/.test(value)) {
            return resolve(value.slice(1, -1));
        }
        if (typeof value === 'string') {
            return value.replace(/<(unique-login|unique-key|guest-sfcc-jwt|registered-sfcc-jwt:[^<>]+|slas-guest-jwt|slas-registered-jwt:[^<>]+|credentials:[^<>]+)>/g, (all, name) => resolve(name));
        }
        if (Array.isArray(value)) return value.map((item) => substitute(item, resolve));
        if (value !== null && typeof value === 'object') {
            return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, resolve)]));
        }
        return value;
    }

    async function send(request, resolve) {
        const concrete = substitute(request, resolve);
        const body = concrete.body === null ? undefined : JSON.stringify(concrete.body);
        if (concrete.headers['X-Storefront-Signature'] === '<storefront-signature>') {
            // The storefront signs exactly the bytes it sends.
            const { secret } = await storefrontKey();
            concrete.headers['X-Storefront-Signature'] = crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex');
        }
        return fetch(BRIDGE_URL + concrete.path, { method: concrete.method, headers: concrete.headers, body });
    }

    // State an example's request relies on, set up through the bridge itself.
    const PRECONDITIONS = {
        'idempotency-key-reuse': async (example, resolve) => {
            const first = structuredClone(example.request);
            first.body.first_name = examples.get('create').request.body.first_name;
            assert.notDeepEqual(first.body, example.request.body);
            const response = await send(first, resolve);
            assert.equal(response.status, 201, 'the first use of the Idempotency-Key was not accepted');
        }
    };

    for (const [file, example] of examples) {
        test(`replay_${file}_BridgeAnswersAsWritten`, async (t) => {
            if (NEEDS_FAULT_INJECTION.includes(file)) {
                t.skip('needs a failing upstream: covered by the C# tests');
                return;
            }
            const resolve = await resolverFor(example);
            const registered = (JSON.stringify(example).match(/<(registered-sfcc-jwt:[^<>]+)>/) || [])[1];
            if (registered && !resolve(registered)) {
                t.skip('the simulated SFCC does not issue registered tokens ({"type":"credentials"})');
                return;
            }
            if (PRECONDITIONS[file]) {
                await PRECONDITIONS[file](example, resolve);
            }

            const response = await send(example.request, resolve);

            assert.equal(response.status, example.response.status);
            for (const [name, expected] of Object.entries(example.response.headers)) {
                const actual = response.headers.get(name);
                assert.ok(actual !== null, `header ${name} is missing`);
                const comparable = name.toLowerCase() === 'content-type' ? actual.split(';')[0].trim() : actual;
                const problem = matches(expected, comparable, `header ${name}`, resolve);
                assert.equal(problem, null, problem);
            }
            const body = await response.json();
            const problem = matches(example.response.body, body, 'body', resolve);
            assert.equal(problem, null, problem);
        });
    }
});
