// The console's start: the key form, the navigation, and the pages by address (#/…).
import { get, key, setKey, clearKey } from './api.js';
import { h, page, errorBox, busy } from './ui.js';
import { renderList } from './lists.js';
import { renderRecord } from './record.js';
import { renderImport } from './import.js';
import { renderWebForm } from './form.js';

// While a typed key is being tried, its refusal is the sign-in form's to show.
let trying = false;

function signIn(problem) {
  const show = page();
  document.getElementById('nav').hidden = true;
  const input = h('input', { name: 'key', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' });
  const submit = h('button', { type: 'submit', text: 'Open the console' });
  const problems = h('div', {}, problem ? errorBox(problem) : '');
  const form = h('form', {},
    h('label', {}, 'API key', input),
    h('p', { class: 'muted', text: 'An API key an admin made for you (lf_…), or a bearer token. It stays in this tab only.' }),
    problems, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, problems, async () => {
      setKey(input.value.trim());
      trying = true;
      try {
        await get('me');
      } catch (error) {
        clearKey();
        throw error.status === 401 ? new Error('That key is not valid: it is unknown, mistyped or revoked.') : error;
      } finally {
        trying = false;
      }
      route();
    });
  });
  show(h('h1', { text: 'Sales console' }), h('section', {}, form));
  input.focus();
}

async function route() {
  if (!key()) {
    signIn();
    return;
  }
  document.getElementById('nav').hidden = false;
  const [page, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [name, id] = page.split('/');
  try {
    if (name === 'lead' && id) await renderRecord(decodeURIComponent(id));
    else if (name === 'import') renderImport();
    else if (name === 'form') renderWebForm();
    else await renderList(new URLSearchParams(query || 'type=lead'));
  } catch (error) {
    page()(h('h1', { text: 'Something went wrong' }), errorBox(error));
  }
}

addEventListener('hashchange', route);
addEventListener('console:unauthorized', () => {
  if (trying) return;
  clearKey();
  signIn(new Error('The key was refused: type it again.'));
});
document.getElementById('sign-out').addEventListener('click', () => {
  clearKey();
  signIn();
});
route();
