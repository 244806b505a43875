//! The `LanguageServer` implementation: one-liners into `handlers`, plus the state they share: the
//! open documents, a snapshot cache per folder (rebuilt after any edit), and debounced diagnostics.

use crate::documents::Documents;
use crate::handlers::{self, guard};
use crate::workspace::{Snapshot, StdDir, folder_key};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// How long after the last change to a document its folder is re-checked for diagnostics.
const DEBOUNCE: Duration = Duration::from_millis(150);

#[derive(Debug)]
pub struct DeftLanguageServer {
    state: Arc<State>,
}

#[derive(Debug)]
struct State {
    client: Client,
    documents: Mutex<Documents>,
    /// Bumped on every open, change and close: a cached snapshot is current iff built at this count.
    edits: AtomicU64,
    snapshots: Mutex<HashMap<String, (u64, Arc<Snapshot>)>>,
    std: StdDir,
}

impl State {
    /// The analysed folder of a document, rebuilt when any document changed since the last build.
    async fn snapshot(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        let key = folder_key(uri);
        let edits = self.edits.load(Ordering::SeqCst);
        if let Some((at, snap)) = self.snapshots.lock().await.get(&key)
            && *at == edits
        {
            return Some(snap.clone());
        }
        let docs = self.documents.lock().await.clone();
        let (uri, std) = (uri.clone(), self.std.clone());
        let build = move || guard("the analysis", None, || Some(Snapshot::build(&uri, &docs, std)));
        let snap = Arc::new(tokio::task::spawn_blocking(build).await.ok().flatten()?);
        self.snapshots.lock().await.insert(key, (edits, snap.clone()));
        Some(snap)
    }

    /// Answer a request from the snapshot of the document's folder; a panic answers `fallback`.
    async fn with<T>(&self, what: &str, uri: &Uri, fallback: T, f: impl FnOnce(&Snapshot) -> T) -> T {
        match self.snapshot(uri).await {
            Some(snap) => guard(what, fallback, || f(&snap)),
            None => fallback,
        }
    }

    /// Publish the diagnostics of every program file in the folder of `uri`; returns the files.
    async fn publish(&self, uri: &Uri) -> Vec<Uri> {
        if self.std.contains(uri) {
            return Vec::new();
        }
        let published = self.with("diagnostics", uri, Vec::new(), handlers::diagnostics).await;
        let mut files = Vec::new();
        for (file, diagnostics) in published {
            let version = self.documents.lock().await.get(&file).map(|d| d.version);
            files.push(file.clone());
            self.client.publish_diagnostics(file, diagnostics, version).await;
        }
        files
    }

    fn edited(&self) {
        self.edits.fetch_add(1, Ordering::SeqCst);
    }
}

impl DeftLanguageServer {
    pub fn new(client: Client) -> DeftLanguageServer {
        let state = State {
            client,
            documents: Mutex::new(Documents::default()),
            edits: AtomicU64::new(0),
            snapshots: Mutex::new(HashMap::new()),
            std: StdDir::create(),
        };
        DeftLanguageServer { state: Arc::new(state) }
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([".", " ", "(", ",", ":", "*", "/"].map(String::from).to_vec()),
            ..Default::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(["(", ","].map(String::from).to_vec()),
            ..Default::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: crate::convert::token_legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..Default::default()
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..Default::default()
    }
}

