'use strict';

/**
 * Account-Login and Account-SubmitRegistration, extended: once SFRA has signed the shopper in, the
 * Omneo token is fetched through the bridge's signed storefront login (never with the password) and
 * kept in session.privacy. A bridge failure is logged and the SFRA answer stays as it was.
 */

var server = require('server');
var sessionToken = require('*/cartridge/scripts/omneoBridge/sessionToken');

server.extend(module.superModule);

/**
 * An appended step that waits for the end of the route: SubmitRegistration creates and signs in the
 * customer in its own route:BeforeComplete listener, registered before this one, so this runs after it.
 * @param {string} source the route name for the log
 * @returns {Function} the middleware
 */
function fetchTokenWhenSignedIn(source) {
    return function (req, res, next) {
        this.on('route:BeforeComplete', function () {
            if (res.getViewData().success) {
                sessionToken.afterSignIn(source);
            }
        });
        next();
    };
}

server.append('Login', fetchTokenWhenSignedIn('Account-Login'));
server.append('SubmitRegistration', fetchTokenWhenSignedIn('Account-SubmitRegistration'));

module.exports = server.exports();
