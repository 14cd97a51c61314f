// API keys (SPEC 10), an admin's page: the keys machines and scripts use, a new one (shown once),
// and revoking one. Anyone else sees the API's refusal in words.
import { get, post, remove } from './api.js';
import { h, page, label, select, busy, errorBox, toast, when, byActor, dialog, go } from './ui.js';

const roles = [['sales', 'sales: work records'], ['manager', 'manager: also imports, bulk conversion, the directory'], ['admin', 'admin: also settings, webhooks, erasures, API keys']];

/** Who made a key, as the history names people and keys, without its "by". */
const maker = (actor) => byActor(actor).replace(/^by /, '') || '—';

export async function renderApiKeys() {
  const show = page();
  let first;
  try {
    first = await get('apikeys', { pageSize: 50 });
  } catch (error) {
    // A salesperson or manager who opens the address: the API's 403 says which role it needs.
    show(h('h1', { text: 'API keys' }), errorBox(error), h('p', {}, h('a', { href: '#/leads', text: 'Back to the leads' })));
    return;
  }
  const created = h('div', { 'aria-live': 'polite' });
  show(
    h('h1', { text: 'API keys' }),
    h('p', { class: 'muted', text: 'Machines and scripts call the API with a key, sent as x-api-key or Authorization: Bearer. A key acts with its role; revoking it refuses its next call.' }),
    h('section', { 'aria-labelledby': 'new-key-title' }, h('h2', { id: 'new-key-title', text: 'New API key' }), createForm(created), created),
    h('section', { 'aria-labelledby': 'keys-title' }, h('h2', { id: 'keys-title', text: 'Keys' }), list(first)));
}

function createForm(place) {
  const name = h('input', { name: 'name', required: true, maxlength: '100', autocomplete: 'off', spellcheck: 'false' });
  const role = select('role', roles, 'sales');
  const submit = h('button', { type: 'submit', text: 'Create key' });
  const problems = h('div');
  const form = h('form', { class: 'filters' }, label('Name (who or what uses it)', name), label('Role', role), submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, problems, async () => {
      const key = await post('apikeys', { name: name.value, role: role.value });
      place.replaceChildren(shownOnce(key));
      form.reset();
      // The key is what the admin came for: focus goes to it, selected, ready to copy.
      const field = place.querySelector('input');
      field.focus();
      field.select();
      refreshList();
    });
  });
  return h('div', {}, form, problems);
}

/** The new key, this once: only a keyed hash of it is stored, so nobody can show it again. */
function shownOnce(key) {
  const field = h('input', { id: 'new-key', readonly: true, value: key.key, spellcheck: 'false', autocomplete: 'off', class: 'secret' });
  const copy = h('button', { type: 'button', class: 'secondary', text: 'Copy' });
  const copied = h('span', { class: 'muted', 'aria-live': 'polite' });
  copy.addEventListener('click', async () => {
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(key.key);
      copied.textContent = 'Copied.';
    } catch {
      copied.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  });
  return h('div', { class: 'notice', role: 'group', 'aria-labelledby': 'new-key-label' },
    h('p', {}, h('strong', { id: 'new-key-label', text: `New API key "${key.name}" (${key.role})` })),
    h('p', { class: 'warning', text: 'Copy it now: it will not be shown again. Anyone who has it can call the API with its role.' }),
    h('div', { class: 'actions' }, h('label', { for: 'new-key', class: 'inline' }, 'Key', field), copy, copied));
}

let refreshList = () => {};

function list(first) {
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, text: 'More keys' });
  const problems = h('div');
  const empty = h('p', { hidden: true, text: 'No API keys yet.' });
  let token;
  const add = (answer) => {
    for (const key of answer.items) body.append(row(key));
    token = answer.continuationToken;
    more.hidden = !token;
    empty.hidden = body.children.length > 0;
  };
  refreshList = () => busy(more, problems, async () => {
    const answer = await get('apikeys', { pageSize: 50 });
    body.replaceChildren();
    add(answer);
  });
  more.addEventListener('click', () => busy(more, problems, async () => add(await get('apikeys', { pageSize: 50, continuationToken: token }))));
  add(first);
  return h('div', {}, problems, empty,
    h('div', { class: 'scroll' }, h('table', { class: 'records' },
      h('thead', {}, h('tr', {}, ['Name', 'Role', 'Created', 'Created by', 'Last used', ''].map((t) => h('th', { scope: 'col', text: t })))),
      body)),
    h('div', { class: 'actions' }, more));
}

function row(key) {
  const revoke = h('button', { type: 'button', class: 'danger', text: 'Revoke', 'aria-label': `Revoke ${key.name}` });
  revoke.addEventListener('click', () => confirmRevoke(key, revoke));
  return h('tr', {},
    h('td', { 'data-label': 'Name', text: key.name }),
    h('td', { 'data-label': 'Role', text: key.role }),
    h('td', { 'data-label': 'Created', text: when(key.createdAt) }),
    h('td', { 'data-label': 'Created by', text: maker(key.createdBy) }),
    h('td', { 'data-label': 'Last used', text: key.lastUsedAt ? when(key.lastUsedAt) : 'never' }),
    h('td', {}, revoke));
}

function confirmRevoke(key, opener) {
  const yes = h('button', { type: 'button', class: 'danger', text: 'Revoke key' });
  const no = h('button', { type: 'button', class: 'secondary', text: 'Cancel' });
  const problems = h('div');
  const box = dialog(`Revoke "${key.name}"?`,
    h('p', { text: `Whatever uses this ${key.role} key is refused from its next call. This cannot be undone: make a new key instead.` }),
    problems, h('div', { class: 'actions' }, yes, no));
  // Focus on the safe choice first; Escape cancels too.
  no.focus();
  no.addEventListener('click', () => { box.close(); opener.focus(); });
  yes.addEventListener('click', () => busy(yes, problems, async () => {
    await remove(`apikeys/${encodeURIComponent(key.id)}`);
    box.close();
    toast(`Revoked "${key.name}".`);
    go('#/apikeys');
  }));
}
