// Evidence (佐证材料) on progress and completion reports: a file input on the report forms that
// uploads each chosen file (POST /api/v1/tasks/{id}/attachments, the raw bytes, the name in the
// query) before the report is posted with the references the server returned; and the download
// links under a report in the task's history (GET /api/v1/attachments/{sha256}?task=ID, saved
// under the name from Content-Disposition). The server sniffs each file's type and refuses
// executables and files over its limit (docs/api.md, "Attachments"); its refusal shows in
// Chinese beside the input.
import { ApiError, path } from './api.js';
import { h } from './dom.js';

// Bytes as people read them: "12 KB", "3.4 MB".
export function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const REFUSALS = [
  [/executable|script/, '不能上传可执行程序或脚本。'],
  [/declared as .* but its content is/, '文件内容与其类型不符。'],
  [/larger than/, '文件过大。'],
  [/not one accepted|zip archive|OLE/, '仅接受 PDF、图片（PNG/JPEG/GIF）、Word、Excel、PowerPoint、文本或 CSV 文件。'],
];

// One upload with the page's credentials; the reference {sha256, name, media_type, size}.
async function uploadOne(app, taskId, file) {
  let response;
  try {
    // application/octet-stream whatever the file: the server decides the type from the bytes,
    // and a non-form type is what lets a cookie-signed-in page upload (docs/api.md).
    response = await fetch(`/api/v1${path('tasks', taskId, 'attachments')}?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: {
        ...(app.api.token ? { Authorization: 'Bearer ' + app.api.token } : {}),
        'Content-Type': 'application/octet-stream',
      },
      credentials: 'same-origin',
      body: file,
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok) {
    const detail = data?.message || `HTTP ${response.status}`;
    const error = new ApiError(response.status, data?.error || 'http_' + response.status, detail);
    for (const [re, text] of REFUSALS) if (re.test(detail)) error.message = `${file.name}：${text}`;
    throw error;
  }
  return data;
}

// The file input of a report form: {node, upload()}. upload() sends the chosen files and
// resolves to their references ([] when none was chosen), or to null after showing why a file
// was refused (the report is then not posted).
export function evidenceInput(app, taskId) {
  const input = h('input', { type: 'file', multiple: true, class: 'evidence-input' });
  const status = h('p', { class: 'muted small evidence-status', role: 'status' });
  const node = h('label', { class: 'field evidence' }, h('span', {}, '佐证材料（可多选）'), input, status);
  async function upload() {
    const refs = [];
    status.className = 'muted small evidence-status';
    for (const file of input.files) {
      status.textContent = `正在上传 ${file.name}（${sizeText(file.size)}）…`;
      try {
        refs.push(await uploadOne(app, taskId, file));
      } catch (e) {
        status.className = 'alert evidence-status';
        status.setAttribute('role', 'alert');
        status.textContent = '未能上传：' + (e instanceof ApiError ? e.message : '页面出现错误');
        return null;
      }
    }
    status.textContent = refs.length ? `已上传 ${refs.length} 个文件` : '';
    return refs.map((r) => ({ sha256: r.sha256, name: r.name }));
  }
  return { node, upload };
}

// Download links for the attachments an event carries; '' when it carries none.
export function evidenceLinks(app, taskId, attachments) {
  if (!attachments || !attachments.length) return '';
  // Not a list: inside the history's timeline a nested <li> would get the timeline's marker.
  return h('div', { class: 'evidence-links' }, attachments.map((a) => h('div', { class: 'evidence-file' },
    h('a', {
      href: `/api/v1${path('attachments', a.sha256)}?task=${encodeURIComponent(taskId)}`,
      class: 'evidence-link',
      dataset: { sha256: a.sha256 },
      onclick: (e) => { e.preventDefault(); save(app, taskId, a, e.currentTarget); },
    }, a.name),
    h('span', { class: 'muted small' }, ` ${sizeText(a.size)}`))));
}

// Fetches the file with the page's credentials (a bearer token cannot ride on a plain link) and
// hands it to the browser under its own name.
async function save(app, taskId, a, link) {
  try {
    const { blob, filename } = await app.api.download(`${path('attachments', a.sha256)}?task=${encodeURIComponent(taskId)}`);
    const url = URL.createObjectURL(blob);
    const anchor = h('a', { href: url, download: filename || a.name, hidden: true });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    link.after(h('span', { class: 'alert small', role: 'alert' }, ' 未能下载：' + (e instanceof ApiError ? e.message : '页面出现错误')));
  }
}
