// The sign-in form: a login name and password (POST /api/v1/session; the server answers with an
// HttpOnly session cookie the page never sees), and, as a secondary option for machines and
// tests, a token from `duban token create` (kept in sessionStorage: gone when the tab closes).
import { ApiError } from './api.js';
import { h } from './dom.js';

// The server's English sign-in messages, said in Chinese; the server's text follows for detail.
function signInMessage(err) {
  if (!(err instanceof ApiError)) return String(err);
  const zh = {
    unauthorized: '登录名或密码错误',
    locked_out: '失败次数过多，账户已暂时锁定，请稍后再试或联系管理员重置密码',
    rate_limited: '本机登录失败次数过多，请稍后再试',
  }[err.code];
  return zh ? `${zh}（${err.message}）` : err.message;
}

// `onPassword(login, password)` and `onToken(token)` sign in or throw ApiError.
export function renderSignIn(container, { message, onPassword, onToken }) {
  const error = h('p', { class: 'alert', role: 'alert', hidden: !message }, message || '');
  const busy = async (button, work, say = signInMessage) => {
    button.disabled = true;
    error.hidden = true;
    try {
      await work();
    } catch (err) {
      error.textContent = say(err);
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  };

  const login = h('input', {
    id: 'login', name: 'login', type: 'text', autocomplete: 'username', spellcheck: false,
    required: true, autocapitalize: 'none',
  });
  const password = h('input', {
    id: 'password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true,
  });
  const signInButton = h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, '登录');
  const passwordForm = h('form', {
    class: 'signin-form', id: 'password-form',
    onsubmit: (e) => {
      e.preventDefault();
      if (!login.value.trim() || !password.value) return;
      busy(signInButton, () => onPassword(login.value.trim(), password.value));
    },
  },
  h('label', { for: 'login' }, '登录名'), login,
  h('label', { for: 'password' }, '密码'), password,
  signInButton);

  const token = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: false,
    required: true, placeholder: 'dbn_…',
  });
  const tokenButton = h('button', { type: 'submit' }, '用令牌登录');
  const tokenForm = h('form', {
    class: 'signin-form', id: 'token-form', hidden: true,
    onsubmit: (e) => {
      e.preventDefault();
      const t = token.value.trim();
      if (t) busy(tokenButton, () => onToken(t), (err) => (err instanceof ApiError ? err.message : String(err)));
    },
  },
  h('label', { for: 'token' }, '机器令牌'), token, tokenButton,
  h('p', { class: 'muted small' }, '令牌由管理员以 duban token create 生成，供脚本和测试使用；只保存在本标签页中，关闭即清除。'));

  const toggle = h('button', {
    type: 'button', class: 'link', id: 'use-token',
    onclick: () => {
      const showToken = tokenForm.hidden;
      tokenForm.hidden = !showToken;
      passwordForm.hidden = showToken;
      toggle.textContent = showToken ? '用账户密码登录' : '使用机器令牌';
      (showToken ? token : login).focus();
    },
  }, '使用机器令牌');

  container.append(h('section', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'signin-brand' }, h('img', { src: '/app/icon.svg', alt: '', width: 40, height: 40 }),
        h('div', {}, h('h1', {}, '督办任务收件箱'), h('p', { class: 'muted' }, '政策文件落实情况督查督办'))),
      passwordForm,
      tokenForm,
      error,
      h('p', { class: 'muted small' }, '账户由管理员以 duban account create 开设。', toggle))));
  login.focus();
}
