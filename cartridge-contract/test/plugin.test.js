'use strict';

// plugin_omneo_bridge driven through the SFRA stand-ins (test/sfra): each extended route, the token
// endpoint, the footer hook and its templates. The bridge is a scripted server in a child process that
// checks the storefront signature and records every request, so the tests can prove no password ever
// reaches it.

require('./sfra/register');
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { once } = require('node:events');

const sfra = require('./sfra/register');
const CustomerMgr = require('dw/customer/CustomerMgr');
const CSRFProtection = require('dw/web/CSRFProtection');
const ISML = require('dw/template/ISML');
const Logger = require('dw/system/Logger');
const Site = require('dw/system/Site');
const LocalServiceRegistry = require('dw/svc/LocalServiceRegistry');
const isml = require('./sfra/isml');

const PLUGIN = path.resolve(__dirname, '../plugin_omneo_bridge');
const KEY_ID = 'plugin-test-key';
const SECRET = 'plugin-test-secret-0123456789abcdef0123456789';
const PASSWORD = 'Plugin-Passw0rd!';
const ALICE = { login: 'alice@example.com', password: PASSWORD, customerNo: '00000501', external: 'Google:alice-google' };
const PREFERENCES = {
    omneoBridgeEnabled: true,
    omneoBridgeOmneoUrl: 'https://id.omneo.example',
    omneoBridgeRefreshMarginSeconds: 120
};

// The bridge: POST /{scenario}/login/storefront. Scenarios: ok-<seconds> (token valid that long),
// down (503 problem with Retry-After). GET /_requests lists what it received; POST /_reset forgets it.
const BRIDGE = `
const http = require('node:http');
const crypto = require('node:crypto');
const received = [];
let issued = 0;
const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (req.url === '/_requests') { res.end(JSON.stringify(received)); return; }
        if (req.url === '/_reset') { received.length = 0; res.end('{}'); return; }
        received.push({ method: req.method, url: req.url, headers: req.headers, body });
        const [, scenario, ...rest] = req.url.split('/');
        const problem = (status) => JSON.stringify({ type: 'about:blank', title: 'T', status, detail: 'D', trace_id: 'trace-' + status });
        if (scenario === 'down') {
            res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '30' });
            res.end(problem(503));
            return;
        }
        const expected = crypto.createHmac('sha256', process.env.SECRET).update(Buffer.from(body, 'utf8')).digest('hex');
        if (rest.join('/') !== 'login/storefront' || req.headers['x-storefront-key'] !== process.env.KEY_ID
            || req.headers['x-storefront-signature'] !== expected) {
            res.writeHead(401, { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': 'Storefront' });
            res.end(problem(401));
            return;
        }
        const sent = JSON.parse(body);
        const seconds = Number(scenario.split('-')[1]);
        issued++;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({
            token: 'omneo-token-' + issued,
            expiry: new Date(Date.now() + seconds * 1000).toISOString(),
            profile_id: 'profile-' + sent.customer_no,
            customer_no: sent.customer_no,
            guest: false
        }));
    });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

let bridge;
let bridgeUrl;
const secrets = new Set([SECRET, PASSWORD, Buffer.from(`${ALICE.login}:${PASSWORD}`).toString('base64')]);

function useBridge(scenario) {
    LocalServiceRegistry.testing.configure('omneo.bridge.storefront', {
        url: scenario === 'unreachable' ? 'http://127.0.0.1:9' : `${bridgeUrl}/${scenario}`,
        timeoutMillis: 5000,
        user: KEY_ID,
        password: SECRET
    });
}

async function bridgeRequests() {
    return (await fetch(`${bridgeUrl}/_requests`)).json();
}

function csrf() {
    return { [CSRFProtection.getTokenName()]: CSRFProtection.generateToken() };
}

function signInAlice() {
    CustomerMgr.loginCustomer(ALICE.login, PASSWORD, false);
}

function privacy() {
    return Object.assign({}, session.privacy);
}

function remember(token) {
    if (token) {
        secrets.add(token);
    }
    return token;
}

function pluginWarnings() {
    return Logger.testing.entries().filter((entry) => entry.category === 'omneoBridge.plugin' && entry.level === 'warn');
}

test.before(async () => {
    bridge = spawn(process.execPath, ['-e', BRIDGE], { stdio: ['ignore', 'pipe', 'inherit'], env: Object.assign({}, process.env, { SECRET, KEY_ID }) });
    const [chunk] = await once(bridge.stdout, 'data');
    bridgeUrl = `http://127.0.0.1:${String(chunk).trim()}`;
});

