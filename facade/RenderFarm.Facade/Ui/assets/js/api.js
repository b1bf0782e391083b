// The REST API with the signed-in key. The key lives in sessionStorage (this tab, this origin) and
// travels only in the Authorization header; SSE, which cannot send a header, uses watch tokens.
const KeyName = 'renderfarm.apiKey';

export class ApiError extends Error {
  constructor(status, body) {
    const info = (body?.details ?? []).find(d => d['@type']?.endsWith('google.rpc.ErrorInfo'));
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.reason = info?.reason ?? '';
    this.field = info?.metadata?.field ?? '';
  }

  describe() {
    return [this.reason, this.message, this.field ? `(${this.field})` : ''].filter(Boolean).join(': ').replace(/: \(/, ' (');
  }
}

export const session = {
  get key() { return sessionStorage.getItem(KeyName); },
  set key(value) { value ? sessionStorage.setItem(KeyName, value) : sessionStorage.removeItem(KeyName); },
};

export async function api(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${session.key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, { message: `the farm did not answer (${e.message})` });
  }

  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

const Final = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
export const isFinal = state => Final.has(state);

// Follows a production's events over SSE with a watch token bound to it; a token that lapses while
// the stream is away is replaced and the stream resumes after the last event seen.
export function watch(id, onEvent, onError) {
  let source = null;
  let last = '';
  let stopped = false;
  let failures = 0;
  const open = async () => {
    if (stopped) return;
    let token;
    try {
      token = await api('POST', '/v1/watchTokens', { production: id });
    } catch (e) {
      onError?.(e);
      return;
    }

    const query = new URLSearchParams({ watchToken: token.token });
    if (last) query.set('lastEventId', last);
    source = new EventSource(`/v1/productions/${encodeURIComponent(id)}/events?${query}`);
    const handle = message => {
      failures = 0;
      last = message.lastEventId || last;
      const ev = JSON.parse(message.data);
      onEvent(ev);
      if (isFinal(ev.production?.state)) stop();
    };
    for (const type of ['state', 'progress', 'created']) source.addEventListener(type, handle);
    source.onerror = () => {
      // Closed: refused (expired token) or the stream ended; reopen with a new token unless done.
      if (source.readyState === EventSource.CLOSED && !stopped) {
        source.close();
        if (++failures > 5) { onError?.(new ApiError(0, { message: 'the event stream keeps failing' })); return; }
        setTimeout(open, 1000 * failures);
      }
    };
  };
  const stop = () => { stopped = true; source?.close(); };
  open();
  return stop;
}
