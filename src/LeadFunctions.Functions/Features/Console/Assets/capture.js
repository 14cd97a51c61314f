/*
 * LeadFunctions capture script (GET /api/capture.js). Include it on a page with
 *   <script src="https://YOUR-APP/api/capture.js" defer></script>
 * and mark a form with data-lead-form: the script posts it to /api/capture as JSON with an
 * Idempotency-Key per submission (a retry of the same submission stores the lead once) and shows
 * the result in the form's [data-lead-result] element (added when missing). The form keeps
 * action=".../api/capture" method="post", so without scripts the browser posts it itself (and a
 * _redirect field sends the visitor back to your thank-you page).
 * Optional attributes: data-success="message", data-redirect="url" (after success).
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var endpoint = script ? new URL('capture', script.src).href : null;

  function result(form) {
    var place = form.querySelector('[data-lead-result]');
    if (!place) {
      place = document.createElement('p');
      place.setAttribute('data-lead-result', '');
      form.appendChild(place);
    }
    place.setAttribute('role', 'status');
    place.setAttribute('aria-live', 'polite');
    return place;
  }

  // The fields capture reads (SPEC 5). A form's other fields (a CMS token, a box of its own) are
  // left out, as the form post of a browser without scripts has them ignored.
  var fields = ['name', 'contactName', 'email', 'phone', 'companyName', 'website', 'message',
    'source', 'medium', 'campaign', 'teamId', 'tags', 'emailOptOut', 'phoneOptOut', 'doNotContact', '_hp'];
  var flags = ['emailOptOut', 'phoneOptOut', 'doNotContact'];

  // A consent box goes as a JSON boolean, read with the words the server reads in a form post
  // ("on" is what a ticked checkbox without a value sends); other text goes as it is, for the
  // server to refuse naming the field, as it would a form post.
  function flag(value) {
    var text = value.trim().toLowerCase();
    if (['true', 'on', 'yes', '1'].indexOf(text) >= 0) return true;
    if (['false', 'off', 'no', '0', ''].indexOf(text) >= 0) return false;
    return value;
  }

  function body(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== 'string' || fields.indexOf(name) < 0) return;
      if (flags.indexOf(name) >= 0) {
        data[name] = flag(value);
      } else if (name === 'tags') {
        var tags = value.split(',').map(function (t) { return t.trim(); }).filter(Boolean);
        data.tags = (data.tags || []).concat(tags);
      } else if (value.trim() !== '' || name === '_hp') {
        data[name] = value;
      }
    });
    return data;
  }

  function problemText(status, problem, response) {
    if (status === 429) {
      var wait = response.headers.get('Retry-After');
      return 'Too many submissions from here: please try again' + (wait ? ' in ' + wait + ' seconds.' : ' later.');
    }
    var lines = [problem && (problem.detail || problem.title) || 'The form could not be sent (' + status + ').'];
    var errors = problem && problem.errors || {};
    Object.keys(errors).forEach(function (field) { lines.push(field + ': ' + [].concat(errors[field]).join(' ')); });
    return lines.join('\n');
  }

  function mark(form, errors) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name) return;
      if (errors && errors[element.name]) element.setAttribute('aria-invalid', 'true');
      else element.removeAttribute('aria-invalid');
    });
  }

  // One key per submission, kept until it succeeds: sending the same submission again (after a
  // lost answer) stores the lead once; a changed form is a new submission.
  var keys = typeof WeakMap === 'function' ? new WeakMap() : null;

  function leadForm(target) {
    return target && target.closest ? target.closest('form[data-lead-form]') : null;
  }

  // Listening on the document serves forms added after the script ran too.
  document.addEventListener('input', function (event) {
    var form = leadForm(event.target);
    if (form && keys) keys.delete(form);
  });

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.matches || !form.matches('form[data-lead-form]') || event.defaultPrevented) return;
    var target = form.getAttribute('action') ? form.action : endpoint;
    if (!target || typeof fetch !== 'function' || !keys) return; // the browser posts the form itself
    event.preventDefault();
    if (form.getAttribute('data-lead-state') === 'sending') return;
    var key = keys.get(form) || (window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
    keys.set(form, key);
    var place = result(form);
    var buttons = form.querySelectorAll('button, input[type=submit]');
    form.setAttribute('data-lead-state', 'sending');
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    place.textContent = 'Sending…';
    // _redirect is for the browser's own post, when scripts are off; with them the result shows in place.
    var redirect = form.getAttribute('data-redirect');
    fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, 'Accept': 'application/json' },
      body: JSON.stringify(body(form)),
      credentials: 'omit',
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (response.ok) {
          form.setAttribute('data-lead-state', 'sent');
          form.setAttribute('data-lead-id', data && data.id || '');
          mark(form, null);
          place.textContent = form.getAttribute('data-success') || 'Thank you: we have your details and will be in touch.';
          keys.delete(form);
          form.reset();
          if (redirect) window.location.assign(redirect);
          return;
        }
        form.setAttribute('data-lead-state', 'error');
        mark(form, data && data.errors);
        place.textContent = problemText(response.status, data, response);
      });
    }).catch(function () {
      form.setAttribute('data-lead-state', 'error');
      place.textContent = 'The form could not be sent: check your connection and try again.';
    }).then(function () {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
    });
  });
})();
