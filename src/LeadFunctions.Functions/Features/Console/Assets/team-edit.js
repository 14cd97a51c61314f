// A team's routing, changed by a manager or admin (SPEC 11): its conditions, sequence, default,
// answer time and members' capacity, saved in one PUT /teams/{id} (the whole team as read, changed,
// plus capacity). A refusal names its fields in the dialog's own words and marks the controls.
import { api } from './api.js';
import { h, dialog, label, select, busy, toast, go } from './ui.js';

const fields = [['country', 'Country'], ['source', 'Source'], ['medium', 'Medium'], ['campaign', 'Campaign'], ['tags', 'Tags'],
  ['emailDomain', 'Email domain'], ['companyName', 'Company']];
const ops = [['equals', 'is (one value)'], ['in', 'in (any of the values)'], ['contains', 'contains'], ['startsWith', 'starts with']];

/** Comma-separated values as a list, without blanks. */
const values = (text) => text.split(',').map((v) => v.trim()).filter(Boolean);

export function openTeamEditor(team, members, opener) {
  const sequence = h('input', { type: 'number', name: 'sequence', step: '1', required: true, value: String(team.sequence ?? 0), 'data-field': 'sequence' });
  const isDefault = h('input', { type: 'checkbox', name: 'default', checked: team.default === true, 'data-field': 'default' });
  const respondWithin = h('input', { name: 'respondWithin', value: team.respondWithin ?? '', autocomplete: 'off', spellcheck: 'false', placeholder: 'PT2H', 'data-field': 'respondWithin' });
  const maxReassignments = h('input', { type: 'number', name: 'maxReassignments', min: '0', max: '10', step: '1', required: true, value: String(team.maxReassignments ?? 2), 'data-field': 'maxReassignments' });

  const list = h('ul', { class: 'conditions' });
  const none = h('p', { class: 'muted', text: 'No conditions: the team takes records only as the default.' });
  const add = h('button', { type: 'button', class: 'secondary', text: 'Add condition' });
  const renumber = () => {
    [...list.children].forEach((row, i) => {
      row.setAttribute('aria-label', `Condition ${i + 1}`);
      row.querySelector('[data-role=remove]').setAttribute('aria-label', `Remove condition ${i + 1}`);
      for (const control of row.querySelectorAll('[data-part]')) control.dataset.field = `rules[${i}].${control.dataset.part}`;
    });
    none.hidden = list.children.length > 0;
  };
  const condition = (rule) => {
    const field = select('field', fields, rule.field || 'country');
    const op = select('op', ops, rule.op || 'in');
    const text = h('input', { name: 'values', value: (rule.values ?? []).join(', '), autocomplete: 'off', spellcheck: 'false', placeholder: 'BE, NL, LU' });
    field.dataset.part = 'field';
    op.dataset.part = 'op';
    text.dataset.part = 'values';
    const remove = h('button', { type: 'button', class: 'danger', 'data-role': 'remove', text: 'Remove' });
    const row = h('li', { class: 'filters condition', role: 'group' },
      label('Field', field), label('Operator', op), label('Values (comma-separated)', text), remove);
    remove.addEventListener('click', () => {
      // Focus goes where the removed row was: to the next condition, or after the last one to Add.
      const next = row.nextElementSibling?.querySelector('select') ?? add;
      row.remove();
      renumber();
      next.focus();
    });
    return row;
  };
  for (const rule of team.rules ?? []) list.append(condition(rule));
  add.addEventListener('click', () => {
    const row = condition({});
    list.append(row);
    renumber();
    row.querySelector('select').focus();
  });
  renumber();

  const capacities = members.map((member) => {
    const input = h('input', { type: 'number', name: `capacity-${member.id}`, min: '0', max: '100000', step: '1', required: true, value: String(member.capacity ?? 0), 'data-field': `capacity.${member.id}` });
    return { member, input, item: h('li', {}, label(member.name || member.id, input)) };
  });

  const problems = h('div');
  const save = h('button', { type: 'submit', text: 'Save' });
  const cancel = h('button', { type: 'button', class: 'secondary', text: 'Cancel' });
  const form = h('form', {},
    h('div', { class: 'filters' },
      label('Sequence (lower is tried first)', sequence),
      label('Answer within (ISO 8601, such as PT2H or P1D; empty: no limit)', respondWithin),
      label('Times sent back to the rules, at most', maxReassignments)),
    label('Default team: takes the records no team\'s conditions match', isDefault, true),
    h('fieldset', {}, h('legend', { text: 'Conditions (all must hold)' }), none, list, h('div', { class: 'actions' }, add)),
    h('fieldset', {}, h('legend', { text: 'Capacity: records per 30 days (0: no limit)' }),
      capacities.length ? h('ul', { class: 'capacities' }, capacities.map((c) => c.item)) : h('p', { class: 'muted', text: 'No members.' })),
    problems,
    h('div', { class: 'actions' }, save, cancel));
  const box = dialog(`Edit the routing of ${team.name || team.id}`, form);
  box.addEventListener('close', () => opener?.focus());
  cancel.addEventListener('click', () => box.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(save, problems, async () => {
      for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
      // Only the capacities changed here: an unchanged member's capacity is not written over one changed meanwhile.
      const capacity = Object.fromEntries(capacities
        .filter(({ member, input }) => input.valueAsNumber !== (member.capacity ?? 0))
        .map(({ member, input }) => [member.id, input.valueAsNumber]));
      const body = {
        ...team,
        sequence: sequence.valueAsNumber,
        default: isDefault.checked,
        respondWithin: respondWithin.value.trim() || null,
        maxReassignments: maxReassignments.valueAsNumber,
        rules: [...list.children].map((row) => ({
          field: row.querySelector('[name=field]').value,
          op: row.querySelector('[name=op]').value,
          values: values(row.querySelector('[name=values]').value),
        })),
        capacity,
      };
      try {
        await api('PUT', `teams/${encodeURIComponent(team.id)}`, body);
      } catch (error) {
        throw inOwnWords(error, form);
      }
      box.close();
      toast(`Saved the routing of ${team.name || team.id}.`);
      go(`#/teams/${encodeURIComponent(team.id)}`);
    });
  });
}

