//! The language server end to end: `deft lsp` over stdio publishes diagnostics on open and on change
//! (for every file of the folder) and clears them when fixed; answers hover, definition (into sibling
//! files and the stdlib), references, rename, completion, signature help, symbols, semantic tokens,
//! inlay hints, code actions and formatting; and survives documents of any content.

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
    fn wait_for(&self, mut pred: impl FnMut(&Value) -> bool) -> Value {
        loop {
            let m = self.messages.recv_timeout(Duration::from_secs(60)).expect("the server answers within a minute");
            if pred(&m) {
                return m;
            }
        }
    }
}

impl Client {
    /// Start a server and go through `initialize`; returns the server's capabilities.
    fn initialized() -> (Client, Value) {
        let mut c = Client::start();
        c.send(json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}));
        let init = c.wait_for(|m| m["id"] == 0);
        c.send(json!({"jsonrpc":"2.0","method":"initialized","params":{}}));
        (c, init["result"]["capabilities"].clone())
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.send(json!({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{
            "uri":uri,"languageId":"deft","version":1,"text":text}}}));
    }

    /// Send a request and wait for its response.
    fn request(&mut self, id: u64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc":"2.0","id":id,"method":method,"params":params}));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// A request at a position of a document.
    fn at(&mut self, id: u64, method: &str, uri: &str, (line, character): (u32, u32)) -> Value {
        let mut params = json!({"textDocument":{"uri":uri},"position":{"line":line,"character":character}});
        if method == "textDocument/references" {
            params["context"] = json!({"includeDeclaration": true});
        }
        self.request(id, method, params)
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
    assert_eq!(init["result"]["capabilities"]["textDocumentSync"]["change"], 2, "incremental sync: {init}");
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

/// A fresh folder under the temp dir with these files; removed when dropped.
struct Folder(std::path::PathBuf);

impl Folder {
    fn new(name: &str, files: &[(&str, &str)]) -> Folder {
        let dir = std::env::temp_dir().join(format!("deft-lsp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp folder");
        for (file, text) in files {
            std::fs::write(dir.join(file), text).expect("write file");
        }
        Folder(dir)
    }

    fn uri(&self, file: &str) -> String {
        format!("file://{}/{file}", self.0.display())
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const MAIN: &str = "use std::motion::{pick}
use helpers::{double}

cell {
    /// The gripper on the arm.
    gripper: Gripper
    housing: Part
}

/// How far to go.
const CLEARANCE: Length = 50 mm

/// Pick the housing.
skill take() {
    let d = double(CLEARANCE)
    gripper.pick(housing, force = 20 N)
    log(\"{d}\")
}
";

const HELPERS: &str = "/// Twice the length.
pub fn double(x: Length) -> Length {
    return x * 2
}
";

fn diagnostics_for(c: &Client, uri: &str) -> Vec<Value> {
    let m = c.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    m["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
}

#[test]
fn navigates_the_folder_and_the_stdlib() {
    let folder = Folder::new("nav", &[("main.skill", MAIN), ("helpers.skill", HELPERS)]);
    let (mut c, caps) = Client::initialized();
    for cap in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "completionProvider",
        "signatureHelpProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "semanticTokensProvider",
        "inlayHintProvider",
        "codeActionProvider",
        "documentFormattingProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap} advertised: {caps}");
    }
    let main = folder.uri("main.skill");
    c.open(&main, MAIN);
    assert_eq!(diagnostics_for(&c, &main), Vec::<Value>::new());

    // Hover on `double`: signature and doc from the sibling file.
    let hover = c.at(1, "textDocument/hover", &main, (14, 13));
    let text = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("fn double(x: Length) -> Length") && text.contains("Twice the length."), "{hover}");
    // Hover on the constant shows its value; on the skill, the hardware it commands.
    let hover = c.at(2, "textDocument/hover", &main, (14, 25));
    assert!(hover["result"]["contents"]["value"].as_str().unwrap_or_default().contains("= 50 mm"), "{hover}");
    let hover = c.at(3, "textDocument/hover", &main, (13, 7));
    assert!(
        hover["result"]["contents"]["value"].as_str().unwrap_or_default().contains("commands: `gripper`"),
        "{hover}"
    );

    // Definition of `double` is in helpers.skill; of `pick`, in a stdlib file that exists on disk.
    let def = c.at(4, "textDocument/definition", &main, (14, 13));
    assert_eq!(def["result"]["uri"], folder.uri("helpers.skill"), "{def}");
    assert_eq!(def["result"]["range"]["start"], json!({"line":1,"character":7}));
    let def = c.at(5, "textDocument/definition", &main, (15, 14));
    let std_uri = def["result"]["uri"].as_str().unwrap_or_default().to_string();
    assert!(std_uri.ends_with("/motion.skill"), "{def}");
    let std_path = std_uri.trim_start_matches("file://");
    assert!(std::fs::read_to_string(std_path).is_ok_and(|t| t.contains("skill pick(")), "{std_path}");

    // References to `double`: the `use`, the call and the declaration in the sibling file.
    let refs = c.at(6, "textDocument/references", &main, (14, 13));
    assert_eq!(refs["result"].as_array().map(Vec::len), Some(3), "{refs}");

    // Rename a constant everywhere; renaming a stdlib item is refused with a message.
    let mut rename = |id, pos: (u32, u32), name: &str| {
        c.request(
            id,
            "textDocument/rename",
            json!({"textDocument":{"uri":main},
            "position":{"line":pos.0,"character":pos.1},"newName":name}),
        )
    };
    let edit = rename(7, (10, 8), "MARGIN");
    assert_eq!(edit["result"]["changes"][&main].as_array().map(Vec::len), Some(2), "{edit}");
    let refused = rename(8, (15, 14), "grab");
    assert!(refused["error"]["message"].as_str().unwrap_or_default().contains("standard library"), "{refused}");

    // Outline, workspace symbols, semantic tokens, inlay hints.
    let symbols = c.request(9, "textDocument/documentSymbol", json!({"textDocument":{"uri":main}}));
    let names: Vec<&str> =
        symbols["result"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert!(names.contains(&"take") && names.contains(&"CLEARANCE") && names.contains(&"gripper"), "{symbols}");
    let found = c.request(10, "workspace/symbol", json!({"query":"doub"}));
    assert_eq!(found["result"][0]["location"]["uri"], folder.uri("helpers.skill"), "{found}");
    let legend = &caps["semanticTokensProvider"]["legend"]["tokenTypes"];
    let quantity = legend.as_array().and_then(|l| l.iter().position(|t| t == "quantity")).expect("quantity token");
    let tokens = c.request(11, "textDocument/semanticTokens/full", json!({"textDocument":{"uri":main}}));
    let data: Vec<u64> = tokens["result"]["data"].as_array().into_iter().flatten().filter_map(Value::as_u64).collect();
    assert!(data.chunks(5).any(|t| t[3] == quantity as u64), "{tokens}");
    let hints = c.request(
        12,
        "textDocument/inlayHint",
        json!({"textDocument":{"uri":main},
        "range":{"start":{"line":0,"character":0},"end":{"line":30,"character":0}}}),
    );
    assert_eq!(hints["result"][0]["label"], ": Length", "{hints}");
    assert_eq!(hints["result"][0]["position"], json!({"line":14,"character":9}));
}

#[test]
fn completes_signs_fixes_and_formats() {
    let folder = Folder::new("edit", &[("main.skill", MAIN), ("helpers.skill", HELPERS)]);
    let (mut c, _) = Client::initialized();
    let main = folder.uri("main.skill");
    let text = MAIN.replace("    log(\"{d}\")\n", "    let z = 50 m\n    gripper.pick(housing, \n");
    c.open(&main, &text);
    let _ = diagnostics_for(&c, &main);
    let units = c.at(1, "textDocument/completion", &main, (16, 16));
    let labels: Vec<&str> =
        units["result"].as_array().into_iter().flatten().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"mm") && labels.contains(&"mm/s") && !labels.contains(&"let"), "{labels:?}");
    let named = c.at(2, "textDocument/completion", &main, (17, 26));
    let labels: Vec<&str> =
        named["result"].as_array().into_iter().flatten().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"force =") && labels.contains(&"d") && labels.contains(&"CLEARANCE"), "{labels:?}");
    let sig = c.at(3, "textDocument/signatureHelp", &main, (17, 26));
    assert_eq!(sig["result"]["activeParameter"], 2, "{sig}");
    assert!(sig["result"]["signatures"][0]["label"].as_str().unwrap_or_default().starts_with("skill pick("), "{sig}");

    // A unit mistake gets a quick fix from the diagnostic's help.
    let broken = "fn f() -> Length {\n    return 1 mm + 40 N\n}\n";
    let other = folder.uri("other.skill");
    c.open(&other, broken);
    let diags = diagnostics_for(&c, &other);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let actions = c.request(
        4,
        "textDocument/codeAction",
        json!({"textDocument":{"uri":other},
        "range":diags[0]["range"],"context":{"diagnostics":diags}}),
    );
    let edit = &actions["result"][0]["edit"]["changes"][&other][0];
    assert_eq!(edit["newText"], "40 mm", "{actions}");

    let messy = "fn   f( )->Length{\nreturn 1 mm\n}\n";
    let fmt_uri = folder.uri("fmt.skill");
    c.open(&fmt_uri, messy);
    let formatted = c.request(
        5,
        "textDocument/formatting",
        json!({"textDocument":{"uri":fmt_uri},
        "options":{"tabSize":4,"insertSpaces":true}}),
    );
    assert_eq!(formatted["result"][0]["newText"], "fn f() -> Length {\n    return 1 mm\n}\n", "{formatted}");
}

#[test]
fn reports_diagnostics_of_unopened_sibling_files() {
    let broken = "pub fn double(x: Length) -> Length {\n    return x * 2 s\n}\n";
    let folder = Folder::new("sibling", &[("main.skill", MAIN), ("helpers.skill", broken)]);
    let (mut c, _) = Client::initialized();
    c.open(&folder.uri("main.skill"), MAIN);
    let helpers = folder.uri("helpers.skill");
    let diags = diagnostics_for(&c, &helpers);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["range"]["start"]["line"], 1);

    // Fixed in the editor (not saved): clean. Closed without saving: the disk copy's error is back.
    c.open(&helpers, HELPERS);
    assert_eq!(diagnostics_for(&c, &helpers), Vec::<Value>::new());
    c.send(json!({"jsonrpc":"2.0","method":"textDocument/didClose","params":{"textDocument":{"uri":helpers}}}));
    assert_eq!(diagnostics_for(&c, &helpers).len(), 1);
}

