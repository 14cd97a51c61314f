// A record's page: its fields, lose/win/restore, its similar records, its history and notes,
// and the undo of the merge that made it (or that it went into).
import { get, post, loadDirectory, ApiError } from './api.js';
import { h, page, title, badge, flag, nameOf, fieldLabel, errorBox, busy, toast, when, byActor, dialog, label, go } from './ui.js';
import { openConvertDialog } from './convert.js';
import { openMergeDialog } from './merge.js';
import { assignmentFields } from './assignment.js';

const shown = ['email', 'phone', 'contactName', 'companyName', 'website', 'street', 'city', 'zip', 'state', 'country',
  'description', 'tags', 'priority', 'expectedRevenue', 'probability', 'source', 'medium', 'campaign', 'lostReason',
  'customerId', 'emailOptOut', 'phoneOptOut', 'doNotContact', 'createdAt', 'updatedAt', 'convertedAt', 'wonAt'];

export async function renderRecord(id) {
  const show = page();
  let lead;
  let directory;
  let log;
  try {
    // The newest history is read once: the page shows it, and the undo button looks in it for the merge.
    [lead, directory, log] = await Promise.all([
      get(`leads/${encodeURIComponent(id)}`), loadDirectory(), get(`leads/${encodeURIComponent(id)}/log`, { pageSize: 50 })]);
  } catch (error) {
    show(h('h1', { text: 'Record' }), errorBox(error), h('p', {}, h('a', { href: '#/leads', text: 'Back to the list' })));
    return;
  }
  const reload = () => go(`#/lead/${id}`);
  const problems = h('div');
  show(
    h('p', {}, h('a', { href: `#/leads?type=${lead.type}`, text: lead.type === 'opportunity' ? '← Opportunities' : '← Leads' })),
    h('h1', { text: title(lead) }),
    h('p', { class: 'status' }, badge(lead.type, 'type'), badge(lead.status), flag(lead)),
    merged(lead),
    actions(lead, log, problems, reload),
    problems,
    h('section', { 'aria-labelledby': 'fields-title' }, h('h2', { id: 'fields-title', text: 'Details' }), details(lead, directory)),
    lead.status === 'merged' ? '' : similar(lead, reload),
    history(lead, log, reload));
}

function merged(lead) {
  if (lead.status !== 'merged') return '';
  return h('p', { class: 'notice' }, 'This record was merged into ', h('a', { href: `#/lead/${lead.mergedInto}`, text: 'another record' }), '. Its data is kept there and in its history.');
}

function actions(lead, log, problems, reload) {
  const bar = h('div', { class: 'actions' });
  const action = (text, run, kind) => {
    const button = h('button', { type: 'button', class: kind, text });
    button.addEventListener('click', () => busy(button, problems, run));
    bar.append(button);
  };
  if (lead.type === 'lead' && lead.status === 'active') {
    action('Convert to opportunity…', async () => openConvertDialog(lead));
  }
  if (lead.status === 'active' && lead.type === 'opportunity') {
    action('Mark won', async () => { await post(`leads/${lead.id}/win`); toast('Marked won.'); reload(); }, 'secondary');
  }
  if (lead.status === 'active') {
    action('Mark lost…', async () => lose(lead, reload), 'danger');
  }
  if (lead.status === 'won' || lead.status === 'lost') {
    action('Restore', async () => { await post(`leads/${lead.id}/restore`); toast('Active again.'); reload(); }, 'secondary');
  }
  undoButton(lead, log, bar, problems);
  return bar;
}

function lose(lead, reload) {
  const reason = h('input', { name: 'reason', maxlength: '200', autocomplete: 'off' });
  const problems = h('div');
  const submit = h('button', { type: 'submit', text: 'Mark lost' });
  const cancel = h('button', { type: 'button', class: 'secondary', text: 'Cancel' });
  const form = h('form', { method: 'dialog' }, label('Lost reason (optional)', reason), problems, h('div', { class: 'actions' }, submit, cancel));
  const box = dialog(`Mark ${title(lead)} lost`, form);
  cancel.addEventListener('click', () => box.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, problems, async () => {
      await post(`leads/${lead.id}/lose`, reason.value ? { reason: reason.value } : {});
      box.close();
      toast('Marked lost.');
      reload();
    });
  });
}

/** The merge this record's page can undo: the newest one it survived, or the one it went into. */
async function undoButton(lead, log, bar, problems) {
  const kind = lead.status === 'merged' ? 'merged-into' : 'merged';
  const entry = log.items.find((e) => e.kind === kind || e.kind === 'unmerged');
  const mergeId = entry?.kind === kind ? entry.data?.mergeId : undefined;
  if (!mergeId) return;
  const merge = await get(`merges/${mergeId}`).catch(() => undefined);
  if (merge?.state !== 'applied') return;
  const button = h('button', { type: 'button', class: 'danger', text: 'Undo merge' });
  button.addEventListener('click', () => busy(button, problems, () => undo(merge, false)));
  bar.append(button);
}

async function undo(merge, force) {
  try {
    await post(`merges/${merge.id}/undo`, force ? { force: true } : {});
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && !force && /with force/i.test(error.message)) {
      const again = h('button', { type: 'button', class: 'danger', text: 'Undo anyway, keeping the changes' });
      const box = dialog('The record changed since the merge', h('p', { text: error.message }), h('div', { class: 'actions' }, again));
      again.addEventListener('click', () => busy(again, null, async () => { box.close(); await undo(merge, true); }));
      return;
    }
    throw error;
  }
  toast(`Merge undone: ${merge.mergedIds.length + 1} records are back.`);
  go(`#/lead/${merge.survivorId}`);
}

