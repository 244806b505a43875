//! How the compiler sees sources: through the [`World`] trait, so that the compiler does no IO.
//! The CLI, the language server and the tests fill a [`SourceSet`] and hand it in.

use crate::span::FileId;

/// The sources of one compilation: the main module, the stdlib, and sibling files.
pub trait World {
    /// The module being compiled (the one whose skills are exported).
    fn main(&self) -> FileId;
    /// The text of a file.
    fn source(&self, file: FileId) -> &str;
    /// The name of a file as diagnostics print it (`examples/press_fit/main.skill`).
    fn path(&self, file: FileId) -> &str;
    /// The file of a module path as written in `use`: `["std", "motion"]`, or `["fixtures"]` for a
    /// sibling `fixtures.skill`. `None` when there is no such module.
    fn module(&self, path: &[&str]) -> Option<FileId>;
    /// Every file, for whole-program passes (hashing, the language server).
    fn files(&self) -> Vec<FileId>;
}

/// An in-memory [`World`]: files with their display paths and module names.
#[derive(Clone, Debug, Default)]
pub struct SourceSet {
    files: Vec<SourceFile>,
    main: Option<FileId>,
}

#[derive(Clone, Debug)]
struct SourceFile {
    path: String,
    module: String,
    text: String,
}

impl SourceSet {
    pub fn new() -> SourceSet {
        SourceSet::default()
    }

    /// Add a file under a module name (`std::motion`, `fixtures`, or `main` for the main module).
    pub fn add(&mut self, module: &str, path: &str, text: &str) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile { path: path.to_string(), module: module.to_string(), text: text.to_string() });
        id
    }

    /// Add the main module; its module name is `main`.
    pub fn add_main(&mut self, path: &str, text: &str) -> FileId {
        let id = self.add("main", path, text);
        self.main = Some(id);
        id
    }

    /// Replace a file's text (the language server on every change).
    pub fn set_text(&mut self, file: FileId, text: &str) {
        if let Some(f) = self.files.get_mut(file.0 as usize) {
            f.text = text.to_string();
        }
    }

    pub fn find_path(&self, path: &str) -> Option<FileId> {
        self.files.iter().position(|f| f.path == path).map(|i| FileId(i as u32))
    }
}

impl World for SourceSet {
    fn main(&self) -> FileId {
        self.main.unwrap_or(FileId(0))
    }

    fn source(&self, file: FileId) -> &str {
        self.files.get(file.0 as usize).map_or("", |f| f.text.as_str())
    }

    fn path(&self, file: FileId) -> &str {
        self.files.get(file.0 as usize).map_or("<unknown>", |f| f.path.as_str())
    }

    fn module(&self, path: &[&str]) -> Option<FileId> {
        let name = path.join("::");
        self.files.iter().position(|f| f.module == name).map(|i| FileId(i as u32))
    }

    fn files(&self) -> Vec<FileId> {
        (0..self.files.len() as u32).map(FileId).collect()
    }
}