test.after(() => {
    bridge.kill();
});

test.beforeEach(async () => {
    await fetch(`${bridgeUrl}/_reset`, { method: 'POST' });
    sfra.resetGlobals();
    CustomerMgr.testing.reset();
    CustomerMgr.testing.addCustomer(ALICE);
    Site.testing.setPreferences(PREFERENCES);
    LocalServiceRegistry.testing.reset();
    useBridge('ok-900');
    ISML.testing.clear();
    Logger.testing.clear();
});


test('AccountLogin_ValidCredentials_KeepsSfraAnswerAndStoresTokenFromSignedLogin', async () => {
    const outcome = sfra.request('Account-Login', { method: 'POST', form: Object.assign({ loginEmail: ALICE.login, loginPassword: PASSWORD }, csrf()) });

    assert.equal(outcome.res.viewData.success, true);
    assert.equal(outcome.res.redirectUrl, null);
    assert.match(remember(session.privacy.omneoBridgeToken), /^omneo-token-\d+$/);
    assert.ok(Date.parse(session.privacy.omneoBridgeTokenExpiry) > Date.now());
    assert.equal(session.privacy.omneoBridgeCustomerNo, ALICE.customerNo);
    const requests = await bridgeRequests();
    assert.equal(requests.length, 1);
    assert.equal(requests[0].url, '/ok-900/login/storefront');
    assert.equal(JSON.parse(requests[0].body).customer_no, ALICE.customerNo);
    assert.equal(requests[0].headers.authorization, undefined);
    const everythingSent = JSON.stringify(requests);
    for (const secret of secrets) {
        assert.ok(!everythingSent.includes(secret), 'a password or the storefront secret reached the bridge');
    }
});

test('AccountLogin_WrongPassword_NoBridgeCallAndSfraErrorUnchanged', async () => {
    const outcome = sfra.request('Account-Login', { method: 'POST', form: Object.assign({ loginEmail: ALICE.login, loginPassword: 'wrong' }, csrf()) });

    assert.ok(Array.isArray(outcome.res.viewData.error));
    assert.equal(session.privacy.omneoBridgeToken, undefined);
    assert.equal((await bridgeRequests()).length, 0);
});

for (const [scenario, reason] of [['unreachable', 'network'], ['down', 'upstream_unavailable']]) {
    test(`AccountLogin_Bridge${scenario === 'down' ? 'AnswersOmneoDown' : 'Unreachable'}_SfraLoginIntactAndReasonLogged`, () => {
        useBridge(scenario);

        const outcome = sfra.request('Account-Login', { method: 'POST', form: Object.assign({ loginEmail: ALICE.login, loginPassword: PASSWORD }, csrf()) });

        assert.deepEqual(outcome.res.viewData, { success: true, redirectUrl: outcome.res.viewData.redirectUrl });
        assert.equal(outcome.res.statusCode, 200);
        assert.equal(session.customer.authenticated, true);
        assert.equal(session.privacy.omneoBridgeToken, null);
        const warnings = pluginWarnings();
        assert.equal(warnings.length, 1);
        assert.match(warnings[0].message, new RegExp(`after Account-Login for customer ${ALICE.customerNo}: reason=${reason}`));
        assert.equal(warnings[0].fileNamePrefix, 'omneoBridge');
    });
}

test('AccountLogin_PluginTurnedOff_NoBridgeCall', async () => {
    Site.testing.setPreferences({});

    const outcome = sfra.request('Account-Login', { method: 'POST', form: Object.assign({ loginEmail: ALICE.login, loginPassword: PASSWORD }, csrf()) });

    assert.equal(outcome.res.viewData.success, true);
    assert.equal((await bridgeRequests()).length, 0);
    assert.equal(session.privacy.omneoBridgeToken, undefined);
});

