'use strict';

/**
 * Login-OAuthReentry (social login) and Login-Logout, extended.
 *
 * Both base routes end in res.redirect(), and an SFRA redirect ends the middleware chain before any
 * appended step runs (route.js: "if there's a pending redirect, break the chain", emitting
 * route:Redirect instead of route:BeforeComplete). So these are prepended steps:
 * OAuthReentry listens for route:Redirect, which fires after the base route signed the shopper in;
 * Logout forgets the token before the base route logs out (SFCC also clears session.privacy then).
 */

var server = require('server');
var sessionToken = require('*/cartridge/scripts/omneoBridge/sessionToken');

server.extend(module.superModule);

server.prepend('OAuthReentry', function (req, res, next) {
    this.on('route:Redirect', function () {
        sessionToken.afterSignIn('Login-OAuthReentry');
    });
    next();
});

server.prepend('Logout', function (req, res, next) {
    sessionToken.clear();
    next();
});

module.exports = server.exports();
