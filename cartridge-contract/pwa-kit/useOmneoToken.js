'use strict';

/**
 * React hook for a PWA Kit (Composable Storefront) app: the signed-in shopper's Omneo token, fetched
 * from the bridge with the shopper's SLAS access token and refreshed before it expires.
 *
 *   const {token, expiry, error, logout} = useOmneoToken()
 *
 * Written against @salesforce/commerce-sdk-react's public hooks only: useAccessToken (the SLAS access
 * token), useCustomerId and useCustomerType (who the shopper is), useAuthHelper(AuthHelpers.Logout).
 * The bridge URL comes from the app configuration (config/default.js: app.omneoBridge.url), or from
 * the bridgeUrl option.
 *
 * - Registered shoppers only, unless includeGuests is set (a guest's Omneo token is anonymous).
 * - Browser only: effects do not run during server-side rendering, so no token is rendered into HTML.
 * - All components share one client per bridge URL: one request, one cached token.
 * - Logout: call the returned logout() (clears the token, then SLAS logout through the SDK); the token
 *   is also cleared whenever the shopper stops being a registered customer or changes.
 */

var React = require('react');
var sdk = require('@salesforce/commerce-sdk-react');
var ssrConfig = require('@salesforce/pwa-kit-runtime/utils/ssr-config');
var omneoToken = require('./omneoToken');

var EMPTY = { token: null, expiry: null, customerNo: null, profileId: null, guest: null, error: null, loading: false };
var clients = new Map();

/**
 * The one client of a bridge URL, margin and guest setting, shared by every component of the app that
 * uses the same options (separate per includeGuests, so a component without guests clearing its token
 * never voids the guest token another component asked for).
 */
function sharedClient(bridgeUrl, refreshMarginSeconds, includeGuests) {
    var key = bridgeUrl + ' ' + refreshMarginSeconds + ' ' + includeGuests;
    if (!clients.has(key)) {
        clients.set(key, omneoToken.createOmneoTokenClient({ bridgeUrl: bridgeUrl, refreshMarginSeconds: refreshMarginSeconds }));
    }
    return clients.get(key);
}

function configured() {
    var config = ssrConfig.getConfig ? ssrConfig.getConfig() : null;
    return (config && config.app && config.app.omneoBridge) || {};
}

/**
 * @param {{bridgeUrl?:string, refreshMarginSeconds?:number, includeGuests?:boolean}} [options]
 */
function useOmneoToken(options) {
    var opts = options || {};
    var fromConfig = opts.bridgeUrl ? {} : configured();
    var bridgeUrl = opts.bridgeUrl || fromConfig.url || null;
    var refreshMarginSeconds = typeof opts.refreshMarginSeconds === 'number' ? opts.refreshMarginSeconds
        : (typeof fromConfig.refreshMarginSeconds === 'number' ? fromConfig.refreshMarginSeconds : 60);
    var includeGuests = opts.includeGuests === true;

    var accessToken = sdk.useAccessToken();
    var customerId = sdk.useCustomerId();
    var customerType = sdk.useCustomerType();
    var sdkLogout = sdk.useAuthHelper(sdk.AuthHelpers.Logout);

    // No URL configured: an error in the hook's state, never an exception that would take the page down.
    var client = React.useMemo(function () {
        return bridgeUrl ? sharedClient(bridgeUrl, refreshMarginSeconds, includeGuests) : null;
    }, [bridgeUrl, refreshMarginSeconds, includeGuests]);
    var stateHook = React.useState(EMPTY);
    var state = stateHook[0];
    var setState = stateHook[1];
    var tickHook = React.useState(0);
    var tick = tickHook[0];
    var setTick = tickHook[1];
    var forceNext = React.useRef(false);

    var wanted = client !== null && Boolean(accessToken) && Boolean(customerId)
        && (customerType.isRegistered || (includeGuests && customerType.isGuest));
    var cacheKey = (customerType.customerType || 'unknown') + ':' + customerId;

    React.useEffect(function () {
        if (!client) {
            setState(Object.assign({}, EMPTY, { error: new omneoToken.OmneoBridgeError(0, 'not_configured',
                'Set app.omneoBridge.url in config/default.js (or pass bridgeUrl to useOmneoToken).') }));
            return undefined;
        }
        if (!wanted) {
            // Logged out, not yet known, or a guest: no Omneo token may outlive the registered session.
            client.clear();
            setState(EMPTY);
            return undefined;
        }
        var cancelled = false;
        var timer = null;
        setState(function (previous) {
            return Object.assign({}, previous, { loading: true });
        });
        var forceRefresh = forceNext.current;
        forceNext.current = false;
        client.getToken(accessToken, { cacheKey: cacheKey, forceRefresh: forceRefresh }).then(function (result) {
            if (cancelled) {
                return;
            }
            setState({ token: result.token, expiry: result.expiry, customerNo: result.customerNo, profileId: result.profileId,
                guest: result.guest, error: null, loading: false });
            // Come back when the token enters its refresh margin; getToken then asks the bridge again.
            timer = setTimeout(function () {
                setTick(function (t) { return t + 1; });
            // At least 15 s apart, should the bridge ever issue tokens shorter-lived than the margin.
            }, Math.max(15000, client.msUntilRefresh() || 0));
        }, function (error) {
            if (cancelled || error.reason === 'cleared') {
                return;
            }
            setState(Object.assign({}, EMPTY, { error: error }));
            // Only where the bridge said when: 429 and 503 carry Retry-After. Anything else waits for
            // the next SLAS token, shopper change or refresh() rather than hammering the bridge.
            if (typeof error.retryAfter === 'number') {
                timer = setTimeout(function () {
                    setTick(function (t) { return t + 1; });
                }, Math.max(1, error.retryAfter) * 1000);
            }
        });
        return function () {
            cancelled = true;
            if (timer) {
                clearTimeout(timer);
            }
        };
    }, [client, wanted, accessToken, cacheKey, tick]);

    var logout = React.useCallback(function () {
        if (client) {
            client.clear();
        }
        setState(EMPTY);
        return sdkLogout.mutateAsync();
    }, [client, sdkLogout]);

    /** Fetch a new token now, even when the cached one is still fresh. */
    var refresh = React.useCallback(function () {
        forceNext.current = true;
        setTick(function (t) { return t + 1; });
    }, []);

    return Object.assign({}, state, { logout: logout, refresh: refresh });
}

module.exports = {
    useOmneoToken: useOmneoToken
};
