"""2-opt tour improvement over pseudo-random waypoints: the same algorithm as two_opt.skill.

`python3 two_opt.py N SEED RUNS` prints `length swaps` and then the median seconds of RUNS calls,
timed inside Python with time.perf_counter so process start-up is excluded.
"""
import math
import sys
import time


def two_opt(n, seed):
    s = seed
    xs, ys, tour = [], [], []
    for i in range(n):
        s = (s * 48271) % 2147483647
        xs.append(s / 2147483647.0 * 1000.0)
        s = (s * 48271) % 2147483647
        ys.append(s / 2147483647.0 * 1000.0)
        tour.append(i)
    sqrt = math.sqrt
    improved = True
    swaps = 0
    while improved:
        improved = False
        for i in range(n - 1):
            for j in range(i + 2, n):
                jn = j + 1
                if jn == n:
                    jn = 0
                a, b, c, d = tour[i], tour[i + 1], tour[j], tour[jn]
                acx, acy = xs[a] - xs[c], ys[a] - ys[c]
                bdx, bdy = xs[b] - xs[d], ys[b] - ys[d]
                abx, aby = xs[a] - xs[b], ys[a] - ys[b]
                cdx, cdy = xs[c] - xs[d], ys[c] - ys[d]
                delta = (sqrt(acx * acx + acy * acy) + sqrt(bdx * bdx + bdy * bdy) - sqrt(abx * abx + aby * aby)
                         - sqrt(cdx * cdx + cdy * cdy))
                if delta < -0.000000001:
                    lo, hi = i + 1, j
                    while lo < hi:
                        tour[lo], tour[hi] = tour[hi], tour[lo]
                        lo += 1
                        hi -= 1
                    improved = True
                    swaps += 1
    length = 0.0
    for k in range(n):
        kn = k + 1
        if kn == n:
            kn = 0
        dx = xs[tour[k]] - xs[tour[kn]]
        dy = ys[tour[k]] - ys[tour[kn]]
        length += sqrt(dx * dx + dy * dy)
    return length, swaps


def main():
    n, seed, runs = (int(a) for a in sys.argv[1:4])
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = two_opt(n, seed)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"{result[0]:.9f} {result[1]}")
    print(f"{times[len(times) // 2]:.9f}")


if __name__ == "__main__":
    main()
