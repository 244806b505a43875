#!/usr/bin/env python3
"""Reference forward kinematics for the built-in arm models, written from the published DH tables
independently of the Rust code (runtime/src/sim/arms/), with numpy 4x4 homogeneous matrices.

Writes tests/fixtures/kinematics/{ur5e,ur10e,panda}.json: 1,000 random joint configurations per arm,
drawn uniformly inside the joint limits from a fixed seed, and the flange pose of each (position in
metres, rotation matrix row by row). The Rust test runtime/src/sim/arms/reference_tests.rs compares
its FK against these within 1e-9. Run from the repository root:

    python3 scripts/fk_reference.py

Sources:
- UR5e, UR10e: Universal Robots, "DH parameters for calculations of kinematics and dynamics"
  (standard DH: link i = Rot_z(theta_i) Trans_z(d_i) Trans_x(a_i) Rot_x(alpha_i)).
- Panda: Franka Emika, "Robot and interface specifications" (Craig's modified DH:
  link i = Rot_x(alpha_i) Trans_x(a_i) Rot_z(theta_i) Trans_z(d_i), then the flange d = 0.107).
"""

import json
import math
import os

import numpy as np

SEED = 20261129
SAMPLES = 1000


def rot_x(t):
    c, s = math.cos(t), math.sin(t)
    return np.array([[1, 0, 0, 0], [0, c, -s, 0], [0, s, c, 0], [0, 0, 0, 1]], dtype=float)


def rot_z(t):
    c, s = math.cos(t), math.sin(t)
    return np.array([[c, -s, 0, 0], [s, c, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], dtype=float)


def trans(x, y, z):
    m = np.eye(4)
    m[:3, 3] = [x, y, z]
    return m


def standard_dh(table, q):
    t = np.eye(4)
    for (d, a, alpha), theta in zip(table, q):
        t = t @ rot_z(theta) @ trans(0, 0, d) @ trans(a, 0, 0) @ rot_x(alpha)
    return t


def modified_dh(table, flange_d, q):
    t = np.eye(4)
    for (a, d, alpha), theta in zip(table, q):
        t = t @ rot_x(alpha) @ trans(a, 0, 0) @ rot_z(theta) @ trans(0, 0, d)
    return t @ trans(0, 0, flange_d)


HALF_PI = math.pi / 2

# (d, a, alpha) per joint.
UR5E = [(0.1625, 0, HALF_PI), (0, -0.425, 0), (0, -0.3922, 0), (0.1333, 0, HALF_PI), (0.0997, 0, -HALF_PI), (0.0996, 0, 0)]
UR10E = [(0.1807, 0, HALF_PI), (0, -0.6127, 0), (0, -0.57155, 0), (0.17415, 0, HALF_PI), (0.11985, 0, -HALF_PI), (0.11655, 0, 0)]
# Joint ranges sampled: the data sheets' ±360°, elbow ±180°.
UR_LOWER = [-2 * math.pi, -2 * math.pi, -math.pi, -2 * math.pi, -2 * math.pi, -2 * math.pi]
UR_UPPER = [2 * math.pi, 2 * math.pi, math.pi, 2 * math.pi, 2 * math.pi, 2 * math.pi]

# (a, d, alpha) per joint, Franka's table.
PANDA = [(0, 0.333, 0), (0, 0, -HALF_PI), (0, 0.316, HALF_PI), (0.0825, 0, HALF_PI), (-0.0825, 0.384, -HALF_PI), (0, 0, HALF_PI), (0.088, 0, HALF_PI)]
PANDA_FLANGE_D = 0.107
PANDA_LOWER = [-2.8973, -1.7628, -2.8973, -3.0718, -2.8973, -0.0175, -2.8973]
PANDA_UPPER = [2.8973, 1.7628, 2.8973, -0.0698, 2.8973, 3.7525, 2.8973]


def generate(name, lower, upper, fk, rng):
    samples = []
    for _ in range(SAMPLES):
        q = [float(rng.uniform(lo, hi)) for lo, hi in zip(lower, upper)]
        t = fk(q)
        samples.append({
            "q": q,
            "position": [float(v) for v in t[:3, 3]],
            "rotation": [[float(v) for v in row] for row in t[:3, :3]],
        })
    return {"model": name, "seed": SEED, "generator": "scripts/fk_reference.py", "samples": samples}


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "tests", "fixtures", "kinematics")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    arms = [
        ("ur5e", UR_LOWER, UR_UPPER, lambda q: standard_dh(UR5E, q)),
        ("ur10e", UR_LOWER, UR_UPPER, lambda q: standard_dh(UR10E, q)),
        ("panda", PANDA_LOWER, PANDA_UPPER, lambda q: modified_dh(PANDA, PANDA_FLANGE_D, q)),
    ]
    for name, lower, upper, fk in arms:
        data = generate(name, lower, upper, fk, rng)
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")
        print(f"{name}: {len(data['samples'])} configurations")


if __name__ == "__main__":
    main()