test('AccountSubmitRegistration_NewCustomer_CreatedSignedInAndTokenStoredWithoutPassword', async () => {
    const email = 'nia@example.com';

    const outcome = sfra.request('Account-SubmitRegistration', {
        method: 'POST', form: Object.assign({ email, password: PASSWORD, firstName: 'Nia', lastName: 'Moss' }, csrf())
    });

    assert.equal(outcome.res.viewData.success, true);
    const customerNo = session.customer.profile.customerNo;
    assert.equal(session.privacy.omneoBridgeCustomerNo, customerNo);
    remember(session.privacy.omneoBridgeToken);
    const requests = await bridgeRequests();
    assert.equal(requests.length, 1);
    assert.equal(JSON.parse(requests[0].body).customer_no, customerNo);
    assert.ok(!JSON.stringify(requests).includes(PASSWORD));
});

test('AccountSubmitRegistration_EmailInUse_SfraErrorAndNoBridgeCall', async () => {
    const outcome = sfra.request('Account-SubmitRegistration', {
        method: 'POST', form: Object.assign({ email: ALICE.login, password: PASSWORD, firstName: 'A', lastName: 'B' }, csrf())
    });

    assert.equal(outcome.res.viewData.success, false);
    assert.equal((await bridgeRequests()).length, 0);
});

test('OrderCreateAccount_AfterCheckout_TokenStoredForTheNewCustomer', async () => {
    const outcome = sfra.request('Order-CreateAccount', {
        method: 'POST', querystring: { orderEmail: 'guest-buyer@example.com' }, form: Object.assign({ newpassword: PASSWORD }, csrf())
    });

    assert.equal(outcome.res.viewData.success, true);
    assert.equal(session.privacy.omneoBridgeCustomerNo, session.customer.profile.customerNo);
    remember(session.privacy.omneoBridgeToken);
    assert.equal((await bridgeRequests()).length, 1);
});

test('OrderCreateAccount_BridgeDown_AccountStillCreated', () => {
    useBridge('down');

    const outcome = sfra.request('Order-CreateAccount', {
        method: 'POST', querystring: { orderEmail: 'buyer2@example.com' }, form: Object.assign({ newpassword: PASSWORD }, csrf())
    });

    assert.equal(outcome.res.viewData.success, true);
    assert.equal(session.customer.authenticated, true);
    assert.equal(session.privacy.omneoBridgeToken, null);
});

test('LoginOAuthReentry_SocialLogin_RedirectKeptAndTokenStored', async () => {
    const outcome = sfra.request('Login-OAuthReentry', { querystring: { oauthProvider: 'Google', userId: 'alice-google' } });

    assert.match(outcome.res.redirectUrl, /Account-Show$/);
    assert.ok(outcome.events.includes('route:Redirect'));
    assert.equal(session.privacy.omneoBridgeCustomerNo, ALICE.customerNo);
    remember(session.privacy.omneoBridgeToken);
    assert.equal((await bridgeRequests()).length, 1);
});

test('LoginOAuthReentry_ProviderRefused_ErrorPageAndNoBridgeCall', async () => {
    const outcome = sfra.request('Login-OAuthReentry', { querystring: { oauthProvider: 'Google', userId: 'stranger' } });

    assert.equal(outcome.res.renderings[0].view, '/error');
    assert.equal((await bridgeRequests()).length, 0);
});

test('LoginOAuthReentry_BridgeUnreachable_RedirectStillHappens', () => {
    useBridge('unreachable');

    const outcome = sfra.request('Login-OAuthReentry', { querystring: { oauthProvider: 'Google', userId: 'alice-google' } });

    assert.match(outcome.res.redirectUrl, /Account-Show$/);
    assert.equal(session.customer.authenticated, true);
    assert.equal(pluginWarnings().length, 1);
});

