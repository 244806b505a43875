// Runs extension.js against stand-ins for `vscode` and `vscode-languageclient/node` (no editor
// needed): the client must start `<deft.path> lsp` for the `deft` language and restart on a new path.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const Module = require('node:module');
const path = require('node:path');

const settings = { path: '/opt/deft/bin/deft' };
const clients = [];
let configListener;
const errors = [];

const vscode = {
  workspace: {
    getConfiguration: (section) => ({ get: (key) => (section === 'deft' ? settings[key] : undefined) }),
    onDidChangeConfiguration: (listener) => {
      configListener = listener;
      return { dispose() {} };
    },
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
  },
  window: { showErrorMessage: (message) => errors.push(message) },
  commands: { registerCommand: (name, run) => ({ name, run, dispose() {} }) },
};

class LanguageClient {
  constructor(id, name, server, options) {
    Object.assign(this, { id, name, server, options, running: false });
    clients.push(this);
  }
  async start() {
    if (this.server.command === 'missing') throw new Error('spawn missing ENOENT');
    this.running = true;
  }
  async stop() {
    this.running = false;
  }
}

const stubs = { vscode, 'vscode-languageclient/node': { LanguageClient, TransportKind: { stdio: 0 } } };
const load = Module._load;
Module._load = function (request, parent, isMain) {
  return Object.hasOwn(stubs, request) ? stubs[request] : load.call(this, request, parent, isMain);
};
const extension = require(path.join(__dirname, '..', 'extension.js'));

test('activation starts `deft lsp` from the deft.path setting for deft documents', async () => {
  const context = { subscriptions: [] };
  await extension.activate(context);
  assert.strictEqual(clients.length, 1);
  const [client] = clients;
  assert.deepStrictEqual([client.server.command, client.server.args], ['/opt/deft/bin/deft', ['lsp']]);
  assert.ok(client.running);
  assert.ok(client.options.documentSelector.some((s) => s.language === 'deft' && s.scheme === 'file'));
  assert.ok(context.subscriptions.some((s) => s.name === 'deft.restartServer'));
});

test('changing deft.path restarts the server with the new command; empty falls back to `deft`', async () => {
  settings.path = '  ';
  await configListener({ affectsConfiguration: (key) => key === 'deft.path' });
  assert.strictEqual(clients.length, 2);
  assert.ok(!clients[0].running, 'the old server is stopped');
  assert.strictEqual(clients[1].server.command, 'deft');
  assert.ok(clients[1].running);
  await configListener({ affectsConfiguration: () => false });
  assert.strictEqual(clients.length, 2, 'unrelated settings leave the server alone');
});

test('a server that cannot start is reported with the setting to fix', async () => {
  settings.path = 'missing';
  await configListener({ affectsConfiguration: (key) => key === 'deft.path' });
  assert.match(errors.at(-1), /deft\.path/);
  await extension.deactivate();
  assert.ok(clients.every((c) => !c.running));
});
