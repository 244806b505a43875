//! The per-episode value heap: strings, lists, records, cell objects, geometry and faults,
//! addressed by the `u64` handles that cross the ABI.
//!
//! Handle `n` is the value at index `n - 1`, so 0 is never valid (generated code may use it for
//! `none`). Values live until the episode ends: episodes are short, and a heap that never frees
//! cannot dangle. Cell objects are interned, so `gripper.arm` called in a loop allocates once.
//!
//! Beside the values, the heap keeps the [`Direct`] block generated code reads lists through: one
//! [`ListView`] per handle, updated whenever a list is made or grows.

use crate::abi::{Direct, ListView};
use crate::backend::{ObjectKind, ObjectRef, Pose};
use crate::fault::{Fault, FaultKind};
use nalgebra::{UnitQuaternion, Vector3};
use std::collections::BTreeMap;
use std::ptr::NonNull;

/// One value on the heap.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    List(Vec<u64>),
    /// A struct value: one slot per field, in declaration order.
    Record(Vec<u64>),
    Object(ObjectRef),
    Vec3(Vector3<f64>),
    Rot(UnitQuaternion<f64>),
    Pose(Pose),
    Fault(Fault),
}

impl Value {
    /// What the value is, for messages about a handle of the wrong kind.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "String",
            Value::List(_) => "list",
            Value::Record(_) => "record",
            Value::Object(o) => o.kind.type_name(),
            Value::Vec3(_) => "Vec3",
            Value::Rot(_) => "Rot",
            Value::Pose(_) => "Pose",
            Value::Fault(_) => "Fault",
        }
    }
}

/// The values of one episode.
#[derive(Debug)]
pub struct Heap {
    values: Vec<Value>,
    objects: BTreeMap<ObjectRef, u64>,
    /// `views[h - 1]` is handle `h`'s list view (empty for other values).
    views: Vec<ListView>,
    /// Owned (from `Box::into_raw`, freed on drop) and written through a raw pointer, because
    /// generated code writes it too (the fuel) while no Rust reference to it exists.
    direct: NonNull<Direct>,
}

// SAFETY: the heap exclusively owns `direct` and the list buffers its views point into; moving the
// heap to another thread moves that ownership with it.
unsafe impl Send for Heap {}

impl Drop for Heap {
    fn drop(&mut self) {
        // SAFETY: `direct` came from `Box::into_raw` in `Heap::new` and is freed only here.
        drop(unsafe { Box::from_raw(self.direct.as_ptr()) });
    }
}

impl Default for Heap {
    fn default() -> Heap {
        let direct = Box::new(Direct { lists: std::ptr::null(), count: 0, fuel: 0, status: 0 });
        Heap {
            values: Vec::new(),
            objects: BTreeMap::new(),
            views: Vec::new(),
            direct: NonNull::from(Box::leak(direct)),
        }
    }
}

/// The view of `value`: its elements when it is a list.
fn view_of(value: &mut Value) -> ListView {
    match value {
        Value::List(items) => items_view(items),
        _ => ListView { data: std::ptr::null_mut(), len: 0 },
    }
}

fn items_view(items: &mut [u64]) -> ListView {
    ListView { data: items.as_mut_ptr(), len: items.len() as u64 }
}

/// The fault for a handle that does not name a value of the expected kind. It is a `Hardware`
/// fault because only a compiler or native bug can produce one.
fn invalid(handle: u64, expected: &str, found: Option<&Value>) -> Fault {
    let found = match found {
        Some(v) => with_article(v.kind_name()),
        None => "nothing".to_string(),
    };
    let expected = with_article(expected);
    Fault::new(FaultKind::Hardware, format!("invalid value handle {handle}: expected {expected}, found {found}"))
}

/// `an Arm`, `a Pose`.
fn with_article(word: &str) -> String {
    let vowel = word.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if vowel { "an" } else { "a" })
}

impl Heap {
    pub fn new() -> Heap {
        Heap::default()
    }

