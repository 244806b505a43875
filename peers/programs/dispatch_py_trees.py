"""Dispatch in py_trees: a Sequence of CHILDREN behaviours, each of whose update() calls `bump` once
(the Python twin of the Rust `bump` of src/dispatch.rs) and returns SUCCESS, ticked TICKS times, so
CHILDREN * TICKS calls in all, like the 1,000,000-iteration loops of dispatch.skill and dispatch.lua.

`python dispatch_py_trees.py CHILDREN TICKS ROUNDS` prints `py_trees VERSION`, then one line per
measurement, `NAME NS ACC`: the median over ROUNDS of nanoseconds per call (per child tick for the
trees) and the value accumulated by the last round, which must be CHILDREN * TICKS. Times are taken
with time.perf_counter inside Python, around the ticks only (import and tree construction excluded).

The sequences are built with memory=False, the reactive form that re-checks every child on every tick
as a skill's steps would be; with every child returning SUCCESS the two forms take the same path (memory
only matters when a child returns RUNNING), and `tick_once_memory` measures memory=True to show it.
"""
import statistics
import sys
import time

import py_trees
from py_trees.common import Status


def bump(x):
    return x + 1.0


class Acc:
    """The accumulator all children of one tree share, so the result checks every child ran."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0.0


class Bump(py_trees.behaviour.Behaviour):
    """A leaf whose update() is one call of `bump`."""

    def __init__(self, name, acc):
        super().__init__(name)
        self.acc = acc

    def update(self):
        acc = self.acc
        acc.value = bump(acc.value)
        return Status.SUCCESS


def sequence(children, memory):
    acc = Acc()
    root = py_trees.composites.Sequence("root", memory=memory)
    root.add_children([Bump(f"bump{i}", acc) for i in range(children)])
    return root, acc


def tick_once(children, ticks, memory):
    """Seconds for `ticks` ticks of the root itself (Behaviour.tick_once), and the sum."""
    root, acc = sequence(children, memory)
    start = time.perf_counter()
    for _ in range(ticks):
        root.tick_once()
    secs = time.perf_counter() - start
    if root.status != Status.SUCCESS:
        raise SystemExit(f"the sequence ended {root.status}")
    return secs, acc.value


def tree_tick(children, ticks, memory):
    """Seconds for `ticks` ticks through BehaviourTree.tick (what an application calls), and the sum."""
    root, acc = sequence(children, memory)
    tree = py_trees.trees.BehaviourTree(root)
    start = time.perf_counter()
    for _ in range(ticks):
        tree.tick()
    secs = time.perf_counter() - start
    return secs, acc.value


def calls(n):
    """The loop of dispatch.skill's `calls`: the bare Python cost of calling `bump`."""
    start = time.perf_counter()
    acc = 0.0
    for _ in range(n):
        acc = bump(acc)
    return time.perf_counter() - start, acc


def adds(n):
    """The same loop with the addition in place of the call."""
    start = time.perf_counter()
    acc = 0.0
    for _ in range(n):
        acc = acc + 1.0
    return time.perf_counter() - start, acc


def main():
    children, ticks, rounds = (int(a) for a in sys.argv[1:4])
    n = children * ticks
    cases = [
        ("tick_once", lambda: tick_once(children, ticks, False)),
        ("tick_once_memory", lambda: tick_once(children, ticks, True)),
        ("tree_tick", lambda: tree_tick(children, ticks, False)),
        ("python_calls", lambda: calls(n)),
        ("python_adds", lambda: adds(n)),
    ]
    times = {name: [] for name, _ in cases}
    sums = {}
    # Rounds alternate the cases so all see the same machine load.
    for _ in range(rounds):
        for name, case in cases:
            secs, value = case()
            times[name].append(secs)
            sums[name] = value
    print(f"py_trees {py_trees.version.__version__}")
    for name, _ in cases:
        if sums[name] != float(n):
            raise SystemExit(f"{name} accumulated {sums[name]}, expected {n}")
        print(f"{name} {statistics.median(times[name]) / n * 1e9:.2f} {sums[name]:.1f}")


if __name__ == "__main__":
    main()
