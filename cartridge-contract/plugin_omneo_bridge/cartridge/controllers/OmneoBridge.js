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

var ERROR_MESSAGE_KEYS = {
    401: 'error.token.unauthenticated',
    404: 'error.token.disabled',
    503: 'error.token.unavailable'
};

server.post('Token', server.middleware.https, noStore, csrfProtection.validateAjaxRequest, function (req, res, next) {
    var Resource = require('dw/web/Resource');
    var outcome = sessionToken.current();
    if (outcome.ok) {
        res.json({ token: outcome.token, expiry: outcome.expiry });
        return next();
    }
    var status = outcome.status === 401 || outcome.status === 404 ? outcome.status : 503;
    res.setStatusCode(status);
    var answer = {
        error: status === 503 ? 'unavailable' : outcome.reason,
        message: Resource.msg(ERROR_MESSAGE_KEYS[status], 'omneoBridge', null)
    };
    if (status === 503 && typeof outcome.retryAfter === 'number') {
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
