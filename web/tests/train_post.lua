-- wrk script for scripts/load_test_ui.sh: POST /api/train with the bodies
-- the UI sends (no search), cycling through chip counts and systems so no
-- two consecutive requests are the same.
local bodies = {
  '{"model":"llama3-70b","system":"dgx-h100","chips":1024,"tp":8,"pp":4,"global_batch":512,"seq":8192,"precision":"bf16"}',
  '{"model":"llama3-70b","system":"dgx-h100","chips":2048,"tp":8,"pp":4,"global_batch":1024,"seq":8192,"precision":"bf16"}',
  '{"model":"llama3-8b","system":"dgx-h100","chips":64,"tp":1,"pp":1,"global_batch":256,"seq":8192,"precision":"bf16"}',
  '{"model":"llama3-70b","system":"gb200-nvl72","chips":576,"tp":8,"pp":4,"global_batch":576,"seq":8192,"precision":"fp8"}',
  '{"model":"mixtral-8x7b","system":"dgx-h100","chips":64,"tp":2,"ep":8,"global_batch":256,"seq":4096}',
}
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/api/train", {["Content-Type"] = "application/json"}, bodies[i])
end

-- Any non-200 answer is an error for the load test.
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("non-200: " .. status .. " " .. body .. "\n") end
  end
end
