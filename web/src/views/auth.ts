import { errorText, login, post } from '../api';
import { field, h, messageBox } from '../dom';

function passwordInput(autocomplete: string): HTMLInputElement {
  return h('input', {
    type: 'password',
    name: 'password',
    required: true,
    minlength: '12',
    maxlength: '128',
    autocomplete,
  });
}

/** Log in, or register then log in. */
export function authView(go: (route: string) => void): HTMLElement {
  const msg = messageBox();
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'username' });
  const password = passwordInput('current-password');
  const displayName = h('input', { type: 'text', name: 'displayName', maxlength: '100', autocomplete: 'nickname' });
  let mode: 'login' | 'register' = 'login';
  const nameField = field('Display name (optional)', displayName);
  nameField.hidden = true;
  const submit = h('button', { type: 'submit' }, 'Log in');
  const toggle = h('button', { type: 'button', class: 'link' }, 'New here? Create an account');
  toggle.addEventListener('click', () => {
    mode = mode === 'login' ? 'register' : 'login';
    nameField.hidden = mode === 'login';
    submit.textContent = mode === 'login' ? 'Log in' : 'Create account';
    toggle.textContent = mode === 'login' ? 'New here? Create an account' : 'Have an account? Log in';
    password.autocomplete = mode === 'login' ? 'current-password' : 'new-password';
    msg.clear();
  });
  const form = h(
    'form',
    { class: 'card narrow', 'aria-label': 'Sign in' },
    h('h1', {}, 'Welcome to nexcore'),
    field('Email', email),
    field('Password', password),
    nameField,
    submit,
    toggle,
    msg.el,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    submit.disabled = true;
    try {
      if (mode === 'register') {
        await post('/auth/register', {
          email: email.value,
          password: password.value,
          ...(displayName.value ? { displayName: displayName.value } : {}),
        });
      }
      await login(email.value, password.value);
      go('#/sources');
    } catch (err) {
      msg.show(errorText(err, 'Could not sign you in.'));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
