'use strict';

// SFCC runs cartridge scripts on Rhino: keep them ES5 (var, function; no arrow functions,
// let/const, template strings or classes).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const CARTRIDGES = ['int_omneo_bridge', 'plugin_omneo_bridge'].map((name) => path.resolve(__dirname, '..', name, 'cartridge'));
const ROOT = path.resolve(__dirname, '..');

function scripts(folder) {
    return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) {
            return scripts(full);
        }
        return entry.name.endsWith('.js') ? [full] : [];
    });
}

// Removes comments, string and regular expression literals, so the scan below only sees code.
function codeOnly(source) {
    let out = '';
    let i = 0;
    let previous = '';
    while (i < source.length) {
        const c = source[i];
        const next = source[i + 1];
        if (c === '/' && next === '/') {
            while (i < source.length && source[i] !== '\n') i++;
        } else if (c === '/' && next === '*') {
            i = source.indexOf('*/', i + 2) + 2;
        } else if (c === '"' || c === "'") {
            i++;
            while (source[i] !== c) i += source[i] === '\\' ? 2 : 1;
            i++;
            out += '""';
            previous = '"';
        } else if (c === '/' && /[(,=:[!&|?{};+\-*%<>~^]|^$/.test(previous)) {
            i++;
            let inClass = false;
            while (inClass || source[i] !== '/') {
                if (source[i] === '\\') i++;
                else if (source[i] === '[') inClass = true;
                else if (source[i] === ']') inClass = false;
                i++;
            }
            i++;
            while (/[a-z]/.test(source[i])) i++;
            out += '/r/';
            previous = '/';
        } else {
            out += c;
            if (!/\s/.test(c)) previous = c;
            i++;
        }
    }
    return out;
}

const FORBIDDEN = [
    [/=>/, 'arrow function'],
    [/\blet\s/, 'let'],
    [/\bconst\s/, 'const'],
    [/`/, 'template string'],
    [/\bclass\s/, 'class'],
    [/\.\.\./, 'spread or rest'],
    [/\bfor\s*\([^)]*\bof\b/, 'for...of']
];

const files = CARTRIDGES.flatMap(scripts);

test('cartridge_HasScriptsToCheck', () => {
    for (const cartridge of CARTRIDGES) {
        const count = scripts(cartridge).length;
        assert.ok(count >= 5, `found only ${count} scripts under ${cartridge}`);
    }
});

for (const file of files) {
    const name = path.relative(ROOT, file);

    test(`es5Scan_${name}_UsesNoLaterSyntax`, () => {
        const code = codeOnly(fs.readFileSync(file, 'utf8'));
        for (const [pattern, what] of FORBIDDEN) {
            assert.ok(!pattern.test(code), `${name} uses ${what}`);
        }
    });

    test(`es5Parse_${name}_ParsesAsEcmaScript5`, (t) => {
        // Node ships acorn internally; it is reachable only with --expose-internals.
        const check = spawnSync(process.execPath, ['--expose-internals', '-e', `
            let acorn;
            try { acorn = require('internal/deps/acorn/acorn/dist/acorn'); } catch (e) { process.exit(3); }
            const source = require('node:fs').readFileSync(process.argv[1], 'utf8');
            try { acorn.parse(source, { ecmaVersion: 5, sourceType: 'script' }); }
            catch (e) { process.stderr.write(e.message); process.exit(1); }
        `, file], { encoding: 'utf8' });
        if (check.status === 3) {
            t.skip('this Node build does not expose its internal acorn parser');
            return;
        }
        assert.equal(check.status, 0, `${name} is not ES5: ${check.stderr}`);
    });
}
