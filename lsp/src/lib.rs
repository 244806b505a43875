//! The Deft language server: a thin shell over `deft_compiler::analysis`. Only this crate knows LSP;
//! each request handler is a one-liner into [`handlers`], and every handler catches panics so that a
//! compiler bug costs one answer, not the editor session.

mod convert;
mod documents;
mod handlers;
mod server;
mod workspace;

#[cfg(test)]
mod tests;

pub use server::DeftLanguageServer;

use tower_lsp_server::{LspService, Server};

/// Serve the language server on stdin and stdout until the client exits.
pub fn serve_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let (service, socket) = LspService::new(DeftLanguageServer::new);
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
    });
    Ok(())
}
