//! The `LanguageServer` implementation: one-liners into `handlers`.

use crate::documents::Documents;
use crate::handlers;
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

#[derive(Debug)]
pub struct DeftLanguageServer {
    client: Client,
    documents: Mutex<Documents>,
}

impl DeftLanguageServer {
    pub fn new(client: Client) -> DeftLanguageServer {
        DeftLanguageServer { client, documents: Mutex::new(Documents::default()) }
    }

    async fn publish(&self, uri: Uri) {
        let snapshot = self.documents.lock().await.get(&uri).cloned();
        if let Some(doc) = snapshot {
            let diagnostics = handlers::diagnostics(&uri, &doc.text);
            self.client.publish_diagnostics(uri, diagnostics, Some(doc.version)).await;
        }
    }
}

impl LanguageServer for DeftLanguageServer {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
                ..Default::default()
            },
            server_info: Some(ServerInfo { name: "deft".to_string(), version: Some(deft_compiler::VERSION.to_string()) }),
            ..Default::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.documents.lock().await.open(doc.uri.clone(), doc.text, doc.version);
        self.publish(doc.uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Some(doc) = self.documents.lock().await.get_mut(&uri) {
            handlers::apply_changes(&mut doc.text, params.content_changes);
            doc.version = params.text_document.version;
        }
        self.publish(uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.documents.lock().await.close(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }
}
