// The HTTP API (docs/api.md) as seen from the page: JSON in, JSON out; the session cookie (after
// a password sign-in; `token` null) or a machine token as a bearer token on every call. A refused
// call throws ApiError: `message` is phrased in Chinese for an official from the
// API's error code (docs/web.md, "Errors"), never with internal ids; `detail` keeps the server's
// own text for the console and diagnostics.

// The API's codes (docs/api.md, "Errors") in an official's words.
const CODE_TEXT = {
  unauthorized: '登录已失效或令牌无效，请重新登录。',
  forbidden: '您没有权限查看或办理此项。',
  not_found: '没有找到该内容，可能已被删除或地址有误。',
  version_conflict: '此任务刚被他人更新，页面已刷新，请确认后重新办理。',
  illegal_transition: '此任务当前的办理状态不允许该操作。',
  invalid_command: '填写的内容不符合要求，请检查后重试。',
  invalid_argument: '填写的内容不符合要求，请检查后重试。',
  bad_request: '请求有误，请刷新页面后重试。',
  already_exists: '该内容已存在。',
  command_id_reused: '该操作已提交过，请刷新页面查看结果。',
  too_many_cancellations: '此操作会撤销大量任务，系统未执行，请联系管理员。',
  payload_too_large: '提交的内容过长。',
  unsupported_media_type: '不支持的文件类型。',
  method_not_allowed: '请求有误，请刷新页面后重试。',
  busy: '系统繁忙，请稍后重试。',
  read_only: '系统当前为只读状态，暂不能办理。',
  shutting_down: '系统正在维护，请稍后重试。',
  too_many_connections: '系统繁忙，请稍后重试。',
  network: '无法连接服务器，请检查网络后重试。',
};

// Refusals whose server text says more than the code: the reason, in Chinese, without ids.
const DETAIL_TEXT = [
  [/requested deadline .* is not after the current deadline/, '申请延期的日期须晚于现行期限。'],
  [/only the supervisor may/, '此操作只能由督办机关办理。'],
  [/only a lead unit of task/, '此操作只能由牵头单位办理。'],
  [/only a unit assigned to task/, '您的单位未承办此任务。'],
  [/is a participant/, '参与单位不能办理此项，请由牵头单位办理。'],
  [/needs a note or a percentage/, '请填写进展情况或完成百分比。'],
  [/percentage must be 0\.\.100/, '完成百分比须在 0 到 100 之间。'],
  [/already has an extension request pending/, '已有延期申请待批，请等待督办机关审批。'],
  [/already acknowledged/, '本单位已签收此任务。'],
  [/a child's deadline .* is later than the deadline/, '子任务的完成时限不能晚于本任务的期限。'],
  [/is not below .* in the unit directory/, '只能转办给本单位的下级单位。'],
  [/already has a child task for/, '该单位已有此任务的子任务。'],
  [/only a participating unit of task/, '只有参与单位可以报送配合情况。'],
];

export function errorText(code, detail = '', status = 0) {
  for (const [re, text] of DETAIL_TEXT) if (re.test(detail)) return text;
  if (CODE_TEXT[code]) return CODE_TEXT[code];
  if (status >= 500) return '系统出现故障，请稍后重试或联系管理员。';
  return '操作未能完成，请稍后重试。';
}

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(errorText(code, detail, status));
    this.status = status;
    this.code = code;
    this.detail = detail;
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
  put(p, body) { return this.request('PUT', p, body); }

  // A file (the Excel report): {blob, filename} from Content-Disposition (RFC 6266 filename*).
  async download(p) {
    let response;
    try {
      // The same credentials as request(): the bearer token when the page has one (a sign-in
      // session cookie goes along by itself, fetch's default same-origin credentials).
      response = await fetch('/api/v1' + p, {
        headers: this.token ? { Authorization: 'Bearer ' + this.token } : {},
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, 'network', e.message);
    }
    if (!response.ok) {
      let data = null;
      try { data = await response.json(); } catch { data = null; }
      throw new ApiError(response.status, data?.error || 'http_' + response.status, data?.message || '');
    }
    const disposition = response.headers.get('content-disposition') || '';
    const star = disposition.match(/filename\*=UTF-8''([^;]+)/i);
    const plain = disposition.match(/filename="([^"]+)"/i);
    const filename = star ? decodeURIComponent(star[1]) : plain ? plain[1] : '';
    return { blob: await response.blob(), filename };
  }

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
      throw new ApiError(0, 'network', e.message);
    }
    let data = null;
    const text = await response.text();
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!response.ok) {
      const code = data?.error || 'http_' + response.status;
      const error = new ApiError(response.status, code, data?.message || `HTTP ${response.status}`);
      if (response.status === 401 && this.onUnauthorized) this.onUnauthorized(error.message);
      throw error;
    }
    return data;
  }
}
