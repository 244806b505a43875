//! The compiler and the runtime agree on the ABI: host table slots, fault kinds, version, manifest.

#[test]
fn host_table_slots_agree() {
    assert_eq!(deft_compiler::codegen::abi::HOST_API_SLOTS, deft_runtime::abi::HOST_API_SLOTS);
    assert_eq!(
        std::mem::size_of::<deft_runtime::abi::HostApi>(),
        8 * deft_runtime::abi::HOST_API_SLOTS.len(),
        "every HostApi slot is one pointer-sized field"
    );
}

/// Generated code reads the runtime's `Direct` block and list views at offsets the compiler
/// hard-codes; they must be where the runtime's `repr(C)` structs put them.
#[test]
fn direct_block_offsets_agree() {
    use deft_compiler::codegen::abi as c;
    use deft_runtime::abi::{self as r, Direct, ListView};
    use std::mem::{offset_of, size_of};
    assert_eq!(offset_of!(Direct, lists), r::DIRECT_LISTS);
    assert_eq!(offset_of!(Direct, count), r::DIRECT_COUNT);
    assert_eq!(offset_of!(Direct, fuel), r::DIRECT_FUEL);
    assert_eq!(offset_of!(ListView, data), r::LIST_VIEW_DATA);
    assert_eq!(offset_of!(ListView, len), r::LIST_VIEW_LEN);
    assert_eq!(size_of::<ListView>(), r::LIST_VIEW_SIZE);
    let compiler = [c::DIRECT_LISTS, c::DIRECT_COUNT, c::DIRECT_FUEL, c::LIST_VIEW_DATA, c::LIST_VIEW_LEN];
    let runtime = [r::DIRECT_LISTS, r::DIRECT_COUNT, r::DIRECT_FUEL, r::LIST_VIEW_DATA, r::LIST_VIEW_LEN];
    assert_eq!(compiler.map(|o| o as usize), runtime);
    assert_eq!(1usize << c::LIST_VIEW_SHIFT, r::LIST_VIEW_SIZE);
}

#[test]
fn abi_versions_agree() {
    assert_eq!(deft_compiler::codegen::abi::ABI_VERSION, deft_runtime::abi::ABI_VERSION);
}

#[test]
fn fault_kinds_agree() {
    assert_eq!(deft_compiler::types::FAULT_KINDS, deft_runtime::abi::FAULT_KINDS);
    for (i, kind) in deft_runtime::FaultKind::ALL.iter().enumerate() {
        assert_eq!(*kind as usize, i);
        assert_eq!(kind.name(), deft_runtime::abi::FAULT_KINDS[i]);
    }
}

/// The manifest the compiler writes is the manifest the runtime reads, field for field.
#[test]
fn manifest_round_trips_between_compiler_and_runtime() {
    let example = deft_tests::root().join("examples/motor_housing/main.skill");
    let sources = deft_tests::load(&example);
    let checked = deft_compiler::check::check(&sources);
    let program = checked.program.expect("the motor housing example checks");
    let manifest = deft_compiler::manifest::manifest(&program, &deft_compiler::source_hash(&sources));
    let json = manifest.to_json();
    let read: deft_runtime::abi::Manifest =
        serde_json::from_str(&json).expect("runtime parses the compiler's manifest");
    assert_eq!(read.abi_version, deft_runtime::abi::ABI_VERSION);
    assert_eq!(read.compiler_version, deft_compiler::VERSION);
    assert_eq!(read.source_hash.len(), 64);
    assert_eq!(read.functions.len(), program.functions.len());
    assert!(read.functions.iter().any(|f| f.name == "main" && f.kind == "skill" && f.exported));
    assert!(read.cell.iter().any(|c| c.name == "driver" && c.ty == "ScrewDriver"));
    // Serialising the runtime's view again gives the same document.
    let again: serde_json::Value = serde_json::to_value(&read).expect("serialises");
    let original: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(again, original);
}
