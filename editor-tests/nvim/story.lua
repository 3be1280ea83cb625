-- The README's nvim-dap set-up, run as it is written, against a checkout of nvim-dap.
--
--   nvim --headless -u NONE --cmd 'set rtp+=/path/to/nvim-dap' -c 'luafile story.lua'
--
-- with HOTRESTART_SERVER_JAR, HOTRESTART_README, HOTRESTART_WORKSPACE (a copy of editor-tests/sample)
-- and HOTRESTART_TESTS_WORKSPACE (a copy of protocol-tests/fixtures/shop) in the environment. The
-- lua blocks of the README's Neovim section are loaded with the jar's path put in; then the story:
-- the Maven project launched with the first configuration, stopped on the escape, fixed and saved,
-- the README's key pressed (restartFrameWithReload), the answer read; and a failing test run with
-- the tests configuration, fixed, continued, and the run's summary read. Exits 0 when both pass.

local started = vim.loop.hrtime()
local function say(fmt, ...)
  io.stdout:write(string.format('[nvim %5.1fs] ' .. fmt .. '\n', (vim.loop.hrtime() - started) / 1e9, ...))
end
local function fail(fmt, ...)
  say('FAILED: ' .. fmt, ...)
  vim.cmd('cquit 1')
end
local function wait(what, seconds, pred)
  if not vim.wait(seconds * 1000, pred, 50) then fail('%s: not within %d s', what, seconds) end
end

-- nvim-dap's notifications: a warning or an error is a failure of the set-up the README shows
local notify = vim.notify
vim.notify = function(msg, level, opts)
  if level and level >= vim.log.levels.WARN then fail('nvim-dap says: %s', msg) end
  return notify(msg, level, opts)
end

