// The conversion dialog (SPEC 4.3), drawn from GET /leads/{id}/conversion: the action, the
// duplicates to merge first, the customer, the salesperson and the team.
import { get, post, loadDirectory } from './api.js';
import { h, dialog, label, select, title, busy, toast, badge, go } from './ui.js';

export async function openConvertDialog(lead) {
  const [proposal, directory, customers] = await Promise.all([
    get(`leads/${lead.id}/conversion`),
    loadDirectory(),
    lead.email ? get('customers', { email: lead.email, pageSize: 20 }).then((a) => a.items, () => []) : Promise.resolve([]),
  ]);

  const radio = (name, value, text, checked) => label(text, h('input', { type: 'radio', name, value, checked }), true);
  const duplicates = proposal.duplicates.map((other) =>
    h('li', {}, label(`${title(other)} (${other.type}, ${other.status}; ${other.matchedOn.join(', ')})`,
      h('input', { type: 'checkbox', name: 'mergeWith', value: other.id, checked: true }), true)));
  const mergeList = h('fieldset', { hidden: proposal.action !== 'merge' },
    h('legend', { text: 'Merge with' }),
    duplicates.length ? h('ul', {}, duplicates) : h('p', { class: 'muted', text: 'No duplicates to merge with.' }));

  const customerIds = [...new Set([proposal.customer.customerId, ...customers.map((c) => c.id)].filter(Boolean))];
  const customerSelect = select('customerId', customerIds.map((id) => [id, customers.find((c) => c.id === id)?.name ?? id]), proposal.customer.customerId);
  const otherCustomer = h('input', { name: 'otherCustomerId', placeholder: customerIds.length ? 'or another customer\'s id' : undefined, autocomplete: 'off', pattern: '[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}' });

  // Both start from the defaults. A salesperson chosen here without a team takes the team by the
  // rule of SPEC 4.3 (the lead's when they belong to it, else their first), so changing the
  // salesperson sets the team back to that rule unless a team was chosen here too.
  const people = directory.salespeople.map((p) => [p.id, p.name]);
  const userSelect = select('userId', proposal.userId ? people : [['', 'Nobody'], ...people], proposal.userId);
  const teamSelect = select('teamId', [['', 'By the salesperson\'s teams'], ...directory.teams.map((t) => [t.id, t.name])], proposal.teamId);
  let teamChosen = false;
  teamSelect.addEventListener('change', () => { teamChosen = true; });
  userSelect.addEventListener('change', () => { if (!teamChosen) teamSelect.value = ''; });

  const problems = h('div');
  const submit = h('button', { type: 'submit', text: 'Convert' });
  const cancel = h('button', { type: 'button', class: 'secondary', text: 'Cancel' });
  const form = h('form', {},
    h('fieldset', {}, h('legend', { text: 'Conversion action' }),
      radio('action', 'convert', 'Convert to opportunity', proposal.action === 'convert'),
      radio('action', 'merge', 'Merge with existing opportunities, then convert', proposal.action === 'merge')),
    mergeList,
    h('fieldset', {}, h('legend', { text: 'Customer' }),
      radio('mode', 'create', 'Create a new customer', proposal.customer.mode === 'create'),
      radio('mode', 'link', 'Link to an existing customer', proposal.customer.mode === 'link'),
      h('div', { class: 'filters' }, customerIds.length ? label('Customer', customerSelect) : '', label('Customer id', otherCustomer)),
      radio('mode', 'none', 'Do not link to a customer', proposal.customer.mode === 'none')),
    h('div', { class: 'filters' }, label('Salesperson', userSelect), label('Sales team', teamSelect)),
    problems,
    h('div', { class: 'actions' }, submit, cancel));
  form.addEventListener('change', () => { mergeList.hidden = form.elements.action.value !== 'merge'; });

  const box = dialog(`Convert ${title(lead)} to an opportunity`, h('p', {}, badge(lead.type, 'type'), badge(lead.status)), form);
  cancel.addEventListener('click', () => box.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, problems, async () => {
      const data = new FormData(form);
      const mode = data.get('mode');
      const request = {
        action: data.get('action'),
        customer: mode === 'link' ? { mode, customerId: otherCustomer.value.trim().toUpperCase() || data.get('customerId') } : { mode },
        userId: data.get('userId') || undefined,
        teamId: data.get('teamId') || undefined,
      };
      if (request.action === 'merge') request.mergeWith = data.getAll('mergeWith');
      const result = await post(`leads/${lead.id}/convert`, request);
      box.close();
      toast(result.mergeId ? 'Merged and converted to an opportunity.' : 'Converted to an opportunity.');
      go(`#/lead/${result.lead.id}`);
    });
  });
}
