import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { ApiClient, ApiError } from './api/client.js';
import { forgetToken, storeToken, takeTokenFromLocation } from './api/auth.js';
import { startDashboard } from './app.js';
import { h } from './ui/dom.js';

const root = document.getElementById('app')!;

function signOut(): void {
  forgetToken(sessionStorage);
  location.reload();
}

function signIn(message?: string): void {
  const input = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-heading' },
    h('h1', { id: 'sign-in-heading' }, 'Saferoads'),
    h('p', {}, 'Sign in with your API key or token. It is kept for this browser tab only.'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    h('label', { for: 'key' }, 'API key or token'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    storeToken(sessionStorage, input.value.trim());
    void boot();
  });
  root.replaceChildren(form);
  input.focus();
}

async function boot(): Promise<void> {
  const token = takeTokenFromLocation(location, history, sessionStorage);
  if (!token) {
    signIn();
    return;
  }
  const api = new ApiClient(token);
  try {
    const me = await api.me();
    root.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading the network…'));
    await startDashboard(root, api, token, me, signOut);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      forgetToken(sessionStorage);
      signIn('That key was not accepted.');
      return;
    }
    root.replaceChildren(h('p', { class: 'error', role: 'alert' }, `The dashboard could not start: ${err instanceof Error ? err.message : String(err)}`));
  }
}

void boot();