/** A field of the API's problem as this dialog names it: "rules[0].values" → "Condition 1, values". */
function fieldName(key) {
  const rule = /^rules\[(\d+)\](?:\.(\w+))?$/.exec(key);
  if (rule) return `Condition ${Number(rule[1]) + 1}${rule[2] ? `, ${{ op: 'operator' }[rule[2]] ?? rule[2]}` : ''}`;
  if (key.startsWith('capacity.')) return 'Capacity';
  return {
    rules: 'Conditions', sequence: 'Sequence', default: 'Default team', respondWithin: 'Answer within',
    maxReassignments: 'Times sent back', capacity: 'Capacity', timeZone: 'Time zone', name: 'Name', memberIds: 'Members', leaderId: 'Leader',
  }[key] ?? key;
}

/**
 * The problem with its fields renamed for the dialog, and the controls it names marked invalid
 * (the first one focused, so that a keyboard user lands on what to fix).
 */
function inOwnWords(error, form) {
  const errors = error?.problem?.errors;
  if (!errors || typeof errors !== 'object') return error;
  const renamed = {};
  let first;
  for (const [key, messages] of Object.entries(errors)) {
    renamed[fieldName(key)] = messages;
    for (const control of form.querySelectorAll('[data-field]')) {
      if (control.dataset.field === key || control.dataset.field.startsWith(`${key}.`)) {
        control.setAttribute('aria-invalid', 'true');
        first ??= control;
      }
    }
  }
  first?.focus();
  return Object.assign(new Error(error.message), { status: error.status, problem: { ...error.problem, errors: renamed } });
}
