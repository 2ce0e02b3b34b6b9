'use strict';

// The signed storefront login run for real against the sandbox bridge, src/OmneoSfccBridge.Sandbox (see sandbox.test.js).
// The storefront key comes from GET {BRIDGE_URL}/sandbox/storefront, as a merchant's would come from
// the service credential. Without BRIDGE_URL the suite is skipped.

require('./dw/register');
const sfra = require('./sfra/register');
const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');

const LocalServiceRegistry = require('dw/svc/LocalServiceRegistry');
const Logger = require('dw/system/Logger');
const CustomerMgr = require('dw/customer/CustomerMgr');
const CSRFProtection = require('dw/web/CSRFProtection');
const Site = require('dw/system/Site');
const serviceDefinition = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/serviceDefinition');
const bridgeClient = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/client');

const BRIDGE_URL = (process.env.BRIDGE_URL || '').replace(/\/+$/, '');
const SKIP = BRIDGE_URL ? false : 'BRIDGE_URL is not set: the signed storefront login runs only against a sandbox bridge';

let sandbox;
let key;

function configure(secret) {
    LocalServiceRegistry.testing.configure(serviceDefinition.STOREFRONT_SERVICE_ID, {
        url: BRIDGE_URL, timeoutMillis: 15000, user: key.keyId, password: secret
    });
}

describe('sandbox bridge: signed storefront login', { skip: SKIP }, () => {
    before(async () => {
        sandbox = await (await fetch(`${BRIDGE_URL}/sandbox`)).json();
        const response = await fetch(`${BRIDGE_URL}/sandbox/storefront`);
        assert.equal(response.status, 200, `GET /sandbox/storefront answered ${response.status}`);
        const body = await response.json();
        key = { keyId: body.key_id || body.keyId, secret: body.secret };
        assert.ok(key.keyId && key.secret, `unexpected /sandbox/storefront body: ${Object.keys(body)}`);
    });

    test('storefrontLogin_DemoCustomer_ReturnsThatCustomersToken', () => {
        configure(key.secret);
        const demo = sandbox.demo_customers[0];

        const result = bridgeClient.createClient().storefrontLogin(demo.customer_no);

        assert.equal(result.ok, true, JSON.stringify(result));
        assert.equal(result.customerNo, demo.customer_no);
        assert.equal(result.guest, false);
        assert.ok(Date.parse(result.expiry) > Date.now());
        const logged = Logger.testing.entries().map((entry) => entry.message)
            .concat(LocalServiceRegistry.testing.communicationLog()).join('\n');
        assert.ok(!logged.includes(key.secret), 'the storefront secret reached a log');
        assert.ok(!logged.includes(result.token), 'the Omneo token reached a log');
    });

    test('pluginAccountLogin_DemoCustomer_SessionGetsTheSandboxTokenAndTheEndpointAnswersIt', async () => {
        configure(key.secret);
        const demo = sandbox.demo_customers[0];
        sfra.resetGlobals();
        CustomerMgr.testing.reset();
        CustomerMgr.testing.addCustomer({ login: demo.login, password: demo.password, customerNo: demo.customer_no });
        Site.testing.setPreferences({ omneoBridgeEnabled: true, omneoBridgeOmneoUrl: sandbox.omneo_url });
        const csrf = () => ({ [CSRFProtection.getTokenName()]: CSRFProtection.generateToken() });

        const login = sfra.request('Account-Login', { method: 'POST', form: Object.assign({ loginEmail: demo.login, loginPassword: demo.password }, csrf()) });
        const answered = sfra.request('OmneoBridge-Token', { method: 'POST', form: csrf() });

        assert.equal(login.res.viewData.success, true);
        assert.equal(session.privacy.omneoBridgeCustomerNo, demo.customer_no);
        assert.equal(answered.res.statusCode, 200, JSON.stringify(answered.res.viewData));
        assert.equal(answered.res.viewData.token, session.privacy.omneoBridgeToken);
        const bridgeCalls = LocalServiceRegistry.testing.calls();
        assert.ok(bridgeCalls.length > 0 && bridgeCalls.every((call) => call.url === `${BRIDGE_URL}/login/storefront`));
        assert.ok(!JSON.stringify(bridgeCalls).includes(demo.password), 'the password reached the bridge');
    });

    test('storefrontLogin_WrongSecret_IsRefusedAsInvalidCredentials', () => {
        configure(key.secret + '-wrong');

        const result = bridgeClient.createClient().storefrontLogin(sandbox.demo_customers[0].customer_no);

        assert.equal(result.ok, false);
        assert.equal(result.status, 401);
        assert.equal(result.reason, 'invalid_credentials');
    });

    test('storefrontLogin_CustomerUnknownToSfcc_IsRefused', () => {
        configure(key.secret);

        const result = bridgeClient.createClient().storefrontLogin('99999999');

        assert.equal(result.ok, false);
        assert.equal(result.status, 401);
    });
});
