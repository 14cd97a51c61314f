// Lists of leads and opportunities: filters, paging, and the selection that merge and bulk
// conversion act on.
import { get, loadDirectory } from './api.js';
import { h, page, select, label, options, title, badge, flag, nameOf, errorBox, busy } from './ui.js';
import { openMergeDialog } from './merge.js';
import { openBulkConvertDialog } from './bulk.js';

const filterNames = ['type', 'status', 'teamId', 'userId', 'email', 'pageSize'];

// The tokens of the pages seen, per filter: "Previous" goes back without a token of its own.
let paging = { filter: '', tokens: [undefined] };

export async function renderList(params) {
  const show = page();
  const filter = Object.fromEntries(filterNames.map((name) => [name, params.get(name) ?? '']));
  filter.pageSize ||= '25';
  const filterKey = JSON.stringify(filter);
  if (paging.filter !== filterKey) paging = { filter: filterKey, tokens: [undefined] };

  const heading = filter.type === 'opportunity' ? 'Opportunities' : filter.type === 'lead' ? 'Leads' : 'Leads and opportunities';
  const results = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted', text: 'Loading…' }));
  let directory = { teams: [], salespeople: [] };
  try {
    directory = await loadDirectory();
  } catch (error) {
    results.replaceChildren(errorBox(error));
  }
  show(h('h1', { text: heading }), filters(filter, directory), results);

  const load = async () => {
    const token = paging.tokens.at(-1);
    results.replaceChildren(h('p', { class: 'muted', text: 'Loading…' }));
    try {
      const answer = await get('leads', { ...filter, continuationToken: token });
      results.replaceChildren(table(answer, directory, load));
    } catch (error) {
      results.replaceChildren(errorBox(error));
    }
  };
  await load();
}

function filters(filter, directory) {
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filters' },
    label('Type', select('type', [['', 'All'], ['lead', 'Leads'], ['opportunity', 'Opportunities']], filter.type)),
    label('Status', select('status', [['', 'Any but merged'], ['active', 'Active'], ['won', 'Won'], ['lost', 'Lost'], ['merged', 'Merged']], filter.status)),
    label('Team', select('teamId', options(directory.teams, 'Any team'), filter.teamId)),
    label('Salesperson', select('userId', options(directory.salespeople, 'Anyone'), filter.userId)),
    label('Email', h('input', { name: 'email', type: 'search', value: filter.email, autocomplete: 'off' })),
    label('Per page', select('pageSize', ['10', '25', '50', '100', '200'].map((n) => [n, n]), filter.pageSize)),
    h('button', { type: 'submit', text: 'Apply' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) data.set(name, value);
    location.hash = `#/leads?${data}`;
  });
  return form;
}

function table(answer, directory, reload) {
  const selected = new Map();
  const count = h('span', { class: 'muted', text: 'None selected' });
  const merge = h('button', { type: 'button', disabled: true, text: 'Merge selected…' });
  const convert = h('button', { type: 'button', class: 'secondary', disabled: true, text: 'Convert selected…' });
  const update = () => {
    count.textContent = selected.size ? `${selected.size} selected` : 'None selected';
    merge.disabled = selected.size < 2 || selected.size > 10;
    convert.disabled = selected.size < 1 || selected.size > 100 || [...selected.values()].some((l) => l.type !== 'lead' || l.status !== 'active');
  };
  const problems = h('div');
  merge.addEventListener('click', () => busy(merge, problems, () => openMergeDialog([...selected.keys()])));
  convert.addEventListener('click', () => busy(convert, problems, () => openBulkConvertDialog([...selected.values()], reload)));

  const previous = h('button', { type: 'button', class: 'secondary', disabled: paging.tokens.length < 2, text: 'Previous page' });
  const next = h('button', { type: 'button', class: 'secondary', disabled: !answer.continuationToken, text: 'Next page' });
  previous.addEventListener('click', () => { paging.tokens.pop(); reload(); });
  next.addEventListener('click', () => { paging.tokens.push(answer.continuationToken); reload(); });
  if (answer.items.length === 0 && answer.continuationToken) {
    // Filters combined read a bounded number of records a page: an empty page with a token says
    // only that none of those matched, not that nothing after them does.
    return h('div', {},
      h('p', { text: 'None of the records this page looked at match these filters; the next page looks further.' }),
      h('div', { class: 'actions' }, previous, next));
  }
  if (answer.items.length === 0) {
    return h('p', { text: paging.tokens.length > 1 ? 'No more records.' : 'No records match these filters.' });
  }
  const rows = answer.items.map((lead) => {
    const box = h('input', { type: 'checkbox', 'aria-label': `Select ${title(lead)}` });
    box.addEventListener('change', () => {
      if (box.checked) selected.set(lead.id, lead); else selected.delete(lead.id);
      update();
    });
    return h('tr', {},
      h('td', {}, box),
      h('td', { 'data-label': 'Name' }, h('a', { href: `#/lead/${lead.id}`, text: title(lead) })),
      h('td', { 'data-label': 'Contact', text: lead.contactName ?? '' }),
      h('td', { 'data-label': 'Email', text: lead.email ?? '' }),
      h('td', { 'data-label': 'Company', text: lead.companyName ?? '' }),
      h('td', { 'data-label': 'Salesperson', text: nameOf(directory.salespeople, lead.userId) }),
      h('td', { 'data-label': 'Status' }, badge(lead.type === 'opportunity' ? 'opportunity' : 'lead', 'type'), badge(lead.status)),
      h('td', { 'data-label': 'Duplicates' }, flag(lead)));
  });
  return h('div', {},
    h('div', { class: 'toolbar' }, count, merge, convert),
    problems,
    h('div', { class: 'scroll' }, h('table', { class: 'records' },
      h('caption', { text: `Page ${paging.tokens.length}` }),
      h('thead', {}, h('tr', {}, ['Select', 'Name', 'Contact', 'Email', 'Company', 'Salesperson', 'Status', 'Duplicates'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows))),
    h('div', { class: 'actions' }, previous, next));
}
