//! The per-episode value heap: strings, lists, records, cell objects, geometry and faults,
//! addressed by the `u64` handles that cross the ABI.
//!
//! Handle `n` is the value at index `n - 1`, so 0 is never valid (generated code may use it for
//! `none`). Values live until the episode ends: episodes are short, and a heap that never frees
//! cannot dangle. Cell objects are interned, so `gripper.arm` called in a loop allocates once.

use crate::backend::{ObjectKind, ObjectRef, Pose};
use crate::fault::{Fault, FaultKind};
use nalgebra::{UnitQuaternion, Vector3};
use std::collections::BTreeMap;

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
#[derive(Debug, Default)]
pub struct Heap {
    values: Vec<Value>,
    objects: BTreeMap<ObjectRef, u64>,
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
        self.values.len() as u64
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

    pub fn list_mut(&mut self, handle: u64) -> Result<&mut Vec<u64>, Fault> {
        if !matches!(self.get(handle), Some(Value::List(_))) {
            return Err(invalid(handle, "list", self.get(handle)));
        }
        match self.get_mut(handle) {
            Some(Value::List(items)) => Ok(items),
            _ => Err(invalid(handle, "list", None)),
        }
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
        assert!(heap.list_mut(l).is_ok());
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
