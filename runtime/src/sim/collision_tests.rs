//! Tests of the collision and hold checks (`sim/collision.rs`, `World::slip`).

use super::*;

#[test]
fn scratch() {
    let (o, f) = super::collision::joint_origins_for_test(&Pose::identity(), &[0.0, -1.5707963, 1.5707963, -1.5707963, -1.5707963, 0.0]);
    for p in o { println!("{:.3} {:.3} {:.3}", p.x, p.y, p.z); }
    println!("{f}");
}
