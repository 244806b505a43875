// The Deft extension's client: starts `deft lsp` (the path from the `deft.path` setting) for `.skill`
// files and restarts it when that setting changes. Highlighting comes from the TextMate grammar; the
// server adds diagnostics, hover, completion, semantic tokens and the rest.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** The server command from the settings; a bare name is looked up on PATH by the OS. */
function serverOptions() {
  const configured = vscode.workspace.getConfiguration('deft').get('path');
  const command = typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : 'deft';
  return { command, args: ['lsp'], transport: TransportKind.stdio };
}

async function start(context) {
  client = new LanguageClient('deft', 'Deft language server', serverOptions(), {
    documentSelector: [{ scheme: 'file', language: 'deft' }, { scheme: 'untitled', language: 'deft' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.skill,cell.toml}') },
  });
  try {
    await client.start();
  } catch (err) {
    // A missing binary should say which setting to fix, not just "spawn ENOENT".
    const command = serverOptions().command;
    vscode.window.showErrorMessage(`Deft: could not start \`${command} lsp\` (set \`deft.path\`): ${err}`);
  }
  context.subscriptions.push({ dispose: () => stop() });
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch(() => undefined);
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('deft.path')) {
        await stop();
        await start(context);
      }
    }),
    vscode.commands.registerCommand('deft.restartServer', async () => {
      await stop();
      await start(context);
    }),
  );
  await start(context);
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, serverOptions };