test('LoginLogout_SignedInWithToken_ClearsTokenAndKeepsRedirect', () => {
    signInAlice();
    session.privacy.omneoBridgeToken = 'omneo-token-old';
    session.privacy.omneoBridgeTokenExpiry = new Date(Date.now() + 600000).toISOString();
    session.privacy.omneoBridgeCustomerNo = ALICE.customerNo;

    const outcome = sfra.request('Login-Logout');

    assert.match(outcome.res.redirectUrl, /Home-Show$/);
    assert.equal(session.customer.authenticated, false);
    assert.ok(!session.privacy.omneoBridgeToken);
});


function token(options) {
    return sfra.request('OmneoBridge-Token', Object.assign({ method: 'POST', form: csrf() }, options));
}

test('Token_Guest_401JsonWithoutBridgeCall', async () => {
    const outcome = token();

    assert.equal(outcome.res.statusCode, 401);
    assert.equal(outcome.res.isJson, true);
    assert.equal(outcome.res.viewData.error, 'unauthenticated');
    assert.equal(outcome.res.viewData.token, undefined);
    assert.equal(outcome.res.viewData.message, 'Sign in to use your rewards account.');
    assert.equal(outcome.res.headers['Cache-Control'], 'no-store');
    assert.equal((await bridgeRequests()).length, 0);
});

test('Token_SessionWithoutCustomer_401Json', async () => {
    session.customer = null;
    Object.assign(session.privacy, { omneoBridgeToken: 'omneo-token-orphan', omneoBridgeTokenExpiry: new Date(Date.now() + 600000).toISOString(), omneoBridgeCustomerNo: ALICE.customerNo });

    const outcome = token();

    assert.equal(outcome.res.statusCode, 401);
    assert.equal(outcome.res.viewData.token, undefined);
    assert.ok(!session.privacy.omneoBridgeToken, 'a token left without a customer was kept');
    assert.equal((await bridgeRequests()).length, 0);
});

test('Token_SignedInWithFreshToken_AnswersItWithoutBridgeCall', async () => {
    signInAlice();
    const expiry = new Date(Date.now() + 600000).toISOString();
    Object.assign(session.privacy, { omneoBridgeToken: 'omneo-token-fresh', omneoBridgeTokenExpiry: expiry, omneoBridgeCustomerNo: ALICE.customerNo });

    const outcome = token();

    assert.equal(outcome.res.statusCode, 200);
    assert.deepEqual(outcome.res.viewData, { token: 'omneo-token-fresh', expiry });
    assert.equal(outcome.res.headers['Cache-Control'], 'no-store');
    assert.equal(outcome.res.cachePeriod, undefined);
    assert.equal((await bridgeRequests()).length, 0);
});

test('Token_WithinRefreshMarginOfExpiry_FetchesANewOne', async () => {
    signInAlice();
    Object.assign(session.privacy, {
        omneoBridgeToken: 'omneo-token-ageing',
        omneoBridgeTokenExpiry: new Date(Date.now() + 90 * 1000).toISOString(), // inside the 120 s margin
        omneoBridgeCustomerNo: ALICE.customerNo
    });

    const outcome = token();

    assert.equal(outcome.res.statusCode, 200);
    assert.notEqual(remember(outcome.res.viewData.token), 'omneo-token-ageing');
    assert.equal(session.privacy.omneoBridgeToken, outcome.res.viewData.token);
    assert.equal((await bridgeRequests()).length, 1);
});

test('Token_MarginFromSitePreference_IsHonoured', async () => {
    Site.testing.setPreferences(Object.assign({}, PREFERENCES, { omneoBridgeRefreshMarginSeconds: 30 }));
    signInAlice();
    Object.assign(session.privacy, {
        omneoBridgeToken: 'omneo-token-ninety', omneoBridgeTokenExpiry: new Date(Date.now() + 90 * 1000).toISOString(), omneoBridgeCustomerNo: ALICE.customerNo
    });

    assert.equal(token().res.viewData.token, 'omneo-token-ninety');
    assert.equal((await bridgeRequests()).length, 0);
});

