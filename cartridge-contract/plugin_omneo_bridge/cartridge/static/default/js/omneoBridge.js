/**
 * Browser side of plugin_omneo_bridge, loaded by omneoBridge/shapesInit.isml for a signed-in shopper.
 * Gets the Omneo token from OmneoBridge-Token (POST, same origin, CSRF token as a form field), calls
 * ShapesSDK.init({url, token}) and asks again a refresh margin before the token expires. The token
 * lives in this closure only: never in the page, a cookie or web storage.
 *
 * The Shapes SDK's public documentation shows ShapesSDK.init({url, token}) only, so a new token is
 * handed over by calling init again.
 */
(function () {
    'use strict';

    var RETRY_MILLIS = 60 * 1000;
    var MIN_DELAY_MILLIS = 30 * 1000;
    var SDK_WAIT_MILLIS = 250;
    var SDK_WAIT_TRIES = 40;

    var config = document.getElementById('omneo-bridge-config');
    if (!config || typeof XMLHttpRequest === 'undefined') {
        return;
    }

    var omneoUrl = config.getAttribute('data-omneo-url');
    var tokenUrl = config.getAttribute('data-token-url');
    var csrfName = config.getAttribute('data-csrf-name');
    var csrfToken = config.getAttribute('data-csrf-token');
    var marginMillis = (Number(config.getAttribute('data-refresh-margin-seconds')) || 120) * 1000;

    function schedule(delayMillis) {
        window.setTimeout(refresh, Math.max(delayMillis, MIN_DELAY_MILLIS));
    }

    function initSdk(token, triesLeft) {
        if (window.ShapesSDK && typeof window.ShapesSDK.init === 'function') {
            window.ShapesSDK.init({ url: omneoUrl, token: token });
            return;
        }
        if (triesLeft > 0) {
            window.setTimeout(function () { initSdk(token, triesLeft - 1); }, SDK_WAIT_MILLIS);
        } else if (window.console) {
            window.console.warn('plugin_omneo_bridge: ShapesSDK is not loaded on this page');
        }
    }

    function refresh() {
        var xhr = new XMLHttpRequest();
        xhr.open('POST', tokenUrl, true);
        xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
        xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
        xhr.onload = function () {
            var answer = null;
            try {
                answer = JSON.parse(xhr.responseText);
            } catch (e) {
                answer = null;
            }
            if (xhr.status === 200 && answer && answer.token && answer.expiry) {
                initSdk(answer.token, SDK_WAIT_TRIES);
                schedule(Date.parse(answer.expiry) - Date.now() - marginMillis);
            } else if (xhr.status === 503) {
                schedule(answer && answer.retryAfter ? answer.retryAfter * 1000 : RETRY_MILLIS);
            }
            // 401 (signed out), 404 (turned off), a CSRF failure: nothing more to do on this page.
        };
        xhr.onerror = function () {
            schedule(RETRY_MILLIS);
        };
        xhr.send(encodeURIComponent(csrfName) + '=' + encodeURIComponent(csrfToken));
    }

    refresh();
}());