#[test]
fn survives_garbage_and_half_typed_documents() {
    let (mut c, _) = Client::initialized();
    let uri = "file:///tmp/deft-lsp-garbage/main.skill";
    let mut seed = 0x2545_f491_u64;
    let mut garbage = String::new();
    for _ in 0..400 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        garbage.push(char::from_u32((seed % 0x2ff) as u32).unwrap_or('?'));
        if seed.is_multiple_of(11) {
            garbage.push('\n');
        }
    }
    let docs = [
        garbage.as_str(),
        "skill s() {\n    let x = 5 mm\n    x.\n",
        "fn f(a: Length -> {\n  return a +",
        "struct S {",
    ];
    let mut id = 100;
    for (version, doc) in docs.iter().enumerate() {
        c.send(json!({"jsonrpc":"2.0","method":"textDocument/didChange","params":{
            "textDocument":{"uri":uri,"version":version},"contentChanges":[{"text":doc}]}}));
        if version == 0 {
            c.open(uri, doc);
        }
        for line in 0..4 {
            for character in [0, 3, 9, 40] {
                for method in ["textDocument/hover", "textDocument/completion", "textDocument/signatureHelp"] {
                    id += 1;
                    let answer = c.at(id, method, uri, (line, character));
                    assert!(answer.get("error").is_none(), "{method} on {doc:?}: {answer}");
                }
            }
        }
    }
    let symbols = c.request(1, "textDocument/semanticTokens/full", json!({"textDocument":{"uri":uri}}));
    assert!(symbols["result"]["data"].is_array(), "{symbols}");
}

#[test]
fn debounces_rapid_changes_into_one_publish() {
    let (mut c, _) = Client::initialized();
    let uri = "file:///tmp/deft-lsp-debounce/main.skill";
    c.open(uri, "fn f() -> Length {\n    return 1 mm\n}\n");
    let _ = diagnostics_for(&c, uri);
    for version in 2..=6 {
        // Each keystroke appends a character to the return value: `1 mm + 4`, ... ; the last is valid.
        let text = if version < 6 {
            format!("fn f() -> Length {{\n    return 1 mm + {version}\n}}\n")
        } else {
            "fn f() -> Length {\n    return 2 mm\n}\n".to_string()
        };
        c.send(json!({"jsonrpc":"2.0","method":"textDocument/didChange","params":{
            "textDocument":{"uri":uri,"version":version},"contentChanges":[{"text":text}]}}));
    }
    let mut versions = Vec::new();
    let last = c.wait_for(|m| {
        if m["method"] == "textDocument/publishDiagnostics" {
            versions.push(m["params"]["version"].clone());
        }
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 6
    });
    assert_eq!(versions, vec![json!(6)], "only the last change is checked");
    assert_eq!(last["params"]["diagnostics"], json!([]));
}
