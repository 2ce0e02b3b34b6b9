'use strict';

// The Business Manager site import in site-import/: well-formed XML, the element names and order of
// SFCC's impex schemas, nothing secret in the files, the ids the cartridges use all defined, and OCAPI
// settings that grant exactly the resources and methods the bridge calls.
//
// Salesforce does not publish services.xsd / metadata.xsd where the search tool finds them (they ship
// inside Business Manager and the b2c-tools/sfcc-ci tool packages). The expected names below follow the
// import files of Salesforce's own SalesforceCommerceCloud/b2c-crm-sync (src/sfcc/_templates/meta-data/
// service_*_per_site.xml, src/sfcc/site-template/meta/system-objecttype-extensions.xml), which import
// against those schemas; the order of child elements is the order they use.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
require('./dw/register');
const { parse } = require('./support/xmlWellFormed');

const ROOT = path.join(__dirname, '..');
const SITE_IMPORT = path.join(ROOT, 'site-import');

function read(relative) {
    return fs.readFileSync(path.join(SITE_IMPORT, relative), 'utf8');
}

function children(element, name) {
    return element.children.filter((c) => c.name === name);
}

function child(element, name) {
    const found = children(element, name);
    assert.equal(found.length, 1, `<${element.name}> must have exactly one <${name}>`);
    return found[0];
}

// Element names a parent may hold, in schema order; `required` ones must be present.
function assertChildren(element, allowedInOrder, required) {
    const names = element.children.map((c) => c.name);
    for (const name of names) {
        assert.ok(allowedInOrder.includes(name), `<${name}> is not an element SFCC's schema allows in <${element.name}> (allowed: ${allowedInOrder.join(', ')})`);
    }
    const positions = names.map((n) => allowedInOrder.indexOf(n));
    for (let i = 1; i < positions.length; i++) {
        assert.ok(positions[i] >= positions[i - 1], `<${names[i]}> comes after <${names[i - 1]}> in SFCC's schema order within <${element.name}>`);
    }
    for (const name of required || []) {
        assert.ok(names.includes(name), `<${element.name}> lacks <${name}>`);
    }
}

function xmlFiles(dir) {
    const out = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            out.push(...xmlFiles(full));
        } else if (entry.name.endsWith('.xml')) {
            out.push(full);
        }
    }
    return out;
}

// String literals in a cartridge's scripts, controllers and templates (the cartridges other
// work adds are included as soon as they exist).
function cartridgeSources() {
    const out = [];
    for (const cartridge of ['int_omneo_bridge', 'plugin_omneo_bridge']) {
        const dir = path.join(ROOT, cartridge, 'cartridge');
        if (!fs.existsSync(dir)) {
            continue;
        }
        const walk = (d) => {
            for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
                const full = path.join(d, entry.name);
                if (entry.isDirectory()) {
                    walk(full);
                } else if (/\.(js|isml)$/.test(entry.name)) {
                    out.push({ file: path.relative(ROOT, full), text: fs.readFileSync(full, 'utf8') });
                }
            }
        };
        walk(dir);
    }
    return out;
}

const SERVICES_NS = 'http://www.demandware.com/xml/impex/services/2014-09-26';
const METADATA_NS = 'http://www.demandware.com/xml/impex/metadata/2006-10-31';

