// The JSON API of `xpusim ui` (doc/ui.md): POST /api/<command> with flags,
// GET /api/catalog/{chips,systems,models}, GET /api/commands.

export class ApiError extends Error {}

async function parse(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`HTTP ${res.status}: not JSON`);
  }
  if (!res.ok) throw new ApiError(body.error || `HTTP ${res.status}`);
  return body;
}

export async function get(path) {
  return parse(await fetch(`/api/${path}`));
}

// Runs a command; flags with '' or null values are left out (CLI defaults).
export async function call(command, flags, signal) {
  const body = {};
  for (const [k, v] of Object.entries(flags)) {
    if (v === '' || v === null || v === undefined || v === false) continue;
    body[k] = v;
  }
  const res = await fetch(`/api/${command.replace(' ', '/')}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  return parse(res);
}
