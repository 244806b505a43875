-- Deft for Neovim: the `deft` filetype for `*.skill` files and the `deft lsp` language server.
-- Use it as is (`nvim -u editors/nvim/init.lua`) or copy it into your own config. The server binary is
-- `vim.g.deft_path` when set, else `deft` on PATH. Works on Neovim 0.7 (Debian 12) and later.

local deft_path = function()
  return vim.g.deft_path or 'deft'
end

-- Filetype detection. `vim.filetype.add` only takes effect in 0.7 when Lua detection is enabled, so
-- an autocommand covers 0.7 as well.
if vim.filetype and vim.filetype.add then
  vim.filetype.add({ extension = { skill = 'deft' } })
end
local group = vim.api.nvim_create_augroup('deft', { clear = true })
vim.api.nvim_create_autocmd({ 'BufNewFile', 'BufRead' }, {
  group = group,
  pattern = '*.skill',
  callback = function()
    vim.bo.filetype = 'deft'
  end,
})

-- 0.7 has no `vim.lsp.start`: keep one client per folder and attach buffers to it by hand.
local clients_by_root = {}

local function start_server(bufnr)
  -- The server analyses the folder a document belongs to, so that folder is the root.
  local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
  local config = { name = 'deft', cmd = { deft_path(), 'lsp' }, root_dir = root }
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = clients_by_root[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients_by_root[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

vim.api.nvim_create_autocmd('FileType', {
  group = group,
  pattern = 'deft',
  callback = function(args)
    vim.bo[args.buf].commentstring = '// %s'
    vim.bo[args.buf].expandtab = true
    vim.bo[args.buf].shiftwidth = 4
    start_server(args.buf)
  end,
})

-- LSP keys on 0.7 and later (0.10+ maps K and others by default).
vim.api.nvim_create_autocmd('FileType', {
  group = group,
  pattern = 'deft',
  callback = function(args)
    local opts = { buffer = args.buf }
    vim.keymap.set('n', 'K', vim.lsp.buf.hover, opts)
    vim.keymap.set('n', 'gd', vim.lsp.buf.definition, opts)
    vim.keymap.set('n', 'gr', vim.lsp.buf.references, opts)
    vim.keymap.set('n', '<leader>rn', vim.lsp.buf.rename, opts)
    vim.keymap.set('n', '<leader>ca', vim.lsp.buf.code_action, opts)
    vim.bo[args.buf].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end,
})