test('Token_StoredTokenOfAnotherCustomer_IsNeverAnswered', async () => {
    signInAlice();
    Object.assign(session.privacy, {
        omneoBridgeToken: 'omneo-token-someone-else', omneoBridgeTokenExpiry: new Date(Date.now() + 600000).toISOString(), omneoBridgeCustomerNo: '00000999'
    });

    const outcome = token();

    assert.notEqual(remember(outcome.res.viewData.token), 'omneo-token-someone-else');
    assert.equal(JSON.parse((await bridgeRequests())[0].body).customer_no, ALICE.customerNo);
});

test('Token_NoStoredTokenAndBridgeDown_503JsonWithRetryAfter', () => {
    signInAlice();
    useBridge('down');

    const outcome = token();

    assert.equal(outcome.res.statusCode, 503);
    assert.equal(outcome.res.viewData.error, 'unavailable');
    assert.equal(outcome.res.viewData.retryAfter, 30);
    assert.equal(outcome.res.headers['Retry-After'], '30');
    assert.equal(outcome.res.viewData.token, undefined);
});

test('Token_BridgeRefusesTheStorefrontKey_503NotA401TheBrowserWouldTakeForSignedOut', () => {
    signInAlice();
    LocalServiceRegistry.testing.configure('omneo.bridge.storefront', { url: `${bridgeUrl}/ok-900`, user: KEY_ID, password: 'not-the-secret' });

    const outcome = token();

    assert.equal(outcome.res.statusCode, 503);
    assert.equal(outcome.res.viewData.error, 'unavailable');
    assert.match(pluginWarnings()[0].message, /reason=invalid_credentials status=401/);
});

test('Token_RefreshFailsWhileStoredTokenHasNotExpired_AnswersTheStoredOne', () => {
    signInAlice();
    useBridge('down');
    const expiry = new Date(Date.now() + 60 * 1000).toISOString();
    Object.assign(session.privacy, { omneoBridgeToken: 'omneo-token-last-minute', omneoBridgeTokenExpiry: expiry, omneoBridgeCustomerNo: ALICE.customerNo });

    const outcome = token();

    assert.equal(outcome.res.statusCode, 200);
    assert.deepEqual(outcome.res.viewData, { token: 'omneo-token-last-minute', expiry });
    assert.equal(pluginWarnings().length, 1);
});

test('Token_RefreshFailsAndStoredTokenExpired_503AndTokenForgotten', () => {
    signInAlice();
    useBridge('down');
    Object.assign(session.privacy, {
        omneoBridgeToken: 'omneo-token-expired', omneoBridgeTokenExpiry: new Date(Date.now() - 1000).toISOString(), omneoBridgeCustomerNo: ALICE.customerNo
    });

    const outcome = token();

    assert.equal(outcome.res.statusCode, 503);
    assert.equal(outcome.res.viewData.token, undefined);
    assert.ok(!session.privacy.omneoBridgeToken);
});

test('Token_PluginTurnedOff_404Json', () => {
    Site.testing.setPreferences({});
    signInAlice();

    const outcome = token();

    assert.equal(outcome.res.statusCode, 404);
    assert.equal(outcome.res.viewData.error, 'disabled');
});

test('Token_WithoutCsrfToken_RefusedAndNoToken', async () => {
    signInAlice();

    const outcome = token({ form: {} });

    assert.match(outcome.res.redirectUrl, /CSRF-AjaxFail$/);
    assert.equal(outcome.res.viewData.token, undefined);
    assert.equal((await bridgeRequests()).length, 0);
});

test('Token_PlainHttpOrGet_IsNotServed', () => {
    signInAlice();
    assert.throws(() => token({ https: false }), /Params do not match route/);
    assert.throws(() => token({ method: 'GET' }), /Params do not match route/);
});


test('hooksJson_RegistersAfterFooter_WithAScriptThatExportsIt', () => {
    // As in SFRA's app_storefront_base: package.json names hooks.json, whose script paths are relative to it.
    const pkg = JSON.parse(fs.readFileSync(path.join(PLUGIN, 'package.json'), 'utf8'));
    const hooksFile = path.join(PLUGIN, pkg.hooks);
    const hooks = JSON.parse(fs.readFileSync(hooksFile, 'utf8')).hooks;
    const afterFooter = hooks.find((hook) => hook.name === 'app.template.afterFooter');

    assert.ok(afterFooter);
    const script = require(path.join(path.dirname(hooksFile), afterFooter.script));
    assert.equal(typeof script.afterFooter, 'function');
});

