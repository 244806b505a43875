-- End-to-end check of init.lua, run by tests/tests/editors.rs: open $DEFT_E2E_FILE (a broken .skill
-- file), wait for the server's diagnostics, hover at $DEFT_E2E_HOVER ("line:col", 0-based), write
-- what arrived as JSON to $DEFT_E2E_OUT and quit. Failures are written too, so the Rust test can say why.

local out = os.getenv('DEFT_E2E_OUT')
local result = { filetype = nil, diagnostics = {}, hover = nil, errors = {} }

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('DEFT_E2E_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype
  local arrived = vim.wait(20000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  if not arrived then
    table.insert(result.errors, 'no diagnostics within 20 s')
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, message = d.message })
  end
  local line, col = os.getenv('DEFT_E2E_HOVER'):match('^(%d+):(%d+)$')
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = tonumber(line), character = tonumber(col) },
  }
  local answers, err = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000)
  if err then
    table.insert(result.errors, 'hover: ' .. tostring(err))
  end
  for _, answer in pairs(answers or {}) do
    if answer.error then
      table.insert(result.errors, 'hover: ' .. vim.inspect(answer.error))
    elseif answer.result and answer.result.contents then
      local contents = answer.result.contents
      result.hover = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or contents
    end
  end
end

local ok, err = pcall(run)
if not ok then
  table.insert(result.errors, tostring(err))
end
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.cmd('qall!')
