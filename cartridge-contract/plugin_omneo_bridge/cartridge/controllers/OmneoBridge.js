'use strict';

/**
 * OmneoBridge-Token: the signed-in shopper's Omneo token for the Shapes SDK, as
 * {"token": "...", "expiry": "..."}; fetched again when within the refresh margin of its expiry.
 * POST only, https only, CSRF-checked, answered with Cache-Control: no-store and never page-cached
 * (no cache middleware, no res.cachePeriod). 401 JSON for a guest, 404 JSON while the plugin is
 * turned off, 503 JSON when the bridge gave no token.
 *
 * OmneoBridge-Init: the remote include the app.template.afterFooter hook puts on every page. Pages
 * may be cached, this include never is: for a signed-in shopper it renders the Shapes SDK set-up
 * (Omneo URL, token URL, CSRF token; never the token itself), for anyone else nothing.
 */

var server = require('server');
var csrfProtection = require('*/cartridge/scripts/middleware/csrf');
var sessionToken = require('*/cartridge/scripts/omneoBridge/sessionToken');

/**
 * @param {Object} req request
 * @param {Object} res response
 * @param {Function} next next step
 */
function noStore(req, res, next) {
    res.setHttpHeader('Cache-Control', 'no-store');
    res.setHttpHeader('Pragma', 'no-cache');
    next();
}

// The plugin's own refusals; any failure of the bridge (whatever its status, even a 401 for a wrong
// storefront key) is a 503 here, so a browser never mistakes it for being signed out.
var REFUSALS = {
    unauthenticated: { status: 401, message: 'error.token.unauthenticated' },
    disabled: { status: 404, message: 'error.token.disabled' }
};

server.post('Token', server.middleware.https, noStore, csrfProtection.validateAjaxRequest, function (req, res, next) {
    var Resource = require('dw/web/Resource');
    var outcome = sessionToken.current();
    if (outcome.ok) {
        res.json({ token: outcome.token, expiry: outcome.expiry });
        return next();
    }
    var refusal = REFUSALS[outcome.reason];
    if (refusal) {
        res.setStatusCode(refusal.status);
        res.json({ error: outcome.reason, message: Resource.msg(refusal.message, 'omneoBridge', null) });
        return next();
    }
    res.setStatusCode(503);
    var answer = { error: 'unavailable', message: Resource.msg('error.token.unavailable', 'omneoBridge', null) };
    if (typeof outcome.retryAfter === 'number') {
        answer.retryAfter = outcome.retryAfter;
        res.setHttpHeader('Retry-After', String(outcome.retryAfter));
    }
    res.json(answer);
    return next();
});

server.get('Init', server.middleware.include, function (req, res, next) {
    if (!sessionToken.isEnabled() || !sessionToken.signedInCustomerNo()) {
        res.print('');
        return next();
    }
    var URLUtils = require('dw/web/URLUtils');
    var CSRFProtection = require('dw/web/CSRFProtection');
    res.render('omneoBridge/shapesInit', {
        omneoUrl: sessionToken.preference('omneoBridgeOmneoUrl') || '',
        shapesSdkUrl: sessionToken.preference('omneoBridgeShapesSdkUrl') || '',
        tokenUrl: URLUtils.https('OmneoBridge-Token').toString(),
        refreshMarginSeconds: sessionToken.refreshMarginSeconds(),
        csrf: { tokenName: CSRFProtection.getTokenName(), token: CSRFProtection.generateToken() }
    });
    return next();
});

module.exports = server.exports();
