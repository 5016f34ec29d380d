// The login page: signs in, keeps the token for this tab and opens the dashboard of the user's role.
/* global location, URLSearchParams */
import { afterLogin, login, session } from './api.js';

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');
const submit = form.querySelector('button[type=submit]');

const reason = new URLSearchParams(location.search).get('reason');
if (reason === 'expired') showError('Your session has expired. Please sign in again.');
if (reason === 'signed-out')
  showError(
    'You were signed out (a logout in another tab or window, or a change of your account). Please sign in again.',
  );
if (session() && !reason) location.replace(afterLogin());

function showError(message) {
  error.textContent = message;
  error.hidden = false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const email = form.email.value.trim();
  const password = form.password.value;
  if (!email || !password) return showError('Enter your e-mail and password.');
  submit.disabled = true;
  submit.textContent = 'Signing in…';
  try {
    await login(email, password);
    location.assign(afterLogin());
  } catch (err) {
    showError(
      err.status === 401
        ? 'Wrong e-mail or password.'
        : err.status === 429
          ? 'Too many attempts; wait a minute.'
          : err.message,
    );
    submit.disabled = false;
    submit.textContent = 'Sign in';
  }
});