test('afterFooter_SignedInShopper_RendersOnlyARemoteIncludeWithNothingPersonal', () => {
    signInAlice();
    Object.assign(session.privacy, { omneoBridgeToken: 'omneo-token-private', omneoBridgeTokenExpiry: new Date(Date.now() + 600000).toISOString(), omneoBridgeCustomerNo: ALICE.customerNo });

    require('../plugin_omneo_bridge/cartridge/scripts/hooks/omneoBridgeFooter').afterFooter({});

    const html = ISML.testing.output().trim();
    assert.equal(html, '<wainclude url="/on/demandware.store/Sites-RefArch-Site/en_US/OmneoBridge-Init"/>');
    assert.ok(!html.includes('omneo-token-private') && !html.includes(ALICE.customerNo));
});

test('afterFooter_PluginTurnedOff_RendersNothing', () => {
    Site.testing.setPreferences({});
    require('../plugin_omneo_bridge/cartridge/scripts/hooks/omneoBridgeFooter').afterFooter({});
    assert.equal(ISML.testing.output(), '');
});

test('Init_Guest_PrintsNothing', () => {
    const outcome = sfra.request('OmneoBridge-Init', { include: true });

    assert.deepEqual(outcome.res.renderings, [{ type: 'print', message: '' }]);
});

test('Init_NotARemoteInclude_IsNotServed', () => {
    assert.throws(() => sfra.request('OmneoBridge-Init'), /Params do not match route/);
});

test('Init_SignedInShopper_RendersShapesSetUpWithoutTheToken', () => {
    signInAlice();
    Object.assign(session.privacy, { omneoBridgeToken: 'omneo-token-private', omneoBridgeTokenExpiry: new Date(Date.now() + 600000).toISOString(), omneoBridgeCustomerNo: ALICE.customerNo });

    const outcome = sfra.request('OmneoBridge-Init', { include: true });

    assert.equal(outcome.res.renderings[0].view, 'omneoBridge/shapesInit');
    assert.equal(outcome.res.cachePeriod, undefined);
    const html = isml.render('omneoBridge/shapesInit', outcome.res.viewData);
    assert.match(html, /data-omneo-url="https:\/\/id\.omneo\.example"/);
    assert.match(html, /data-token-url="https:\/\/www\.example\.com\/on\/demandware\.store\/Sites-RefArch-Site\/en_US\/OmneoBridge-Token"/);
    assert.match(html, /data-csrf-name="csrf_token"/);
    assert.match(html, /data-csrf-token="[0-9a-f]{32}"/);
    assert.match(html, /data-refresh-margin-seconds="120"/);
    assert.match(html, /<script src="\/on\/demandware\.static\/[^"]*\/js\/omneoBridge\.js" defer><\/script>/);
    assert.ok(!html.includes('omneo-token-private'), 'the token was rendered into the page');
    assert.ok(!/<script src="" /.test(html), 'no Shapes SDK script without its site preference');
});

test('Init_ShapesSdkUrlPreference_LoadsTheSdkScript', () => {
    Site.testing.setPreferences(Object.assign({}, PREFERENCES, { omneoBridgeShapesSdkUrl: 'https://cdn.example/shapes.js' }));
    signInAlice();

    const outcome = sfra.request('OmneoBridge-Init', { include: true });

    assert.match(isml.render('omneoBridge/shapesInit', outcome.res.viewData), /<script src="https:\/\/cdn\.example\/shapes\.js" defer><\/script>/);
});

