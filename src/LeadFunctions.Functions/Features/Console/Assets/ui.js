// DOM helpers. Every value from the API goes in as text (never as markup), so no stored string
// can run as script in the console.

/** An element: attributes (on* are listeners, true/false toggles a boolean one) and children (text or elements). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'text') element.textContent = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const main = () => document.getElementById('main');

/** Goes to a page of the console, drawing it again when it is the page already shown. */
export function go(hash) {
  if (location.hash === hash) dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

let generation = 0;

/**
 * Starts drawing a page, and answers the function that shows it: a page still loading from
 * before (the user moved on while it waited for the API) is then never shown over this one.
 */
export function page() {
  const mine = ++generation;
  return (...children) => {
    if (mine === generation) show(...children);
  };
}

/** Replaces the page's content and moves focus to its heading, as a page change would. */
function show(...children) {
  const target = main();
  target.replaceChildren(...children.flat());
  const heading = target.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

let toastTimer;
export function toast(message, ...actions) {
  const box = document.getElementById('toast');
  box.replaceChildren(h('span', { text: message }), ...actions);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => box.replaceChildren(), actions.length ? 15000 : 5000);
}

/** A problem as text: its detail and each field's messages. */
export function problemText(error) {
  const problem = error?.problem ?? {};
  const lines = [error?.message ?? String(error)];
  for (const [field, messages] of Object.entries(problem.errors ?? {})) {
    lines.push(`${field}: ${[messages].flat().join(' ')}`);
  }
  return lines.join('\n');
}

export const errorBox = (error) => h('p', { class: 'error', role: 'alert', text: problemText(error) });

/** A modal dialog (Escape closes it, focus stays inside); removed from the page when closed. */
let dialogs = 0;
export function dialog(title, ...content) {
  const id = `dialog-title-${++dialogs}`;
  const box = h('dialog', { 'aria-labelledby': id }, h('h2', { id, text: title }), ...content);
  box.addEventListener('close', () => box.remove());
  document.body.append(box);
  box.showModal();
  return box;
}

export const label = (text, control, inline = false) => h('label', { class: inline ? 'inline' : undefined }, inline ? [control, text] : [text, control]);

/** A select of [value, text] pairs. */
export function select(name, options, value) {
  return h('select', { name }, options.map(([v, text]) => h('option', { value: v, selected: v === (value ?? '') }, text)));
}

export const when = (value) => (value ? new Date(value).toLocaleString() : '');

/**
 * Who made a change, as a history line says it (SPEC 10): "by Lea Martin", "by API key Shop
 * sync", "by web form visitor", "by LeadFunctions". Empty for entries written before actors were
 * recorded: their author is unknown, and nothing is shown rather than a guess. Plain text, which
 * h() puts in as text.
 */
export function byActor(actor) {
  if (!actor || typeof actor !== 'object') return '';
  switch (actor.kind) {
    case 'person': return `by ${actor.name || 'a person'}`;
    case 'apikey': return `by API key ${actor.name || actor.id || ''}`.trimEnd();
    case 'visitor': return 'by web form visitor';
    case 'system': return 'by LeadFunctions';
    default: return '';
  }
}

/** What to call a record: its name, else its contact, company or email. */
export const title = (lead) => lead.name || lead.contactName || lead.companyName || lead.email || lead.phone || '(no name)';

/** The names the seed's dialogs use for the record's fields. */
const labels = {
  name: 'Name', contactName: 'Contact name', email: 'Email', phone: 'Phone', companyName: 'Company', website: 'Website',
  address: 'Address', street: 'Street', city: 'City', zip: 'ZIP', state: 'State', country: 'Country', description: 'Description',
  tags: 'Tags', priority: 'Priority', expectedRevenue: 'Expected revenue', probability: 'Probability', userId: 'Salesperson',
  teamId: 'Sales team', customerId: 'Customer', source: 'Source', medium: 'Medium', campaign: 'Campaign',
  lostReason: 'Lost reason', emailOptOut: 'No emails', phoneOptOut: 'No calls', doNotContact: 'Do not contact', createdAt: 'Created', updatedAt: 'Updated', convertedAt: 'Converted', wonAt: 'Won',
};
export const fieldLabel = (field) => labels[field] ?? field;

export const badge = (text, kind = text) => h('span', { class: `badge ${kind}`, text });

/** The duplicate flag of a record, as the list and the record page show it. */
export function flag(lead) {
  const check = lead.duplicateCheck ?? {};
  if (check.status === 'failed') {
    // The record counts as listed all the same; the reason is on the badge's tooltip.
    const failed = badge('check failed', 'failed');
    if (check.reason) failed.title = check.reason;
    return failed;
  }
  if (check.status !== 'done') return badge('checking…', 'pending');
  return check.similarCount > 0 ? badge(`${check.similarCount} similar`, 'flag') : '';
}

export const nameOf = (items, id) => (id ? items.find((item) => item.id === id)?.name ?? id : '');

export const options = (items, none) => [['', none], ...items.map((item) => [item.id, item.name])];

/** Runs an action from a button: the button is disabled while it runs; a failure shows in the given place. */
export async function busy(button, errorPlace, action) {
  button.disabled = true;
  errorPlace?.replaceChildren();
  try {
    return await action();
  } catch (error) {
    if (errorPlace) errorPlace.replaceChildren(errorBox(error));
    else toast(problemText(error));
    return undefined;
  } finally {
    button.disabled = false;
  }
}
