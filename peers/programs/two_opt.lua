-- 2-opt tour improvement over pseudo-random waypoints: the same algorithm as two_opt.skill.
-- Run by LuaJIT and by Lua 5.4 through mlua (src/main.rs); defines the global `two_opt(n, seed)`
-- returning the tour length and the number of reversals.
function two_opt(n, seed)
  local s = seed
  local xs, ys, tour = {}, {}, {}
  for i = 0, n - 1 do
    s = (s * 48271) % 2147483647
    xs[i] = s / 2147483647.0 * 1000.0
    s = (s * 48271) % 2147483647
    ys[i] = s / 2147483647.0 * 1000.0
    tour[i] = i
  end
  local sqrt = math.sqrt
  local improved = true
  local swaps = 0
  while improved do
    improved = false
    for i = 0, n - 2 do
      for j = i + 2, n - 1 do
        local jn = j + 1
        if jn == n then jn = 0 end
        local a, b, c, d = tour[i], tour[i + 1], tour[j], tour[jn]
        local acx, acy = xs[a] - xs[c], ys[a] - ys[c]
        local bdx, bdy = xs[b] - xs[d], ys[b] - ys[d]
        local abx, aby = xs[a] - xs[b], ys[a] - ys[b]
        local cdx, cdy = xs[c] - xs[d], ys[c] - ys[d]
        local delta = sqrt(acx * acx + acy * acy) + sqrt(bdx * bdx + bdy * bdy) - sqrt(abx * abx + aby * aby)
          - sqrt(cdx * cdx + cdy * cdy)
        if delta < -0.000000001 then
          local lo, hi = i + 1, j
          while lo < hi do
            tour[lo], tour[hi] = tour[hi], tour[lo]
            lo = lo + 1
            hi = hi - 1
          end
          improved = true
          swaps = swaps + 1
        end
      end
    end
  end
  local length = 0.0
  for k = 0, n - 1 do
    local kn = k + 1
    if kn == n then kn = 0 end
    local dx = xs[tour[k]] - xs[tour[kn]]
    local dy = ys[tour[k]] - ys[tour[kn]]
    length = length + sqrt(dx * dx + dy * dy)
  end
  return length, swaps
end
