'use strict';

/**
 * app.template.afterFooter (called from SFRA's common/layout/page.isml for cached and uncached pages
 * alike). Renders only a remote include of OmneoBridge-Init: nothing per shopper goes into the page.
 */

var sessionToken = require('*/cartridge/scripts/omneoBridge/sessionToken');

/**
 * @param {Object} pdict the page's view data (unused: nothing from it may reach a cached page)
 */
function afterFooter(pdict) { // eslint-disable-line no-unused-vars
    if (!sessionToken.isEnabled()) {
        return;
    }
    var ISML = require('dw/template/ISML');
    ISML.renderTemplate('omneoBridge/afterFooter', {});
}

module.exports = {
    afterFooter: afterFooter
};
