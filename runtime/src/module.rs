//! Loading a compiled skill module, from a shared library or from the JIT's memory: the manifest
//! is read and checked against this runtime before any of the module's code can run.

use crate::abi::{ABI_VERSION, CompiledFn, MANIFEST_SYMBOL, Manifest};
use crate::natives::{NativeFn, Natives, key_arity};
use std::fmt;
use std::path::Path;

/// A manifest larger than this is taken for garbage rather than read.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// Why a module cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The file cannot be opened as a shared library.
    NotALibrary {
        path: String,
        reason: String,
    },
    /// The library has no `deft_manifest` symbol: it was not built by `deft build`.
    NoManifest {
        path: String,
    },
    /// The manifest is not valid JSON of the expected shape.
    BadManifest {
        reason: String,
    },
    AbiMismatch {
        module: u32,
    },
    /// A function of the manifest has no symbol in the module.
    MissingFunction {
        name: String,
        symbol: String,
    },
    /// The module calls a native this runtime does not provide.
    UnknownNative {
        key: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotALibrary { path, reason } => {
                write!(f, "{path} is not a Deft skill module (cannot load it as a shared library: {reason})")
            }
            LoadError::NoManifest { path } => write!(
                f,
                "{path} is a shared library but not a Deft skill module: it has no `{MANIFEST_SYMBOL}`; build it with deft build"
            ),
            LoadError::BadManifest { reason } => write!(f, "the module's manifest is malformed: {reason}"),
            LoadError::AbiMismatch { module } => write!(
                f,
                "module was built for ABI {module}, this runtime speaks ABI {ABI_VERSION}; rebuild it with deft build"
            ),
            LoadError::MissingFunction { name, symbol } => {
                write!(f, "the module's manifest lists `{name}` but the module has no symbol `{symbol}`")
            }
            LoadError::UnknownNative { key } => {
                write!(f, "the module needs the native `{key}`, which this runtime does not provide")
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// A checked module: its manifest and one entry point per manifest function.
pub struct LoadedModule {
    manifest: Manifest,
    functions: Vec<CompiledFn>,
    /// Owns the code the function pointers point into (a library or JIT memory); dropped last.
    /// `Send + Sync` so that one module can run episodes on many threads.
    _keep_alive: Box<dyn std::any::Any + Send + Sync>,
}

impl fmt::Debug for LoadedModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadedModule").field("manifest", &self.manifest).finish_non_exhaustive()
    }
}

/// Parse a manifest, checking the ABI version before the rest of the shape (which may differ in
/// another ABI).
pub fn parse_manifest(json: &str) -> Result<Manifest, LoadError> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| bad_json(&e))?;
    let version = value
        .get("abi_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| LoadError::BadManifest { reason: "it has no abi_version".to_string() })?;
    if version != u64::from(ABI_VERSION) {
        return Err(LoadError::AbiMismatch { module: u32::try_from(version).unwrap_or(u32::MAX) });
    }
    serde_json::from_value(value).map_err(|e| bad_json(&e))
}

/// A manifest that is not the JSON `deft build` writes: say whether it was cut short, garbled or
/// of another shape, since each points at a different cause.
fn bad_json(e: &serde_json::Error) -> LoadError {
    use serde_json::error::Category;
    let reason = match e.classify() {
        Category::Eof => format!("it ends early, at {e}; the module is truncated, rebuild it with deft build"),
        Category::Syntax => {
            format!("it is not valid JSON ({e}); the module is corrupted, rebuild it with deft build")
        }
        Category::Data | Category::Io => format!("{e}; rebuild the module with deft build"),
    };
    LoadError::BadManifest { reason }
}