impl LanguageServer for DeftLanguageServer {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "deft".to_string(),
                version: Some(deft_compiler::VERSION.to_string()),
            }),
            ..Default::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.state.documents.lock().await.open(doc.uri.clone(), doc.text, doc.version);
        self.state.edited();
        self.state.publish(&doc.uri).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // Other files of the folder may have changed on disk too: re-read and re-check them.
        self.state.edited();
        self.state.publish(&params.text_document.uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let edits = {
            let mut docs = self.state.documents.lock().await;
            let Some(doc) = docs.get_mut(&uri) else { return };
            handlers::apply_changes(&mut doc.text, params.content_changes);
            doc.version = params.text_document.version;
            doc.edits += 1;
            doc.edits
        };
        self.state.edited();
        let state = self.state.clone();
        tokio::spawn(async move {
            tokio::time::sleep(DEBOUNCE).await;
            let latest = state.documents.lock().await.get(&uri).map(|d| d.edits);
            if latest == Some(edits) {
                state.publish(&uri).await;
            }
        });
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state.documents.lock().await.close(&uri);
        self.state.edited();
        // The copy on disk, if any, now stands for the document; a file that is not on disk is gone.
        if !self.state.publish(&uri).await.contains(&uri) {
            self.state.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> {
        let (uri, pos) = (p.text_document_position_params.text_document.uri, p.text_document_position_params.position);
        Ok(self.state.with("hover", &uri, None, |s| handlers::hover(s, &uri, pos)).await)
    }

    async fn goto_definition(&self, p: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let (uri, pos) = (p.text_document_position_params.text_document.uri, p.text_document_position_params.position);
        Ok(self.state.with("definition", &uri, None, |s| handlers::definition(s, &uri, pos)).await)
    }

    async fn references(&self, p: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let (uri, pos) = (p.text_document_position.text_document.uri, p.text_document_position.position);
        let decl = p.context.include_declaration;
        Ok(Some(self.state.with("references", &uri, Vec::new(), |s| handlers::references(s, &uri, pos, decl)).await))
    }

    async fn prepare_rename(&self, p: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let (uri, pos) = (p.text_document.uri, p.position);
        self.state
            .with("prepareRename", &uri, Ok(None), |s| handlers::prepare_rename(s, &uri, pos))
            .await
            .map_err(Error::invalid_params)
    }

    async fn rename(&self, p: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let (uri, pos) = (p.text_document_position.text_document.uri, p.text_document_position.position);
        let name = p.new_name;
        self.state
            .with("rename", &uri, Ok(None), |s| handlers::rename(s, &uri, pos, &name))
            .await
            .map_err(Error::invalid_params)
    }

    async fn completion(&self, p: CompletionParams) -> Result<Option<CompletionResponse>> {
        let (uri, pos) = (p.text_document_position.text_document.uri, p.text_document_position.position);
        let items = self.state.with("completion", &uri, Vec::new(), |s| handlers::completion(s, &uri, pos)).await;
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn signature_help(&self, p: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let (uri, pos) = (p.text_document_position_params.text_document.uri, p.text_document_position_params.position);
        Ok(self.state.with("signatureHelp", &uri, None, |s| handlers::signature_help(s, &uri, pos)).await)
    }

    async fn document_symbol(&self, p: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let uri = p.text_document.uri;
        let symbols =
            self.state.with("documentSymbol", &uri, Vec::new(), |s| handlers::document_symbols(s, &uri)).await;
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    async fn symbol(&self, p: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let uris: Vec<Uri> = self.state.documents.lock().await.iter().map(|(u, _)| u.clone()).collect();
        let mut snaps = Vec::new();
        for uri in &uris {
            snaps.extend(self.state.snapshot(uri).await);
        }
        let refs: Vec<&Snapshot> = snaps.iter().map(|s| s.as_ref()).collect();
        let symbols = guard("workspace/symbol", Vec::new(), || handlers::workspace_symbols(&refs, &p.query));
        Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
    }

    async fn semantic_tokens_full(&self, p: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let uri = p.text_document.uri;
        let data = self.state.with("semanticTokens", &uri, Vec::new(), |s| handlers::semantic_tokens(s, &uri)).await;
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data })))
    }

    async fn inlay_hint(&self, p: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let (uri, range) = (p.text_document.uri, p.range);
        Ok(Some(self.state.with("inlayHint", &uri, Vec::new(), |s| handlers::inlay_hints(s, &uri, range)).await))
    }

    async fn code_action(&self, p: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let (uri, range) = (p.text_document.uri, p.range);
        Ok(Some(self.state.with("codeAction", &uri, Vec::new(), |s| handlers::code_actions(s, &uri, range)).await))
    }

    async fn formatting(&self, p: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let text = self.state.documents.lock().await.get(&p.text_document.uri).map(|d| d.text.clone());
        Ok(text.and_then(|t| guard("formatting", None, || handlers::formatting(&t))))
    }
}
