// The merge dialog (SPEC 4.4): the records side by side, the value each field takes and the
// record it comes from (a dry run of the same request), a click on another record's value to
// take that one instead (fieldSources), the survivor, salesperson and team; then the merge.
import { get, post, loadDirectory } from './api.js';
import { h, dialog, label, select, options, title, nameOf, fieldLabel, errorBox, busy, toast, go } from './ui.js';

const address = ['street', 'city', 'zip', 'state', 'country'];

export async function openMergeDialog(ids) {
  const [records, directory] = await Promise.all([Promise.all(ids.map((id) => get(`leads/${id}`))), loadDirectory()]);
  const request = { leadIds: ids, fieldSources: {} };
  const grid = h('div', { class: 'scroll' });
  const status = h('p', { role: 'status' });
  const problems = h('div');
  const userSelect = select('userId', options(directory.salespeople, 'From the merged records'), '');
  const teamSelect = select('teamId', options(directory.teams, 'From the merged records'), '');
  const submit = h('button', { type: 'button', text: 'Merge' });
  const cancel = h('button', { type: 'button', class: 'secondary', text: 'Cancel' });
  const box = dialog(`Merge ${records.length} records`,
    h('p', { class: 'muted', text: 'Each field takes the highlighted value. Choose another record\'s value to take it instead. Nothing is lost: the other records\' values stay in the history, and the merge can be undone.' }),
    grid,
    status,
    h('div', { class: 'filters' }, label('Salesperson', userSelect), label('Sales team', teamSelect)),
    problems,
    h('div', { class: 'actions' }, submit, cancel));
  cancel.addEventListener('click', () => box.close());

  const value = (lead, field) => {
    if (field === 'address') return address.map((f) => lead[f]).filter(Boolean).join(', ');
    if (field === 'tags') return (lead.tags ?? []).join(', ');
    if (field === 'userId') return nameOf(directory.salespeople, lead.userId);
    if (field === 'teamId') return nameOf(directory.teams, lead.teamId);
    const v = lead[field];
    // A consent flag shows only where it is set: the merge keeps it whichever record is picked.
    if (typeof v === 'boolean') return v ? 'Yes' : '';
    return v === undefined || v === null || v === 0 ? '' : String(v);
  };

  // Each change asks for a new dry run; an answer that comes back after a later one is dropped,
  // so the table always shows what the request now holds.
  let asked = 0;
  const preview = async (focus) => {
    const mine = ++asked;
    const answer = await post('merges', { ...request, dryRun: true });
    if (mine !== asked) return;
    grid.replaceChildren(table(answer, records, request, value, (field, id) => {
      request.fieldSources[field] = id;
      busy(submit, problems, () => preview(`button[data-field="${field}"][data-id="${id}"]`));
    }, (id) => {
      request.survivorId = id;
      busy(submit, problems, () => preview(`input[name="survivor"][value="${id}"]`));
    }));
    status.textContent = `The merge keeps ${title(records.find((r) => r.id === answer.survivorId))}: ${answer.lead.type === 'opportunity' ? 'an opportunity' : 'a lead'}, ${answer.lead.status}.`;
    // Keyboard users stay on what they chose after the table is drawn again.
    if (focus) grid.querySelector(focus)?.focus();
  };
  const assign = () => {
    request.userId = userSelect.value || undefined;
    request.teamId = teamSelect.value || undefined;
    busy(submit, problems, () => preview());
  };
  userSelect.addEventListener('change', assign);
  teamSelect.addEventListener('change', assign);
  submit.addEventListener('click', () => busy(submit, problems, async () => {
    const result = await post('merges', request);
    box.close();
    toast(`Merged ${result.mergedIds.length + 1} records. Undo is on the record's page.`);
    go(`#/lead/${result.survivorId}`);
  }));
  try {
    await preview();
  } catch (error) {
    problems.replaceChildren(errorBox(error));
    submit.disabled = true;
  }
}

function table(answer, records, request, value, pick, keep) {
  const byId = Object.fromEntries(records.map((r) => [r.id, r]));
  const head = h('tr', {}, h('th', { scope: 'col', text: 'Field' }),
    records.map((record) => h('th', { scope: 'col' },
      h('a', { href: `#/lead/${record.id}`, text: title(record) }),
      h('span', { class: 'source', text: [record.contactName, record.email, new Date(record.createdAt).toLocaleDateString()].filter(Boolean).join(' · ') }),
      h('label', { class: 'inline' },
        h('input', { type: 'radio', name: 'survivor', value: record.id, checked: answer.survivorId === record.id, onchange: () => keep(record.id) }),
        'Keep this record'))),
    h('th', { scope: 'col', text: 'Result' }));
  // A field no record fills leaves nothing to choose: it is left out of the table.
  const filled = Object.entries(answer.sources).filter(([field]) => records.some((record) => value(record, field) !== ''));
  const rows = filled.map(([field, sourceId]) => h('tr', {},
    h('th', { scope: 'row', text: fieldLabel(field) }),
    records.map((record) => h('td', {}, h('button', {
      type: 'button',
      class: 'pick',
      'data-field': field,
      'data-id': record.id,
      'aria-pressed': String(sourceId === record.id),
      'aria-label': `${fieldLabel(field)} from ${title(record)}: ${value(record, field) || 'empty'}`,
      onclick: () => pick(field, record.id),
    }, h('span', { class: 'who', text: title(record) }), value(record, field) || '—'))),
    h('td', {}, h('span', { text: value(answer.lead, field) || '—' }),
      h('span', { class: 'source', text: `from ${byId[sourceId] ? title(byId[sourceId]) : sourceId}${request.fieldSources[field] ? ' (picked)' : ''}` }))));
  return h('table', { class: 'merge' }, h('thead', {}, head), h('tbody', {}, rows));
}
