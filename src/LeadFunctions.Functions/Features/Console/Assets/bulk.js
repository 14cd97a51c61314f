// Bulk conversion (SPEC 4.3) of the leads selected in a list: salespeople assigned round-robin
// in the order chosen, a team, and a result per lead.
import { post, loadDirectory } from './api.js';
import { h, dialog, label, select, options, title, busy, badge } from './ui.js';

export async function openBulkConvertDialog(leads, onDone) {
  const directory = await loadDirectory();
  const order = [];
  const turn = h('p', { class: 'muted', text: 'No salesperson chosen: each lead keeps its own.' });
  const people = directory.salespeople.map((person) => {
    const box = h('input', { type: 'checkbox', name: 'userIds', value: person.id });
    box.addEventListener('change', () => {
      if (box.checked) order.push(person.id); else order.splice(order.indexOf(person.id), 1);
      turn.textContent = order.length
        ? `Round-robin in this order: ${order.map((id) => directory.salespeople.find((p) => p.id === id).name).join(', ')}.`
        : 'No salesperson chosen: each lead keeps its own.';
    });
    return h('li', {}, label(person.name, box, true));
  });
  const force = h('input', { type: 'checkbox', name: 'forceAssignment' });
  const dedupe = h('input', { type: 'checkbox', name: 'deduplicate', checked: true });
  const teamSelect = select('teamId', options(directory.teams, 'Keep each lead\'s team'), '');
  const mode = select('customerMode', [['auto', 'Link or create as the lead suggests'], ['create', 'Create a customer'], ['none', 'No customer']], 'auto');
  const results = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', text: `Convert ${leads.length} lead${leads.length === 1 ? '' : 's'}` });
  const close = h('button', { type: 'button', class: 'secondary', text: 'Close' });
  const form = h('form', {},
    h('p', { text: leads.map(title).join(', ') }),
    h('fieldset', {}, h('legend', { text: 'Salespeople' }), people.length ? h('ul', {}, people) : h('p', { class: 'muted', text: 'No salespeople yet.' }), turn),
    h('div', { class: 'filters' }, label('Sales team', teamSelect), label('Customer', mode)),
    label('Assign even leads that have a salesperson', force, true), h('br'),
    label('Merge each lead with its same-email duplicates first', dedupe, true),
    results,
    h('div', { class: 'actions' }, submit, close));
  const box = dialog('Convert to opportunities', form);
  let converted = false;
  close.addEventListener('click', () => box.close());
  // However it is closed (Close, Escape), the list is read again once leads were converted.
  box.addEventListener('close', () => { if (converted) onDone?.(); });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, results, async () => {
      const answer = await post('conversions', {
        leadIds: leads.map((l) => l.id),
        userIds: order.length ? order : undefined,
        teamId: teamSelect.value || undefined,
        forceAssignment: force.checked,
        deduplicate: dedupe.checked,
        customerMode: mode.value,
      });
      const byId = Object.fromEntries(leads.map((l) => [l.id, l]));
      results.replaceChildren(h('table', { class: 'records' },
        h('caption', { text: `${answer.results.filter((r) => r.status === 'converted').length} of ${answer.results.length} converted` }),
        h('tbody', {}, answer.results.map((r) => h('tr', {},
          h('td', { text: byId[r.leadId] ? title(byId[r.leadId]) : r.leadId }),
          h('td', {}, badge(r.status, r.status === 'converted' ? 'won' : 'lost')),
          h('td', {}, r.opportunityId ? h('a', { href: `#/lead/${r.opportunityId}`, onclick: () => box.close(), text: 'Open the opportunity' }) : (r.error ?? '')))))));
      converted = true;
      submit.disabled = true;
      submit.hidden = true;
      // The button that had the focus is gone: the results take it.
      const caption = results.querySelector('caption');
      caption.tabIndex = -1;
      caption.focus();
    });
  });
}
