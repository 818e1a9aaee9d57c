// The sign-in form: a token from `duban token create` (or `duban serve --demo`), checked with
// the server before it is kept (in sessionStorage: gone when the tab closes).
import { ApiError } from './api.js';
import { h } from './dom.js';

export function renderSignIn(container, { message, onToken }) {
  const error = h('p', { class: 'alert', role: 'alert', hidden: !message }, message || '');
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: false,
    required: true, placeholder: 'dbn_…',
  });
  const button = h('button', { type: 'submit', class: 'primary' }, '登录');
  const form = h('form', {
    class: 'signin-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      button.disabled = true;
      error.hidden = true;
      try {
        await onToken(token);
      } catch (err) {
        error.textContent = err instanceof ApiError ? err.message : String(err);
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    },
  },
  h('label', { for: 'token' }, '访问令牌'),
  input,
  error,
  button);
  container.append(h('section', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'signin-brand' }, h('img', { src: '/app/icon.svg', alt: '', width: 40, height: 40 }),
        h('div', {}, h('h1', {}, '督办任务收件箱'), h('p', { class: 'muted' }, '政策文件落实情况督查督办'))),
      form,
      h('p', { class: 'muted small' }, '令牌由管理员以 duban token create 生成；只保存在本标签页中，关闭即清除。'))));
  input.focus();
}
