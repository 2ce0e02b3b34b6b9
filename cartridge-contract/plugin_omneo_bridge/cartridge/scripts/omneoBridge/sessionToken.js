'use strict';

/**
 * The signed-in shopper's Omneo token, kept in session.privacy (which SFCC clears at logout).
 *
 * The token is obtained through the bridge's signed storefront login (int_omneo_bridge
 * storefrontLogin): the storefront vouches for the customer SFCC has signed in, so no password or
 * OCAPI token is ever sent. Nothing here throws: Omneo or the bridge being down must never break an
 * SFCC login, so failures are logged under the omneoBridge.plugin category and the flow carries on.
 *
 * Site preferences (custom attributes of SitePreferences, see the cartridge-contract README):
 *   omneoBridgeEnabled               Boolean, the plugin does nothing unless true
 *   omneoBridgeOmneoUrl              String, the Omneo ID URL given to ShapesSDK.init
 *   omneoBridgeRefreshMarginSeconds  Integer, fetch a new token this long before expiry (default 120)
 *   omneoBridgeShapesSdkUrl          String, optional: script URL of the Shapes SDK, if no other template loads it
 */

var Logger = require('dw/system/Logger');
var Site = require('dw/system/Site');
var omneoBridge = require('*/cartridge/scripts/omneoBridge/client');

var log = Logger.getLogger('omneoBridge', 'omneoBridge.plugin');

var PRIVACY_TOKEN = 'omneoBridgeToken';
var PRIVACY_EXPIRY = 'omneoBridgeTokenExpiry';
var PRIVACY_CUSTOMER = 'omneoBridgeCustomerNo';
var DEFAULT_REFRESH_MARGIN_SECONDS = 120;

function preference(id) {
    var site = Site.getCurrent();
    var value = site ? site.getCustomPreferenceValue(id) : null;
    return value === undefined ? null : value;
}

/**
 * @returns {boolean} whether the site turned the plugin on
 */
function isEnabled() {
    return preference('omneoBridgeEnabled') === true;
}

/**
 * @returns {number} seconds before expiry at which a token is fetched again
 */
function refreshMarginSeconds() {
    var value = preference('omneoBridgeRefreshMarginSeconds');
    var seconds = value === null ? NaN : Number(value);
    return isNaN(seconds) || seconds < 0 ? DEFAULT_REFRESH_MARGIN_SECONDS : seconds;
}

/**
 * @returns {string|null} the customer number of the customer SFCC has authenticated in this session
 */
function signedInCustomerNo() {
    var current = session.customer;
    if (!current || !current.authenticated || !current.profile || !current.profile.customerNo) {
        return null;
    }
    return String(current.profile.customerNo);
}

/**
 * Forgets the session's Omneo token.
 */
function clear() {
    session.privacy[PRIVACY_TOKEN] = null;
    session.privacy[PRIVACY_EXPIRY] = null;
    session.privacy[PRIVACY_CUSTOMER] = null;
}

function stored(customerNo) {
    var privacy = session.privacy;
    // String(): session attributes may come back as Java strings, which === never equals.
    if (!privacy[PRIVACY_TOKEN] || String(privacy[PRIVACY_CUSTOMER]) !== customerNo) {
        return null;
    }
    return { ok: true, token: String(privacy[PRIVACY_TOKEN]), expiry: String(privacy[PRIVACY_EXPIRY]) };
}

function isFresh(entry) {
    var expiresAt = Date.parse(entry.expiry);
    return !isNaN(expiresAt) && Date.now() < expiresAt - refreshMarginSeconds() * 1000;
}

/**
 * Asks the bridge for the customer's token and keeps it in session.privacy.
 * @param {string} customerNo the signed-in customer's number
 * @param {string} source the route it happens in, for the log
 * @returns {Object} the client's login result (failures: {ok:false, status, reason, retryAfter, ...})
 */
function obtain(customerNo, source) {
    var result;
    try {
        result = omneoBridge.storefrontLogin(customerNo);
    } catch (e) {
        result = { ok: false, status: 0, reason: 'error', retryAfter: null, traceId: null, detail: String(e && e.message) };
    }
    if (!result.ok) {
        log.warn('No Omneo token after {0} for customer {1}: reason={2} status={3} traceId={4} retryAfter={5} detail={6}',
            source, customerNo, result.reason, result.status, result.traceId, result.retryAfter, result.detail);
        return result;
    }
    session.privacy[PRIVACY_TOKEN] = result.token;
    session.privacy[PRIVACY_EXPIRY] = result.expiry;
    session.privacy[PRIVACY_CUSTOMER] = customerNo;
    log.info('Omneo token obtained after {0} for customer {1}, expires {2}', source, customerNo, result.expiry);
    return { ok: true, token: result.token, expiry: result.expiry };
}

/**
 * Called once SFRA has signed the shopper in. Never throws and never changes the storefront's answer.
 * @param {string} source the route, e.g. 'Account-Login'
 */
function afterSignIn(source) {
    try {
        if (!isEnabled()) {
            return;
        }
        var customerNo = signedInCustomerNo();
        if (customerNo) {
            // A new sign-in: whatever an earlier one left in the session is not this shopper's token.
            clear();
            obtain(customerNo, source);
        }
    } catch (e) {
        log.error('Omneo token step after {0} failed and was skipped: {1}', source, String(e && e.message));
    }
}

/**
 * The token for OmneoBridge-Token: the stored one while it is outside the refresh margin, else a new one.
 * When getting a new one fails, the stored one is still answered until it actually expires.
 * @returns {Object} {ok:true, token, expiry}, {ok:false, reason:'disabled'|'unauthenticated'}, or the client's failure
 */
function current() {
    if (!isEnabled()) {
        return { ok: false, reason: 'disabled' };
    }
    var customerNo = signedInCustomerNo();
    if (!customerNo) {
        clear();
        return { ok: false, reason: 'unauthenticated' };
    }
    var entry = stored(customerNo);
    if (entry && isFresh(entry)) {
        return entry;
    }
    var result = obtain(customerNo, 'OmneoBridge-Token');
    if (!result.ok && entry && Date.now() < Date.parse(entry.expiry)) {
        return entry;
    }
    if (!result.ok) {
        clear();
    }
    return result;
}

module.exports = {
    PRIVACY_TOKEN: PRIVACY_TOKEN,
    PRIVACY_EXPIRY: PRIVACY_EXPIRY,
    PRIVACY_CUSTOMER: PRIVACY_CUSTOMER,
    DEFAULT_REFRESH_MARGIN_SECONDS: DEFAULT_REFRESH_MARGIN_SECONDS,
    isEnabled: isEnabled,
    preference: preference,
    refreshMarginSeconds: refreshMarginSeconds,
    signedInCustomerNo: signedInCustomerNo,
    afterSignIn: afterSignIn,
    current: current,
    clear: clear
};
