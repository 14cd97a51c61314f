// Import of a CSV file (SPEC 4.6): the upload, its progress and the rows refused, by line.
import { post, get } from './api.js';
import { h, page, label, busy, errorBox } from './ui.js';

export function renderImport() {
  const show = page();
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true });
  const submit = h('button', { type: 'submit', text: 'Import' });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', {}, label('CSV file (a header row of field names: name, email, phone, companyName, …)', file), h('div', { class: 'actions' }, submit));
  // One key per chosen file: sending the same file again (a double click, a retry) imports it once.
  let idempotencyKey;
  file.addEventListener('change', () => { idempotencyKey = crypto.randomUUID(); });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, status, async () => {
      const chosen = file.files[0];
      const text = await chosen.text();
      idempotencyKey ??= crypto.randomUUID();
      let record = await post('imports', text, { 'content-type': 'text/csv; charset=utf-8', 'Idempotency-Key': idempotencyKey });
      status.replaceChildren(progress(record, chosen.name));
      // Until the rows are stored and checked; not after the user leaves the page, and not for
      // ever once the rows are in (the checks run in the background and finish without the page).
      const here = location.hash;
      let checksUntil;
      while (location.hash === here && record.status !== 'failed'
        && (record.status === 'running' || record.counts.checked < record.counts.stored)) {
        if (record.status === 'done') {
          checksUntil ??= Date.now() + 120000;
          if (Date.now() > checksUntil) {
            status.append(h('p', { class: 'notice', text: 'The rows are stored; their duplicate checks are still running in the background.' }));
            break;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
        record = await get(`imports/${record.id}`);
        status.replaceChildren(progress(record, chosen.name));
      }
    });
  });
  show(h('h1', { text: 'Import leads' }), h('section', {}, form, status));
}

function progress(record, name) {
  const c = record.counts;
  const done = c.stored + c.failed;
  return h('div', {},
    h('h2', { text: `${name}: ${record.status === 'running' ? 'importing' : record.status}` }),
    h('progress', { max: String(Math.max(c.rows, 1)), value: String(done), 'aria-label': 'Rows read' }),
    h('p', { text: `${done} of ${c.rows} rows read: ${c.stored} stored, ${c.failed} refused; ${c.checked} checked for duplicates, ${c.flagged} with similar records.` }),
    record.status === 'failed' ? errorBox(new Error('The import failed.')) : '',
    record.errors.length ? h('table', { class: 'records' },
      h('caption', { text: 'Rows refused' }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Line' }), h('th', { scope: 'col', text: 'Why' }))),
      h('tbody', {}, record.errors.map((e) => h('tr', {},
        h('td', { 'data-label': 'Line', text: String(e.line) }),
        h('td', { 'data-label': 'Why', text: Object.entries(e.errors).map(([f, m]) => `${f}: ${[m].flat().join(' ')}`).join('\n') }))))) : '');
}
