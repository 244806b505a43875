-- Dispatch: the loops of dispatch.skill; `bump` is the Rust function registered through mlua.
function calls(n)
  local acc = 0.0
  for i = 1, n do acc = bump(acc) end
  return acc
end

function adds(n)
  local acc = 0.0
  for i = 1, n do acc = acc + 1.0 end
  return acc
end
