'use strict';

/**
 * Order-CreateAccount (account created on the order confirmation page), extended: the base route
 * creates and signs in the customer in a route:BeforeComplete listener; the one registered here runs
 * after it and fetches the Omneo token through the signed storefront login.
 */

var server = require('server');
var sessionToken = require('*/cartridge/scripts/omneoBridge/sessionToken');

server.extend(module.superModule);

server.append('CreateAccount', function (req, res, next) {
    this.on('route:BeforeComplete', function () {
        if (res.getViewData().success) {
            sessionToken.afterSignIn('Order-CreateAccount');
        }
    });
    next();
});

module.exports = server.exports();
