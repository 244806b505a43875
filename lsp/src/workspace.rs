//! What the server analyses: the folder a document belongs to (its `.skill` files on disk, with
//! open documents laid over them) and the standard library. Standard-library files are written once
//! to a cache directory under the system temp dir (`deft-lsp-std-<version>/`), so that go to
//! definition can open them as ordinary, read-only-by-convention files in any editor.

use crate::documents::Documents;
use deft_compiler::analysis::Analysis;
use deft_compiler::{FileId, SourceSet, World};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use tower_lsp_server::ls_types::Uri;

/// Where the stdlib sources are written for go to definition.
#[derive(Clone, Debug)]
pub struct StdDir(Option<PathBuf>);

impl StdDir {
    /// Write the stdlib sources to the cache directory (once per compiler version and content).
    pub fn create() -> StdDir {
        let dir = std::env::temp_dir().join(format!("deft-lsp-std-{}", deft_compiler::VERSION));
        let ok = std::fs::create_dir_all(&dir).is_ok()
            && deft_stdlib::SOURCES.iter().all(|(_, path, text)| {
                let name = path.trim_start_matches("<std>/");
                let file = dir.join(name);
                std::fs::read_to_string(&file).is_ok_and(|t| t == *text) || std::fs::write(&file, text).is_ok()
            });
        StdDir(ok.then_some(dir))
    }

    /// The URI of a stdlib file (`<std>/motion.skill`) in the cache directory.
    fn uri(&self, std_path: &str) -> Option<Uri> {
        let name = std_path.strip_prefix("<std>/")?;
        Uri::from_file_path(self.0.as_ref()?.join(name))
    }

    /// Whether a document is one of the cached stdlib files.
    pub fn contains(&self, uri: &Uri) -> bool {
        let (Some(dir), Some(path)) = (&self.0, uri.to_file_path()) else { return false };
        path.parent() == Some(dir.as_path())
    }
}

/// The folder of a document, as the key of its snapshot.
pub fn folder_key(uri: &Uri) -> String {
    match uri.to_file_path().and_then(|p| p.parent().map(Path::to_path_buf)) {
        Some(dir) => dir.to_string_lossy().into_owned(),
        None => uri.as_str().to_string(),
    }
}

/// One analysed folder: an analysis of its main program (`main.skill`, or the document asked about)
/// and one for each file of the folder that the main program does not reach through `use`.
#[derive(Debug)]
pub struct Snapshot {
    pub analyses: Vec<Analysis>,
    std: StdDir,
}

/// The `.skill` files of the folder of `uri`, by path string: on disk, then open documents over them.
fn folder_files(uri: &Uri, docs: &Documents) -> BTreeMap<String, (Uri, String)> {
    let mut files = BTreeMap::new();
    let dir = uri.to_file_path().and_then(|p| p.parent().map(Path::to_path_buf));
    if let Some(dir) = &dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "skill")
                && let (Some(file_uri), Ok(text)) = (Uri::from_file_path(&path), std::fs::read_to_string(&path))
            {
                files.insert(path.to_string_lossy().into_owned(), (file_uri, text));
            }
        }
    }
    for (doc_uri, doc) in docs.iter() {
        let same_folder = match (&dir, doc_uri.to_file_path()) {
            (Some(dir), Some(p)) => p.parent() == Some(dir.as_path()),
            _ => doc_uri == uri,
        };
        if same_folder {
            let key = doc_uri
                .to_file_path()
                .map_or_else(|| doc_uri.as_str().to_string(), |p| p.to_string_lossy().into_owned());
            files.insert(key, (doc_uri.clone(), doc.text.clone()));
        }
    }
    files
}

fn stem(uri: &Uri) -> String {
    let s = uri.as_str();
    let name = s.rsplit('/').next().unwrap_or(s);
    name.strip_suffix(".skill").unwrap_or(name).to_string()
}

fn sources(main: &(Uri, String), others: &[&(Uri, String)]) -> SourceSet {
    let mut set = SourceSet::new();
    set.add_main(main.0.as_str(), &main.1);
    for (uri, text) in others {
        set.add(&stem(uri), uri.as_str(), text);
    }
    for (module, path, text) in deft_stdlib::SOURCES {
        set.add(module, path, text);
    }
    set
}

impl Snapshot {
    /// Analyse the folder of `uri` with the open documents.
    pub fn build(uri: &Uri, docs: &Documents, std: StdDir) -> Snapshot {
        let files = folder_files(uri, docs);
        let all: Vec<&(Uri, String)> = files.values().collect();
        let main_index =
            all.iter().position(|(u, _)| stem(u) == "main").or_else(|| all.iter().position(|(u, _)| u == uri));
        let mut analyses = Vec::new();
        let mut covered: Vec<String> = Vec::new();
        let order = main_index.into_iter().chain(0..all.len());
        for i in order {
            let main = all[i];
            if covered.iter().any(|c| c == main.0.as_str()) {
                continue;
            }
            let others: Vec<&(Uri, String)> =
                all.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, f)| *f).collect();
            let set = sources(main, &others);
            let analysis = Analysis::new(&set);
            for f in analysis.reached_files() {
                covered.push(set.path(f).to_string());
            }
            analyses.push(analysis);
        }
        Snapshot { analyses, std }
    }

    /// The analysis that covers a document, and the document's file in it.
    pub fn locate(&self, uri: &Uri) -> Option<(&Analysis, FileId)> {
        self.analyses.iter().find_map(|a| {
            let file = a.file_id(uri.as_str())?;
            a.reached_files().contains(&file).then_some((a, file))
        })
    }

    /// The URI of a file of an analysis: the document itself, or the cached copy of a stdlib file.
    pub fn uri(&self, analysis: &Analysis, file: FileId) -> Option<Uri> {
        let path = analysis.path(file);
        if analysis.is_std(file) { self.std.uri(path) } else { Uri::from_str(path).ok() }
    }

    /// Every program file with the analysis that covers it, for publishing diagnostics.
    pub fn covered_files(&self) -> Vec<(&Analysis, FileId)> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for a in &self.analyses {
            for f in a.reached_files() {
                let path = a.path(f).to_string();
                if !a.is_std(f) && !seen.contains(&path) {
                    seen.push(path);
                    out.push((a, f));
                }
            }
        }
        out
    }
}