    /// How many values the heap holds.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn alloc(&mut self, value: Value) -> u64 {
        self.values.push(value);
        let view = self.values.last_mut().map_or(ListView { data: std::ptr::null_mut(), len: 0 }, view_of);
        self.views.push(view);
        self.publish();
        self.values.len() as u64
    }

    /// Where generated code finds the list views and the loop fuel; fixed for the heap's life.
    pub fn direct(&self) -> *mut Direct {
        self.direct.as_ptr()
    }

    /// The loop fuel generated code left.
    pub fn fuel(&self) -> u64 {
        // SAFETY: `direct` is live while the heap is, and no generated code runs during this call.
        unsafe { (*self.direct.as_ptr()).fuel }
    }

    pub fn set_fuel(&mut self, fuel: u64) {
        // SAFETY: as in `fuel`.
        unsafe { (*self.direct.as_ptr()).fuel = fuel };
    }

    pub fn set_poll_status(&mut self, status: u32) {
        // SAFETY: as in `fuel`.
        unsafe { (*self.direct.as_ptr()).status = u64::from(status) };
    }

    /// The status of the last `poll_preserving`, as generated code reads it.
    pub fn poll_status(&self) -> u64 {
        // SAFETY: as in `fuel`.
        unsafe { (*self.direct.as_ptr()).status }
    }

    /// Points the `Direct` block at the views again, which may have moved as they grew.
    fn publish(&mut self) {
        // SAFETY: as in `fuel`.
        unsafe {
            let direct = &mut *self.direct.as_ptr();
            direct.lists = self.views.as_ptr();
            direct.count = self.views.len() as u64;
        }
    }

    pub fn alloc_str(&mut self, s: impl Into<String>) -> u64 {
        self.alloc(Value::Str(s.into()))
    }

    /// The handle of a cell object; the same object always gets the same handle.
    pub fn object_handle(&mut self, object: ObjectRef) -> u64 {
        if let Some(&h) = self.objects.get(&object) {
            return h;
        }
        let h = self.alloc(Value::Object(object));
        self.objects.insert(object, h);
        h
    }

    pub fn get(&self, handle: u64) -> Option<&Value> {
        let index = usize::try_from(handle).ok()?.checked_sub(1)?;
        self.values.get(index)
    }

    fn get_mut(&mut self, handle: u64) -> Option<&mut Value> {
        let index = usize::try_from(handle).ok()?.checked_sub(1)?;
        self.values.get_mut(index)
    }

    pub fn str(&self, handle: u64) -> Result<&str, Fault> {
        match self.get(handle) {
            Some(Value::Str(s)) => Ok(s),
            other => Err(invalid(handle, "String", other)),
        }
    }

    pub fn list(&self, handle: u64) -> Result<&[u64], Fault> {
        match self.get(handle) {
            Some(Value::List(items)) => Ok(items),
            other => Err(invalid(handle, "list", other)),
        }
    }

    /// Appends in place; the list's view follows its buffer if that moves.
    pub fn list_push(&mut self, handle: u64, v: u64) -> Result<(), Fault> {
        let Some(Value::List(items)) = self.get_mut(handle) else {
            return Err(invalid(handle, "list", self.get(handle)));
        };
        items.push(v);
        let view = items_view(items);
        // `get_mut` succeeded, so `handle - 1` indexes both vectors.
        if let Some(slot) = self.views.get_mut(handle as usize - 1) {
            *slot = view;
        }
        Ok(())
    }

    pub fn record(&self, handle: u64) -> Result<&[u64], Fault> {
        match self.get(handle) {
            Some(Value::Record(slots)) => Ok(slots),
            other => Err(invalid(handle, "record", other)),
        }
    }

    pub fn record_mut(&mut self, handle: u64) -> Result<&mut Vec<u64>, Fault> {
        if !matches!(self.get(handle), Some(Value::Record(_))) {
            return Err(invalid(handle, "record", self.get(handle)));
        }
        match self.get_mut(handle) {
            Some(Value::Record(slots)) => Ok(slots),
            _ => Err(invalid(handle, "record", None)),
        }
    }

    /// A cell object of any kind.
    pub fn object(&self, handle: u64) -> Result<ObjectRef, Fault> {
        match self.get(handle) {
            Some(Value::Object(o)) => Ok(*o),
            other => Err(invalid(handle, "cell object", other)),
        }
    }

    /// A cell object of one kind (`Gripper`), as a native's parameter type demands.
    pub fn object_of(&self, handle: u64, kind: ObjectKind) -> Result<ObjectRef, Fault> {
        match self.get(handle) {
            Some(Value::Object(o)) if o.kind == kind => Ok(*o),
            other => Err(invalid(handle, kind.type_name(), other)),
        }
    }

    pub fn vec3(&self, handle: u64) -> Result<Vector3<f64>, Fault> {
        match self.get(handle) {
            Some(Value::Vec3(v)) => Ok(*v),
            other => Err(invalid(handle, "Vec3", other)),
        }
    }

    pub fn rot(&self, handle: u64) -> Result<UnitQuaternion<f64>, Fault> {
        match self.get(handle) {
            Some(Value::Rot(r)) => Ok(*r),
            other => Err(invalid(handle, "Rot", other)),
        }
    }

    pub fn pose(&self, handle: u64) -> Result<Pose, Fault> {
        match self.get(handle) {
            Some(Value::Pose(p)) => Ok(*p),
            other => Err(invalid(handle, "Pose", other)),
        }
    }

    pub fn fault(&self, handle: u64) -> Result<&Fault, Fault> {
        match self.get(handle) {
            Some(Value::Fault(f)) => Ok(f),
            other => Err(invalid(handle, "Fault", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::ObjectKind;

    #[test]
    fn handles_start_at_one_and_zero_is_invalid() {
        let mut heap = Heap::new();
        let a = heap.alloc_str("a");
        assert_eq!(a, 1);
        assert_eq!(heap.str(a), Ok("a"));
        let err = heap.str(0).unwrap_err();
        assert_eq!(err.kind, FaultKind::Hardware);
        assert!(err.message.contains("invalid value handle 0"), "{}", err.message);
        assert!(heap.str(u64::MAX).is_err());
        assert!(heap.str(2).is_err());
    }

    #[test]
    fn wrong_kind_is_a_hardware_fault_naming_both() {
        let mut heap = Heap::new();
        let l = heap.alloc(Value::List(vec![1, 2]));
        let err = heap.pose(l).unwrap_err();
        assert_eq!(err.kind, FaultKind::Hardware);
        assert_eq!(err.message, "invalid value handle 1: expected a Pose, found a list");
        assert!(heap.record_mut(l).is_err());
        assert!(heap.list_push(l, 3).is_ok());
        let s = heap.alloc_str("s");
        assert!(heap.list_push(s, 3).is_err());
    }

    /// Generated code reads lists through the views: they must follow every list made or grown,
    /// and give non-lists an empty view.
    #[test]
    fn views_follow_lists_as_they_grow() {
        let mut heap = Heap::new();
        let s = heap.alloc_str("not a list");
        let l = heap.alloc(Value::List(vec![10, 20]));
        for v in 0..1000 {
            heap.list_push(l, v).unwrap();
        }
        let direct = heap.direct();
        // SAFETY: no generated code runs; the heap is alive and unchanged while we read.
        unsafe {
            assert_eq!((*direct).count, 2);
            let views = std::slice::from_raw_parts((*direct).lists, 2);
            assert_eq!(views[(s - 1) as usize].len, 0);
            let view = views[(l - 1) as usize];
            let items = std::slice::from_raw_parts(view.data, view.len as usize);
            assert_eq!(items, heap.list(l).unwrap());
            assert_eq!(items.len(), 1002);
        }
    }

    #[test]
    fn objects_are_interned_and_kind_checked() {
        let mut heap = Heap::new();
        let g = ObjectRef { kind: ObjectKind::Gripper, index: 0 };
        let a = ObjectRef { kind: ObjectKind::Arm, index: 0 };
        let hg = heap.object_handle(g);
        let ha = heap.object_handle(a);
        assert_ne!(hg, ha);
        assert_eq!(heap.object_handle(g), hg);
        assert_eq!(heap.len(), 2);
        assert_eq!(heap.object_of(hg, ObjectKind::Gripper), Ok(g));
        let err = heap.object_of(hg, ObjectKind::Arm).unwrap_err();
        assert!(err.message.contains("expected an Arm, found a Gripper"), "{}", err.message);
    }
}