local function story()
  -- the README's lua blocks of its Neovim section, in order
  local readme = io.open(os.getenv('HOTRESTART_README')):read('*a')
  local section = readme:match('## Editor setup: Neovim.-\n(.-)\n## ')
  local blocks = {}
  for code in section:gmatch('```lua\n(.-)```') do table.insert(blocks, code) end
  if #blocks ~= 4 then fail("the README's Neovim section has %d lua blocks, not the 4 this story knows", #blocks) end
  local jar = os.getenv('HOTRESTART_SERVER_JAR')
  local function load_block(i)
    local code = blocks[i]:gsub('/path/to/hotrestart%-server%.jar', jar)
    if not code:find('local dap') then code = "local dap = require('dap')\n" .. code end
    local chunk, err = loadstring(code, 'README block ' .. i)
    if not chunk then fail('README block %d does not load: %s', i, err) end
    chunk()
  end
  load_block(1) -- the adapter, over stdio
  for i = 3, #blocks do load_block(i) end -- the configurations, the key (block 2 is the TCP variant)
  vim.g.mapleader = vim.g.mapleader or '\\'

  local dap = require('dap')
  local output = ''
  local stopped = nil
  dap.listeners.after.event_output['story'] = function(_, body) output = output .. (body.output or '') end
  dap.listeners.after.event_stopped['story'] = function(_, body) stopped = body end
  local function java_config(name)
    for _, c in ipairs(dap.configurations.java) do
      if c.name == name then return c end
    end
    fail('the README has no configuration named %q', name)
  end

  -- waits for the stop and its frame, for that reason
  local function stopped_on(what, reason)
    wait(what, 180, function() return stopped ~= nil end)
    if stopped.reason ~= reason then fail('%s: stopped for %s', what, stopped.reason) end
    wait('the stopped frame', 30, function() return dap.session() and dap.session().current_frame ~= nil end)
    say('stopped in %s, line %d', dap.session().current_frame.name, dap.session().current_frame.line)
  end

  local function replace_in_buffer(file, from, to)
    vim.cmd('edit ' .. file)
    local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    for i, l in ipairs(lines) do
      local s, e = l:find(from, 1, true)
      if s then
        vim.api.nvim_buf_set_lines(0, i - 1, i, false, { l:sub(1, s - 1) .. to .. l:sub(e + 1) })
        vim.cmd('write')
        return
      end
    end
    fail('%s does not hold %q', file, from)
  end

  -- 1. A Maven project with nothing but the README's first configuration
  local ws = os.getenv('HOTRESTART_WORKSPACE')
  vim.cmd('cd ' .. ws)
  vim.cmd('edit src/main/java/demo/Receipt.java')
  dap.run(java_config('Launch with hot restart'))
  stopped_on('a stop where the exception escapes count', 'exception')
  replace_in_buffer('src/main/java/demo/Receipt.java', "line.substring(line.indexOf(' ') + 1)",
    "line.substring(line.indexOf(' ') + 1).replace(\"x\", \"\")")
  say('fix saved')
  if vim.fn.maparg('<leader>dr', 'n') == '' then fail("the README's key <leader>dr is not mapped") end
  vim.api.nvim_feedkeys(vim.g.mapleader .. 'dr', 'mx', false) -- the key, as typed
  wait("the program's answer after the fix", 60, function() return output:find('items on the receipt: 9', 1, true) ~= nil end)
  say('the output shows: items on the receipt: 9')
  wait('the end of the session', 30, function() return dap.session() == nil end)

  -- 2. A failing test, with the README's tests configuration (its prompt answered)
  local tests_ws = os.getenv('HOTRESTART_TESTS_WORKSPACE')
  vim.cmd('cd ' .. tests_ws)
  output, stopped = '', nil
  vim.fn.input = function() return 'shop.CartTest' end
  dap.run(java_config('Test this class'))
  stopped_on('a stop where the test fails', 'exception')
  replace_in_buffer('app/src/test/java/shop/CartTest.java', 'assertEquals(3, Prices.withTax(2)); // WRONG',
    'assertEquals(2, Prices.withTax(2));')
  say('fix saved')
  dap.continue()
  wait("the tests' summary", 60, function() return output:find('Tests: 2 passed, 0 failed', 1, true) ~= nil end)
  say('the output shows: %s', output:match('Tests: 2 passed, 0 failed[^\n]*'))
  wait('the end of the session', 30, function() return dap.session() == nil end)

  -- 3. The JDK's sources: the first configuration on a JDK that has its src.zip, JDK classes not
  -- filtered from steps, a breakpoint at the call of Integer.parseInt and a step into it
  local jdk = os.getenv('HOTRESTART_SOURCES_JDK')
  if not jdk or jdk == '' then
    say('JDK sources: not tried, no JDK with lib/src.zip here')
    return
  end
  vim.cmd('cd ' .. ws)
  vim.cmd('edit src/main/java/demo/Receipt.java')
  local call
  for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    if l:find('Integer.parseInt(n)', 1, true) then call = i end
  end
  vim.api.nvim_win_set_cursor(0, { call, 0 })
  dap.toggle_breakpoint()
  output, stopped = '', nil
  dap.run(vim.tbl_extend('force', java_config('Launch with hot restart'), { javaHome = jdk, stepFilters = { skipClasses = {} } }))
  stopped_on('a stop at the breakpoint', 'breakpoint')
  stopped = nil
  dap.step_into()
  wait('a stop in Integer.parseInt', 30, function()
    local f = dap.session() and dap.session().current_frame
    return stopped ~= nil and f ~= nil and f.name:find('parseInt', 1, true) ~= nil
  end)
  local frame = dap.session().current_frame
  local path = frame.source and frame.source.path or ''
  if not path:find('java/lang/Integer%.java$') then fail('the frame in parseInt has no JDK source path: %s', vim.inspect(frame.source)) end
  wait('nvim-dap showing the JDK source', 10, function() return vim.api.nvim_buf_get_name(0) == path end)
  local line = vim.api.nvim_buf_get_lines(0, frame.line - 1, frame.line, false)[1] or ''
  if not line:find('parseInt', 1, true) and not line:find('return', 1, true) then
    fail('line %d of %s is not the call it stopped at: %s', frame.line, path, line)
  end
  say('stepped into %s: %s line %d, "%s"', frame.name, frame.source.origin or path, frame.line, vim.trim(line))
  dap.terminate()
  wait('the end of the session', 30, function() return dap.session() == nil end)
end

local ok, err = xpcall(story, debug.traceback)
if not ok then fail('%s', err) end
vim.cmd('qall!')