test('browserScript_InitialisesShapesWithTheTokenFromTheEndpointAndSchedulesARefresh', async () => {
    // The static script run against a tiny DOM/XHR stand-in: POST with the CSRF field, init, refresh timer.
    const source = fs.readFileSync(path.join(PLUGIN, 'cartridge/static/default/js/omneoBridge.js'), 'utf8');
    const attributes = {
        'data-omneo-url': 'https://id.omneo.example', 'data-token-url': '/token', 'data-csrf-name': 'csrf_token',
        'data-csrf-token': 'abc', 'data-refresh-margin-seconds': '120'
    };
    const sent = [];
    const inits = [];
    const timers = [];
    const expiry = new Date(Date.now() + 15 * 60 * 1000).toISOString();
    function XMLHttpRequest() {}
    XMLHttpRequest.prototype.open = function (method, url) { this.method = method; this.url = url; };
    XMLHttpRequest.prototype.setRequestHeader = function () {};
    XMLHttpRequest.prototype.send = function (body) {
        sent.push({ method: this.method, url: this.url, body });
        this.status = 200;
        this.responseText = JSON.stringify({ token: 'omneo-token-browser', expiry });
        this.onload();
    };
    const window = {
        ShapesSDK: { init: (options) => inits.push(options) },
        setTimeout: (fn, ms) => timers.push(ms)
    };
    const document = { getElementById: (id) => (id === 'omneo-bridge-config' ? { getAttribute: (name) => attributes[name] } : null) };

    new Function('window', 'document', 'XMLHttpRequest', source)(window, document, XMLHttpRequest);

    assert.deepEqual(sent, [{ method: 'POST', url: '/token', body: 'csrf_token=abc' }]);
    assert.deepEqual(inits, [{ url: 'https://id.omneo.example', token: 'omneo-token-browser' }]);
    assert.equal(timers.length, 1);
    assert.ok(timers[0] > 12 * 60 * 1000 && timers[0] <= 13 * 60 * 1000, `refresh scheduled after ${timers[0]} ms`);
});

test('resourceBundle_HasEveryMessageTheControllerUses', () => {
    const controller = fs.readFileSync(path.join(PLUGIN, 'cartridge/controllers/OmneoBridge.js'), 'utf8')
        + fs.readFileSync(path.join(PLUGIN, 'cartridge/templates/default/omneoBridge/shapesInit.isml'), 'utf8');
    const bundle = fs.readFileSync(path.join(PLUGIN, 'cartridge/templates/resources/omneoBridge.properties'), 'utf8');
    const keys = controller.match(/error\.token\.[a-z]+/g);
    assert.ok(keys.length >= 3);
    for (const key of keys) {
        assert.match(bundle, new RegExp(`^${key.replace(/\./g, '\\.')}=.+$`, 'm'));
    }
});

test('cartridge_HasProjectAndPropertiesLikeTheIntegrationCartridge', () => {
    assert.match(fs.readFileSync(path.join(PLUGIN, '.project'), 'utf8'), /<name>plugin_omneo_bridge<\/name>/);
    assert.match(fs.readFileSync(path.join(PLUGIN, 'cartridge/plugin_omneo_bridge.properties'), 'utf8'),
        /^demandware\.cartridges\.plugin_omneo_bridge\.id=plugin_omneo_bridge$/m);
});

// Last: everything the routes above logged, through the plugin, the client and the service.
test('logs_AfterAllRoutes_HoldNoPasswordSecretOrToken', () => {
    useBridge('ok-900');
    sfra.request('Account-Login', { method: 'POST', form: Object.assign({ loginEmail: ALICE.login, loginPassword: PASSWORD }, csrf()) });
    remember(session.privacy.omneoBridgeToken);
    const outcome = token();
    remember(outcome.res.viewData.token);

    const logged = Logger.testing.entries().map((entry) => entry.message)
        .concat(LocalServiceRegistry.testing.communicationLog()).join('\n');
    assert.ok(logged.includes(ALICE.customerNo), 'nothing about the login was logged');
    for (const secret of secrets) {
        assert.ok(!logged.includes(secret), `a secret reached the logs`);
    }
    for (const call of LocalServiceRegistry.testing.calls()) {
        assert.ok(!logged.includes(call.headers['X-Storefront-Signature']), 'a storefront signature reached the logs');
    }
});
