-- `inquest lsp` in a real editor: Neovim (0.7 or later, headless) with its built-in LSP client.
--
--   INQUEST_BIN=path/to/inquest INQUEST_FILE=archive/postmortems/x.md \
--     nvim --headless --clean -u NONE -c 'luafile Tests/lsp/test_neovim.lua'
--
-- Opens INQUEST_FILE (a postmortem whose status is misspelt 'finall'), starts the server, waits for
-- Neovim to show the diagnostic, asks for code actions at it, applies the quick fix with Neovim's
-- own workspace-edit code (the buffer changes, Neovim sends didChange), waits for the diagnostic
-- to go, runs the explain command and stops the server. Exits 0 and prints "neovim: all checks
-- passed", or exits 1 with the failed check. Only APIs Neovim 0.7 has are used (Debian 12's).

local bin, file = os.getenv('INQUEST_BIN'), os.getenv('INQUEST_FILE')

local function finish(code, message)
  io.stdout:write(message .. '\n')
  io.stdout:flush()
  vim.cmd(code == 0 and 'qall!' or 'cquit! ' .. code)
end

local function check(condition, message)
  if not condition then
    finish(1, 'FAIL: ' .. message)
    error(message) -- stop this script; cquit has already been queued
  end
end

local function run()
  check(bin and file, 'INQUEST_BIN and INQUEST_FILE are set')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local root = vim.fn.fnamemodify(file, ':h:h')
  local id = vim.lsp.start_client({ name = 'inquest', cmd = { bin, 'lsp' }, root_dir = root })
  check(id ~= nil, 'the client started')
  vim.lsp.buf_attach_client(buf, id)

  -- Neovim's diagnostics (0-based lnum/col) with `code`, back in LSP form for the code-action
  -- request (the text is ASCII, so byte columns are UTF-16 columns).
  local function lsp_diagnostics(code)
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == code then
        table.insert(found, {
          range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
          severity = d.severity, code = d.code, source = d.source, message = d.message,
        })
      end
    end
    return found
  end

  check(vim.wait(15000, function() return #lsp_diagnostics('schema/invalid-value') > 0 end, 20),
        'the misspelt status is reported on open')
  local status = lsp_diagnostics('schema/invalid-value')[1]
  check(status.range.start.line == 3 and status.range.start.character == 8,
        'range of the value: ' .. vim.inspect(status.range))

  local client = vim.lsp.get_client_by_id(id)
  local response = client.request_sync('textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = status.range,
    context = { diagnostics = { status } },
  }, 10000, buf)
  check(response and response.result, 'code actions answered: ' .. vim.inspect(response))
  local fixes, explain = {}, nil
  for _, action in ipairs(response.result) do
    if action.edit then table.insert(fixes, action) end
    if action.command == 'inquest.explain' then explain = action end
  end
  check(#fixes == 1, 'one quick fix: ' .. vim.inspect(response.result))
  check(explain ~= nil, 'an explain action')

  vim.lsp.util.apply_workspace_edit(fixes[1].edit, client.offset_encoding)
  check(vim.api.nvim_buf_get_lines(buf, 3, 4, false)[1] == 'status: final', 'the fix changed the buffer')
  check(vim.wait(15000, function() return #lsp_diagnostics('schema/invalid-value') == 0 end, 20),
        'the diagnostic goes after the fix: ' .. vim.inspect(vim.diagnostic.get(buf)))
  check(#vim.diagnostic.get(buf) == 0, 'nothing else remains: ' .. vim.inspect(vim.diagnostic.get(buf)))

  local shown = client.request_sync('workspace/executeCommand',
    { command = explain.command, arguments = explain.arguments }, 10000, buf)
  check(shown and type(shown.result) == 'string' and shown.result:find('schema/invalid-value', 1, true),
        'the explain command answers with the rule: ' .. vim.inspect(shown))

  client.stop()
  check(vim.wait(10000, function() return client.is_stopped() end, 20), 'the server stops')
  finish(0, 'neovim: all checks passed')
end

local ok, err = pcall(run)
if not ok then finish(1, 'FAIL: ' .. tostring(err)) end