function details(lead, directory) {
  const list = h('dl', { class: 'fields' },
    h('dt', { text: 'Salesperson' }), h('dd', { text: nameOf(directory.salespeople, lead.userId) || '—' }),
    h('dt', { text: 'Team' }), h('dd', {}, lead.teamId ? h('a', { href: `#/teams/${encodeURIComponent(lead.teamId)}`, text: nameOf(directory.teams, lead.teamId) }) : '—'),
    assignmentFields(lead));
  for (const field of shown) {
    let value = lead[field];
    if (Array.isArray(value)) value = value.join(', ');
    if (value === undefined || value === null || value === '' || value === 0 || value === false || (Array.isArray(lead[field]) && !value)) continue;
    if (value === true) value = 'Yes';
    if (field.endsWith('At')) value = when(value);
    list.append(h('dt', { text: fieldLabel(field) }), h('dd', { text: String(value) }));
  }
  return list;
}

function similar(lead, reload) {
  const place = h('div', {}, h('p', { class: 'muted', text: 'Loading…' }));
  const section = h('section', { 'aria-labelledby': 'similar-title' }, h('h2', { id: 'similar-title', text: 'Similar records' }), place);
  get(`leads/${lead.id}/similar`).then((answer) => {
    if (answer.count === 0) {
      place.replaceChildren(h('p', { text: lead.duplicateCheck?.status === 'done' ? 'No similar records.' : 'The duplicate check has not run yet.' }));
      return;
    }
    const chosen = new Set();
    const merge = h('button', { type: 'button', disabled: true, text: 'Merge with selected…' });
    merge.addEventListener('click', () => busy(merge, place, () => openMergeDialog([lead.id, ...chosen])));
    const rows = answer.items.map((other) => {
      const box = h('input', { type: 'checkbox', 'aria-label': `Select ${title(other)}` });
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(other.id); else chosen.delete(other.id);
        merge.disabled = chosen.size < 1 || chosen.size > 9;
      });
      const dismiss = h('button', { type: 'button', class: 'secondary', text: 'Not a duplicate' });
      dismiss.addEventListener('click', () => busy(dismiss, place, async () => {
        await post(`leads/${lead.id}/similar/${other.id}/dismiss`);
        toast(`${title(other)} is no longer shown as similar.`);
        reload();
      }));
      return h('tr', {},
        h('td', {}, box),
        h('td', { 'data-label': 'Name' }, h('a', { href: `#/lead/${other.id}`, text: title(other) })),
        h('td', { 'data-label': 'Status' }, badge(other.type, 'type'), badge(other.status)),
        h('td', { 'data-label': 'Email', text: other.email ?? '' }),
        h('td', { 'data-label': 'Phone', text: other.phone ?? '' }),
        h('td', { 'data-label': 'Company', text: other.companyName ?? '' }),
        h('td', { 'data-label': 'Matched on' }, other.matchedOn.map((rule) => badge(rule, 'flag')), why(other)),
        h('td', {}, dismiss));
    });
    place.replaceChildren(
      h('div', { class: 'scroll' }, h('table', { class: 'records' },
        h('thead', {}, h('tr', {}, ['Select', 'Name', 'Status', 'Email', 'Phone', 'Company', 'Matched on', ''].map((t) => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, rows))),
      h('div', { class: 'actions' }, merge));
  }, (error) => place.replaceChildren(errorBox(error)));
  return section;
}

// The pair's score and its reasons, folded away: the badges say what matched, this says how sure.
function why(other) {
  if (!other.reasons?.length) return null;
  return h('details', { class: 'why' },
    h('summary', { text: `score ${other.score}` }),
    h('ul', {}, other.reasons.map((reason) => h('li', { text: reason }))));
}

function history(lead, firstPage, reload) {
  const list = h('ol', { class: 'log' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, text: 'Older entries' });
  const problems = h('div');
  let token;
  const addEntries = (answer) => {
    for (const entry of answer.items) {
      const from = entry.leadId && entry.leadId !== lead.id ? ` (from record ${entry.leadId})` : '';
      const by = byActor(entry.actor);
      list.append(h('li', {}, h('span', { class: 'muted', text: `${when(entry.at)} · ${entry.kind}${from}${by ? ` · ${by}` : ''}` }), h('br'), entry.message));
    }
    token = answer.continuationToken;
    more.hidden = !token;
  };
  addEntries(firstPage);
  more.addEventListener('click', () => busy(more, problems, async () => addEntries(await get(`leads/${lead.id}/log`, { pageSize: 50, continuationToken: token }))));

  const note = h('textarea', { name: 'message', required: true, maxlength: '4000' });
  const add = h('button', { type: 'submit', text: 'Add note' });
  const form = h('form', {}, label('Note', note), h('div', { class: 'actions' }, add));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(add, problems, async () => {
      await post(`leads/${lead.id}/notes`, { message: note.value });
      toast('Note added.');
      reload();
    });
  });
  return h('section', { 'aria-labelledby': 'log-title' }, h('h2', { id: 'log-title', text: 'History' }),
    lead.status === 'merged' ? '' : form, problems, list, more);
}