impl LoadedModule {
    /// Load a module built by `deft build`.
    pub fn open(path: &Path) -> Result<LoadedModule, LoadError> {
        let shown = path.display().to_string();
        // dlopen searches the library path for a bare name (`pick.so`); the user means the file.
        let path = if path.components().count() == 1 { Path::new(".").join(path) } else { path.to_path_buf() };
        // SAFETY: loading a library runs its initialisers; a module built by `deft build` has
        // none. This is the trust boundary of running compiled code at all.
        let library = unsafe { libloading::Library::new(&path) }
            .map_err(|e| LoadError::NotALibrary { path: shown.clone(), reason: error_chain(&e) })?;
        let json = {
            // SAFETY: the symbol is data; we only take its address.
            let symbol = unsafe { library.get::<*const u8>(MANIFEST_SYMBOL) }
                .map_err(|_| LoadError::NoManifest { path: shown.clone() })?;
            let base: *const u8 = *symbol;
            // SAFETY: `deft build` emits the manifest as a u64 length followed by that many bytes.
            let len = u64::from_le_bytes(unsafe { std::ptr::read_unaligned(base.cast::<[u8; 8]>()) });
            // The manifest lies inside the file, so a length beyond the file's size is corruption;
            // checking it keeps the read below inside the library's mapping.
            let file_size = std::fs::metadata(path).map_or(MAX_MANIFEST_BYTES, |m| m.len());
            if len > MAX_MANIFEST_BYTES.min(file_size) {
                return Err(LoadError::BadManifest {
                    reason: format!(
                        "its length says {len} bytes, more than the {file_size}-byte module holds; the module is corrupted, rebuild it with deft build"
                    ),
                });
            }
            // SAFETY: as above; the length was bounded by the file the symbol lives in.
            let bytes = unsafe { std::slice::from_raw_parts(base.add(8), len as usize) };
            // Trailing NULs mean the declared length runs past the text: the manifest was cut.
            if let Some(end) = bytes.iter().position(|b| *b == 0) {
                return Err(LoadError::BadManifest {
                    reason: format!(
                        "its length says {len} bytes but its text ends after {end}; the module is truncated or corrupted, rebuild it with deft build"
                    ),
                });
            }
            String::from_utf8(bytes.to_vec()).map_err(|e| LoadError::BadManifest {
                reason: format!("it is not UTF-8 ({e}); the module is corrupted, rebuild it with deft build"),
            })?
        };
        let lookup = |name: &str| -> Option<*const u8> {
            // SAFETY: we take the symbol's address only; its type is checked by the manifest.
            let symbol = unsafe { library.get::<*const u8>(name) }.ok()?;
            Some(*symbol)
        };
        let manifest = parse_manifest(&json)?;
        let functions = resolve(&manifest, &lookup)?;
        Ok(LoadedModule { manifest, functions, _keep_alive: Box::new(library) })
    }

    /// A module from a manifest and a symbol lookup (the JIT's function table).
    ///
    /// # Safety
    /// Every pointer `lookup` returns must be a function of type [`CompiledFn`] that stays valid
    /// as long as `keep_alive` lives.
    pub unsafe fn from_parts(
        manifest_json: &str,
        lookup: &dyn Fn(&str) -> Option<*const u8>,
        keep_alive: Box<dyn std::any::Any + Send + Sync>,
    ) -> Result<LoadedModule, LoadError> {
        let manifest = parse_manifest(manifest_json)?;
        let functions = resolve(&manifest, lookup)?;
        Ok(LoadedModule { manifest, functions, _keep_alive: keep_alive })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The entry point of manifest function `index`.
    pub fn function(&self, index: usize) -> Option<CompiledFn> {
        self.functions.get(index).copied()
    }

    /// The natives the module calls, in `call_native` order, with their arity; an unknown key is
    /// refused.
    pub fn resolve_natives(&self, natives: &Natives) -> Result<Vec<(NativeFn, usize)>, LoadError> {
        self.manifest
            .natives
            .iter()
            .map(|n| {
                let unknown = || LoadError::UnknownNative { key: n.key.clone() };
                let f = natives.get(&n.key).ok_or_else(unknown)?;
                let arity = key_arity(&n.key).ok_or_else(unknown)?;
                Ok((f, arity))
            })
            .collect()
    }
}

/// An error and its sources, `: `-separated (libloading puts the loader's reason in the source).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

fn resolve(manifest: &Manifest, lookup: &dyn Fn(&str) -> Option<*const u8>) -> Result<Vec<CompiledFn>, LoadError> {
    manifest
        .functions
        .iter()
        .map(|f| {
            let ptr = lookup(&f.symbol)
                .filter(|p| !p.is_null())
                .ok_or_else(|| LoadError::MissingFunction { name: f.name.clone(), symbol: f.symbol.clone() })?;
            // SAFETY: the caller (or `deft build`) guarantees the symbol is a `CompiledFn`.
            Ok(unsafe { std::mem::transmute::<*const u8, CompiledFn>(ptr) })
        })
        .collect()
}
