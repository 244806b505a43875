//! Shared helpers for the integration tests: locating the workspace, examples and cases.
