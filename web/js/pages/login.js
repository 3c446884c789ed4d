// pages/login.js - sign-in (#/login). After signing in the shell returns to the page the user was on.
import { api, setSession } from '../api.js';
import { h, t, fill } from '../ui.js';

export default async function login({ main, afterLogin }) {
  const err = h('p', { class: 'error', role: 'alert' });
  if (sessionStorage.getItem('ag_expired')) { err.textContent = t('session_expired'); sessionStorage.removeItem('ag_expired'); }
  const form = h('form', { class: 'card login', 'aria-labelledby': 'login-h' },
    h('h1', { id: 'login-h' }, t('app_title') + ' · ' + t('login_title')),
    h('label', {}, t('username'), h('input', { name: 'username', autocomplete: 'username', required: true })),
    h('label', {}, t('password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    err,
    h('button', { class: 'primary', type: 'submit' }, t('sign_in')),
    h('p', {}, h('button', { type: 'button', onclick: () => document.getElementById('lang').click() }, t('lang_switch'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    try {
      setSession(await api('POST', '/session', { username: form.username.value, password: form.password.value }));
      afterLogin();
    } catch (e) {
      err.textContent = e.code === 'invalid_credentials' ? t('login_failed') : e.message;
    }
  });
  fill(main, form);
  form.username.focus();
}
