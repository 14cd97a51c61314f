// The web form page: the capture script (loaded by index.html, so that it handles the form from
// the first click) at work on a form like the README's sample, posted to this app (same origin),
// and the snippet a web designer copies onto the team's site.
import { base } from './api.js';
import { h, page } from './ui.js';

const field = (text, control) => h('label', {}, text, control);

export function renderWebForm() {
  const show = page();
  const capture = new URL('capture', base).href;
  const script = new URL('capture.js', base).href;
  const opened = h('p');
  const form = h('form', { 'data-lead-form': true, action: capture, method: 'post', class: 'webform' },
    field('Your name', h('input', { name: 'contactName', autocomplete: 'name' })),
    field('Email', h('input', { name: 'email', type: 'email', autocomplete: 'email' })),
    field('Phone', h('input', { name: 'phone', type: 'tel', autocomplete: 'tel' })),
    field('Company', h('input', { name: 'companyName', autocomplete: 'organization' })),
    field('Message', h('textarea', { name: 'message' })),
    h('input', { type: 'hidden', name: 'name', value: 'Website enquiry' }),
    h('input', { type: 'hidden', name: 'source', value: 'console' }),
    h('input', { name: '_hp', tabindex: '-1', autocomplete: 'off', 'aria-hidden': 'true', hidden: true }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Send' })),
    h('p', { 'data-lead-result': true }));
  // The script marks the form when the lead is stored: then the new lead is a click away.
  new MutationObserver(() => {
    const id = form.getAttribute('data-lead-id');
    if (form.getAttribute('data-lead-state') === 'sent' && id) {
      opened.replaceChildren(h('a', { href: `#/lead/${id}`, text: 'Open the captured lead' }),
        ' (its duplicate check runs in the background; the list shows its flag once done).');
    }
  }).observe(form, { attributes: true, attributeFilter: ['data-lead-state', 'data-lead-id'] });

  const snippet = `<script src="${script}" defer></script>

<form data-lead-form action="${capture}" method="post">
  <label>Your name <input name="contactName" autocomplete="name"></label>
  <label>Email <input name="email" type="email" autocomplete="email"></label>
  <label>Phone <input name="phone" type="tel" autocomplete="tel"></label>
  <label>Company <input name="companyName" autocomplete="organization"></label>
  <label>Message <textarea name="message"></textarea></label>
  <input type="hidden" name="name" value="Website enquiry">
  <input type="hidden" name="source" value="website">
  <input type="hidden" name="_redirect" value="https://www.example.com/thanks">
  <input name="_hp" tabindex="-1" autocomplete="off" aria-hidden="true" hidden>
  <button>Send</button>
  <p data-lead-result></p>
</form>`;
  show(
    h('h1', { text: 'Web form' }),
    h('section', { 'aria-labelledby': 'try-title' },
      h('h2', { id: 'try-title', text: 'Try it' }),
      h('p', { class: 'muted', text: 'This form is sent by the capture script, as a form on your site would be: the lead is stored at once and checked for duplicates in the background.' }),
      form, opened),
    h('section', { 'aria-labelledby': 'snippet-title' },
      h('h2', { id: 'snippet-title', text: 'Put it on your site' }),
      h('p', { text: 'Copy this into a page of your site, and add the site\'s origin (such as https://www.example.com) to the app setting Capture:AllowedOrigins. Without scripts the form still posts, and _redirect brings the visitor back to your thank-you page.' }),
      h('pre', { class: 'snippet', tabindex: '0' }, h('code', { text: snippet }))));
}
