//! The language server end to end: `deft lsp` over stdio publishes diagnostics on open and on change,
//! and clears them when the document is fixed.

use deft_tests::deft_bin;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
}

fn read_message(reader: &mut BufReader<ChildStdout>) -> Option<Value> {
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(deft_bin())
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("deft lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            while let Some(m) = read_message(&mut stdout) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        Client { child, stdin, messages }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to server");
        self.stdin.flush().expect("flush");
    }

    /// The next message with this method (or a response with this id), skipping others.
    fn wait_for(&self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self.messages.recv_timeout(Duration::from_secs(60)).expect("the server answers within a minute");
            if pred(&m) {
                return m;
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn publishes_and_clears_diagnostics() {
    let mut c = Client::start();
    c.send(json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}));
    let init = c.wait_for(|m| m["id"] == 1);
    assert_eq!(init["result"]["capabilities"]["textDocumentSync"], 2, "incremental sync: {init}");
    c.send(json!({"jsonrpc":"2.0","method":"initialized","params":{}}));

    let uri = "file:///tmp/deft-lsp-test/main.skill";
    let broken = "fn f() -> Length {\n    return 1 mm + 40 N\n}\n";
    c.send(json!({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{
        "uri":uri,"languageId":"deft","version":1,"text":broken}}}));
    let published = c.wait_for(|m| m["method"] == "textDocument/publishDiagnostics");
    let diags = published["params"]["diagnostics"].as_array().expect("diagnostics array");
    assert_eq!(diags.len(), 1, "{published}");
    assert_eq!(diags[0]["code"], "E0308");
    assert_eq!(diags[0]["range"]["start"]["line"], 1);

    // Fix it with an incremental edit: replace `40 N` (line 1, chars 18..22) by `40 mm`.
    c.send(json!({"jsonrpc":"2.0","method":"textDocument/didChange","params":{
        "textDocument":{"uri":uri,"version":2},
        "contentChanges":[{"range":{"start":{"line":1,"character":18},"end":{"line":1,"character":22}},"text":"40 mm"}]}}));
    let published = c.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 2);
    assert_eq!(published["params"]["diagnostics"], json!([]), "{published}");

    c.send(json!({"jsonrpc":"2.0","id":2,"method":"shutdown"}));
    c.wait_for(|m| m["id"] == 2);
    c.send(json!({"jsonrpc":"2.0","method":"exit"}));
}