describe('site-import XML', () => {
    test('siteImport_EveryXmlFile_IsWellFormed', () => {
        const files = xmlFiles(SITE_IMPORT);
        assert.ok(files.length >= 2, 'site-import holds services.xml and meta/system-objecttype-extensions.xml');
        for (const file of files) {
            assert.doesNotThrow(() => parse(fs.readFileSync(file, 'utf8')), `${path.relative(ROOT, file)} is not well-formed`);
        }
    });

    test('wellFormednessCheck_RejectsBrokenXml', () => {
        for (const bad of ['<a><b></a></b>', '<a x=1/>', '<a>&nbsp;</a>', '<a/><b/>', '<a x="1" x="2"/>',
            '<a><!-- x -- y --></a>', '<a>', 'text<a/>', '<a><b x="<"/></a>', '<!DOCTYPE a><a/>', '<a>&</a>']) {
            assert.throws(() => parse(bad), /not well-formed/, `accepted: ${bad}`);
        }
        assert.equal(parse('<?xml version="1.0" encoding="UTF-8"?>\n<a x="1 &amp; 2"><![CDATA[<raw>]]><b/></a>').children[0].name, 'b');
    });

    test('servicesXml_UsesSfccServicesSchemaNames', () => {
        const root = parse(read('services.xml'));
        assert.equal(root.name, 'services');
        assert.equal(root.attributes.xmlns, SERVICES_NS);
        assertChildren(root, ['service-credential', 'service-profile', 'service']);

        for (const credential of children(root, 'service-credential')) {
            assert.match(credential.attributes['service-credential-id'] || '', /^omneo\.bridge\./);
            assertChildren(credential, ['url', 'user-id', 'password', 'custom-attributes'], ['url']);
        }
        for (const profile of children(root, 'service-profile')) {
            assertChildren(profile, ['timeout-millis', 'rate-limit-enabled', 'rate-limit-calls', 'rate-limit-millis', 'cb-enabled', 'cb-calls', 'cb-millis'],
                ['timeout-millis', 'cb-enabled', 'cb-calls', 'cb-millis']);
        }
        for (const service of children(root, 'service')) {
            assertChildren(service, ['service-type', 'enabled', 'log-prefix', 'comm-log-enabled', 'force-prd-enabled', 'mock-mode-enabled', 'profile-id', 'credential-id'],
                ['service-type', 'enabled', 'profile-id', 'credential-id']);
            assert.equal(child(service, 'service-type').text, 'HTTP');
        }
    });

    test('servicesXml_ProfileHasTimeoutsAndCircuitBreaker', () => {
        const root = parse(read('services.xml'));
        const profiles = children(root, 'service-profile');
        assert.ok(profiles.length >= 1);
        for (const profile of profiles) {
            const timeout = Number(child(profile, 'timeout-millis').text);
            assert.ok(timeout >= 1000 && timeout <= 10000, `timeout ${timeout} ms: a storefront login must not wait longer`);
            assert.equal(child(profile, 'cb-enabled').text, 'true');
            assert.ok(Number(child(profile, 'cb-calls').text) > 0);
            assert.ok(Number(child(profile, 'cb-millis').text) > 0);
        }
    });

    test('servicesXml_ServicesForLoginCreateAndStorefrontLogin_ReferenceDefinedProfileAndCredential', () => {
        const root = parse(read('services.xml'));
        const credentialIds = children(root, 'service-credential').map((c) => c.attributes['service-credential-id']);
        const profileIds = children(root, 'service-profile').map((p) => p.attributes['service-profile-id']);
        const services = new Map(children(root, 'service').map((s) => [s.attributes['service-id'], s]));

        // The id int_omneo_bridge's client calls for /login and /create.
        const serviceDefinition = require('../int_omneo_bridge/cartridge/scripts/omneoBridge/serviceDefinition');
        for (const id of [serviceDefinition.SERVICE_ID, 'omneo.bridge.storefront']) {
            assert.ok(services.has(id), `services.xml defines no service ${id}`);
        }
        for (const [id, service] of services) {
            assert.ok(profileIds.includes(child(service, 'profile-id').text), `${id}: profile not defined in the file`);
            assert.ok(credentialIds.includes(child(service, 'credential-id').text), `${id}: credential not defined in the file`);
            assert.equal(child(service, 'comm-log-enabled').text, 'false', `${id}: the communication log would record tokens`);
        }
        // The storefront login's key id and secret live in its own credential, not the login/create one.
        assert.notEqual(child(services.get('omneo.bridge.storefront'), 'credential-id').text,
            child(services.get(serviceDefinition.SERVICE_ID), 'credential-id').text);
    });

    test('servicesXml_CarriesNoSecret', () => {
        const root = parse(read('services.xml'));
        for (const credential of children(root, 'service-credential')) {
            assert.equal(children(credential, 'password').length, 0, `${credential.attributes['service-credential-id']} has a <password> in the file`);
            assert.equal(children(credential, 'custom-attributes').length, 0);
            assert.match(child(credential, 'url').text, /^https:\/\/[^/@]+$/, 'a base URL, https, no user info, no trailing path');
        }
    });

    test('everyServiceIdTheCartridgesUse_IsDefinedInServicesXml', () => {
        const defined = new Set(children(parse(read('services.xml')), 'service').map((s) => s.attributes['service-id']));
        const used = new Set();
        for (const source of cartridgeSources()) {
            for (const m of source.text.matchAll(/['"](omneo\.bridge\.[a-z0-9._-]+)['"]/g)) {
                if (!/\.(credentials|profile)$/.test(m[1])) {
                    used.add(m[1]);
                }
            }
        }
        assert.ok(used.size >= 1, 'found no service id in the cartridges');
        for (const id of used) {
            assert.ok(defined.has(id), `a cartridge uses service ${id}, which site-import/services.xml does not define`);
        }
    });

    test('systemObjectTypeExtensions_UsesSfccMetadataSchemaNames', () => {
        const root = parse(read('meta/system-objecttype-extensions.xml'));
        assert.equal(root.name, 'metadata');
        assert.equal(root.attributes.xmlns, METADATA_NS);
        assertChildren(root, ['type-extension'], ['type-extension']);
        for (const extension of children(root, 'type-extension')) {
            assertChildren(extension, ['custom-attribute-definitions', 'group-definitions'], ['custom-attribute-definitions', 'group-definitions']);
            const definitions = child(extension, 'custom-attribute-definitions');
            assertChildren(definitions, ['attribute-definition']);
            const ids = [];
            for (const definition of children(definitions, 'attribute-definition')) {
                assertChildren(definition, ['display-name', 'description', 'type', 'localizable-flag', 'mandatory-flag', 'externally-managed-flag',
                    'min-length', 'field-length', 'min-value', 'max-value', 'default-value', 'value-definitions'], ['display-name', 'type']);
                assert.equal(child(definition, 'display-name').attributes['xml:lang'], 'x-default');
                assert.ok(['boolean', 'string', 'int', 'double', 'text', 'password', 'date', 'datetime', 'email', 'enum-of-string', 'set-of-string']
                    .includes(child(definition, 'type').text));
                ids.push(definition.attributes['attribute-id']);
            }
            const groups = child(extension, 'group-definitions');
            assertChildren(groups, ['attribute-group']);
            for (const group of children(groups, 'attribute-group')) {
                assertChildren(group, ['display-name', 'description', 'attribute']);
                for (const attribute of children(group, 'attribute')) {
                    assert.ok(ids.includes(attribute.attributes['attribute-id']), `group ${group.attributes['group-id']} lists undefined ${attribute.attributes['attribute-id']}`);
                }
            }
        }
    });

    test('systemObjectTypeExtensions_DefinesTheSitePreferencesAndEmailVerified', () => {
        const root = parse(read('meta/system-objecttype-extensions.xml'));
        const byType = new Map(children(root, 'type-extension').map((e) => [e.attributes['type-id'], e]));
        const definitions = (type) => new Map(children(child(byType.get(type), 'custom-attribute-definitions'), 'attribute-definition')
            .map((d) => [d.attributes['attribute-id'], child(d, 'type').text]));

        assert.deepEqual(Object.fromEntries(definitions('SitePreferences')), {
            omneoBridgeEnabled: 'boolean',
            omneoBridgeOmneoUrl: 'string',
            omneoBridgeRefreshMarginSeconds: 'int'
        });
        // c_emailVerified in OCAPI, what the bridge's Profiles__EmailVerifiedAttribute names.
        assert.equal(definitions('Profile').get('emailVerified'), 'boolean');
        // Off by default: a fresh import never calls a bridge whose credential is not set yet.
        const enabled = children(child(byType.get('SitePreferences'), 'custom-attribute-definitions'), 'attribute-definition')
            .find((d) => d.attributes['attribute-id'] === 'omneoBridgeEnabled');
        assert.equal(child(enabled, 'default-value').text, 'false');
    });

    test('everySitePreferenceTheCartridgesRead_IsDefined', () => {
        const root = parse(read('meta/system-objecttype-extensions.xml'));
        const preferences = children(root, 'type-extension').find((e) => e.attributes['type-id'] === 'SitePreferences');
        const defined = new Set(children(child(preferences, 'custom-attribute-definitions'), 'attribute-definition').map((d) => d.attributes['attribute-id']));
        for (const source of cartridgeSources()) {
            for (const m of source.text.matchAll(/getCustomPreferenceValue\(\s*['"]([^'"]+)['"]/g)) {
                assert.ok(defined.has(m[1]), `${source.file} reads site preference ${m[1]}, which the import does not define`);
            }
        }
    });
});

describe('site-import OCAPI settings', () => {
    function settings(file) {
        const text = read(`ocapi/${file}`);
        return JSON.parse(text);
    }

    // What the bridge calls (src/OmneoSfccBridge/Upstreams/Sfcc/IOcapiShopApi.cs, IOcapiDataApi.cs), as
    // OCAPI resource ids with * for a path parameter; nothing more.
    const EXPECTED = {
        'shop-api.json': {
            '/customers/auth': ['post'],
            '/customers': ['post'],
            '/customers/*': ['get']
        },
        'data-api.json': {
            '/customer_lists/*/customer_search': ['post'],
            '/customer_lists/*/customers/*': ['get', 'patch']
        }
    };

    for (const [file, expected] of Object.entries(EXPECTED)) {
        test(`${file}_IsValidOcapiSettings_WithOneClient`, () => {
            const json = settings(file);
            assert.match(json._v, /^\d+\.\d+$/);
            assert.ok(Array.isArray(json.clients) && json.clients.length === 1);
            const client = json.clients[0];
            assert.equal(typeof client.client_id, 'string');
            assert.ok(client.client_id.length > 0);
            assert.equal(client.allowed_origins, undefined, 'the bridge calls server to server: no browser origin is needed');
            for (const resource of client.resources) {
                assert.deepEqual(Object.keys(resource).filter((k) => !['resource_id', 'methods', 'read_attributes', 'write_attributes', 'cache_time', 'personalized_caching_enabled'].includes(k)), []);
                assert.ok(resource.methods.every((m) => ['get', 'post', 'put', 'patch', 'delete', 'head'].includes(m)));
                assert.equal(new Set(resource.methods).size, resource.methods.length, `${resource.resource_id}: repeated method`);
            }
        });

        test(`${file}_GrantsExactlyTheResourcesAndMethodsTheBridgeCalls`, () => {
            const resources = settings(file).clients[0].resources;
            const granted = Object.fromEntries(resources.map((r) => [r.resource_id, [...r.methods].sort()]));
            assert.equal(resources.length, Object.keys(granted).length, 'a resource is listed twice');
            assert.deepEqual(granted, Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v].sort()])));
            for (const resource of resources) {
                assert.ok(!resource.resource_id.includes('**'), `${resource.resource_id}: a ** wildcard grants more than the bridge calls`);
                const writes = resource.methods.some((m) => m !== 'get' && m !== 'head');
                assert.equal(resource.write_attributes !== undefined, writes, `${resource.resource_id}: write_attributes only where a method writes`);
            }
        });
    }
});
