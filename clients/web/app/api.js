// The HTTP API (docs/api.md) as seen from the page: JSON in, JSON out; the session cookie (after
// a password sign-in; `token` null) or a machine token as a bearer token on every call. A refused call throws ApiError carrying the server's {"error", "message"} so views can
// show the officer exactly what the server said.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Path segments are ids with Chinese text, '|' and brackets: encode each one.
export function path(...segments) {
  return '/' + segments.map((s) => encodeURIComponent(String(s))).join('/');
}

// A command id that stays the same across retries of one submission (the server answers a
// retried id with the original outcome). crypto.randomUUID needs a secure context; plain http on
// an intranet address is not one, so build it from getRandomValues.
export function newCommandId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Api {
  constructor(token, onUnauthorized) {
    this.token = token;
    this.onUnauthorized = onUnauthorized;
  }

  get(p) { return this.request('GET', p); }
  post(p, body) { return this.request('POST', p, body); }

  async request(method, p, body) {
    let response;
    try {
      response = await fetch('/api/v1' + p, {
        method,
        headers: {
          ...(this.token ? { Authorization: 'Bearer ' + this.token } : {}),
          // Signed in by cookie, a request that changes anything must be JSON (CSRF guard).
          ...(body === undefined && method === 'GET' ? {} : { 'Content-Type': 'application/json' }),
        },
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, 'network', '无法连接服务器（' + e.message + '）');
    }
    let data = null;
    const text = await response.text();
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!response.ok) {
      const code = data?.error || 'http_' + response.status;
      const message = data?.message || `HTTP ${response.status}`;
      if (response.status === 401 && this.onUnauthorized) this.onUnauthorized(message);
      throw new ApiError(response.status, code, message);
    }
    return data;
  }
}
