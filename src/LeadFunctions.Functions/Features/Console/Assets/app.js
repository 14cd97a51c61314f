// The console's start: signing in (a person through MSAL.js, or an API key), who is signed in,
// the navigation, and the pages by address (#/…).
import * as auth from './auth.js';
import { loadMe, forgetMe, includes } from './api.js';
import { h, page, errorBox, busy } from './ui.js';
import { renderList } from './lists.js';
import { renderRecord } from './record.js';
import { renderImport } from './import.js';
import { renderWebForm } from './form.js';
import { renderApiKeys } from './apikeys.js';
import { renderTeams, renderTeam } from './teams.js';

// While a typed key is being tried, its refusal is the sign-in form's to show.
let trying = false;

function header(me) {
  document.getElementById('nav').hidden = !me;
  document.getElementById('admin-nav').hidden = !me || !includes(me.role, 'admin');
  const who = document.getElementById('who');
  who.textContent = !me ? '' : me.actor.kind === 'apikey'
    ? `Signed in: API key ${me.actor.name} · ${me.role}`
    : `Signed in: ${me.actor.name} · ${me.role}`;
}

/** The start page: sign in with your account; an API key is the second way, for machines and scripts. */
function startPage(problem) {
  const show = page();
  header(null);
  const problems = h('div', {}, problem ? errorBox(problem) : '');
  const parts = [h('h1', { text: 'Sales console' })];
  const keyForm = apiKeyForm();
  if (auth.canSignIn()) {
    const signIn = h('button', { type: 'button', text: 'Sign in' });
    signIn.addEventListener('click', () => busy(signIn, problems, () => auth.signIn().catch((error) => {
      throw new Error(`The sign-in could not start: ${error.message}`);
    })));
    const other = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'api-key-form', text: 'Use an API key instead' });
    keyForm.hidden = true;
    other.addEventListener('click', () => {
      keyForm.hidden = !keyForm.hidden;
      other.setAttribute('aria-expanded', String(!keyForm.hidden));
      if (!keyForm.hidden) keyForm.querySelector('input').focus();
    });
    parts.push(h('section', {},
      h('p', { text: 'Sign in with your work account. The console works as you: your changes carry your name.' }),
      problems, h('div', { class: 'actions' }, signIn)));
    parts.push(h('section', {}, h('div', { class: 'actions' }, other), keyForm));
  } else {
    parts.push(h('section', {},
      h('p', { class: 'muted', text: 'Sign-in with an account is not set up for this app (Auth:Authority, Auth:ClientId): open it with an API key.' }),
      problems, keyForm));
  }
  show(...parts);
}

function apiKeyForm() {
  const input = h('input', { name: 'key', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' });
  const submit = h('button', { type: 'submit', text: 'Open the console' });
  const problems = h('div');
  const form = h('form', { id: 'api-key-form' },
    h('label', {}, 'API key', input),
    h('p', { class: 'muted', text: 'For machines and scripts: a key an admin made (lf_…). It stays in this tab only.' }),
    problems, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, problems, async () => {
      auth.setApiKey(input.value.trim());
      trying = true;
      try {
        await loadMe(true);
      } catch (error) {
        await auth.forget();
        throw error.status === 401 ? new Error('That key is not valid: it is unknown, mistyped or revoked.') : error;
      } finally {
        trying = false;
      }
      route();
    });
  });
  return form;
}

/** Signed in, but the API does not let them in (not in the directory, or deactivated): its words, and a way out. */
function refused(error) {
  const show = page();
  header(null);
  const signOut = h('button', { type: 'button', text: 'Sign out' });
  signOut.addEventListener('click', () => busy(signOut, null, leave));
  show(h('h1', { text: 'Not let in yet' }), h('section', {}, errorBox(error),
    h('p', { text: 'Ask an admin to add you as a salesperson with this email, or to make you active again, then sign in again.' }),
    h('div', { class: 'actions' }, signOut)));
}

async function leave() {
  forgetMe();
  if (!(await auth.signOut())) startPage();
}

let ready;

async function route() {
  try {
    await ready;
  } catch (error) {
    startPage(error);
    return;
  }
  if (!auth.signedIn()) {
    startPage();
    return;
  }
  let me;
  try {
    me = await loadMe();
  } catch (error) {
    if (error.status === 403) refused(error);
    else if (error.status !== 401) page()(h('h1', { text: 'Something went wrong' }), errorBox(error));
    return;
  }
  header(me);
  const [name, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [first, id] = name.split('/');
  try {
    if (first === 'lead' && id) await renderRecord(decodeURIComponent(id));
    else if (first === 'import') renderImport();
    else if (first === 'form') renderWebForm();
    else if (first === 'apikeys') await renderApiKeys();
    else if (first === 'teams' && id) await renderTeam(decodeURIComponent(id));
    else if (first === 'teams') await renderTeams();
    else await renderList(new URLSearchParams(query || 'type=lead'));
  } catch (error) {
    page()(h('h1', { text: 'Something went wrong' }), errorBox(error));
  }
}

addEventListener('hashchange', route);
addEventListener('console:unauthorized', async () => {
  if (trying) return;
  const key = Boolean(auth.apiKey());
  forgetMe();
  await auth.forget();
  startPage(new Error(key ? 'The key was refused: type it again.' : 'Your sign-in was refused (it may have ended): sign in again.'));
});
document.getElementById('sign-out').addEventListener('click', (event) => busy(event.currentTarget, null, leave));
ready = auth.start();
route();
