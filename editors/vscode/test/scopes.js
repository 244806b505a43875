// Tokenizes .skill files with the extension's grammar (the same vscode-textmate engine as VS Code)
// and prints, as JSON, the tokens the Rust tests compare with the compiler: quantities, units and
// anything marked invalid. Usage: node test/scopes.js FILE... ; prints {file: [[line, start, end, kind]]}
// with 0-based lines and UTF-16 columns, end exclusive.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const tm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const KINDS = [
  ['invalid', 'invalid'],
  ['constant.numeric.quantity.deft', 'quantity'],
  ['keyword.other.unit.deft', 'unit'],
];

async function main() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new tm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => {
      const file = path.join(__dirname, '..', 'syntaxes', 'deft.tmLanguage.json');
      return tm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.deft');
  const out = {};
  for (const file of process.argv.slice(2)) {
    const found = [];
    let stack = tm.INITIAL;
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, n) => {
        const result = grammar.tokenizeLine(line, stack);
        for (const token of result.tokens) {
          // Inside a string (an interpolation) the compiler reports one string token; skip those.
          if (token.scopes.some((s) => s.startsWith('string.'))) continue;
          const kind = KINDS.find(([scope]) => token.scopes.some((s) => s.startsWith(scope)));
          if (kind) found.push([n, token.startIndex, Math.min(token.endIndex, line.length), kind[1]]);
        }
        stack = result.ruleStack;
      });
    out[file] = found;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
