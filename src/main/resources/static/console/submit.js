// Submit a job (#/submit lists the types, #/submit/<type> is its form). The form is built from the type's
// parameter schema in GET /api/jobs/types: required fields, defaults, enums as selects, descriptions as
// hints, minimum and maximum. The API validates again; its 400 names the field, and the message goes there.

import { json, postJson } from './api.js';
import { el } from './dom.js';
import { go } from './app.js';

export async function render(main, route) {
  const message = el('p', { class: 'error', role: 'alert', id: 'submit-error' });
  window.scrollTo(0, 0);
  main.append(el('h1', {}, 'Submit a job'), message);
  let types;
  try {
    types = (await json('/api/jobs/types')).job_types || [];
  } catch (error) {
    message.textContent = `Could not load the job types: ${error.message}`;
    return null;
  }
  const wanted = route.path[0];
  const type = types.find((candidate) => candidate.job_type === wanted);
  if (!wanted || !type) {
    if (wanted) {
      message.textContent = `There is no job type ${wanted}.`;
    }
    main.append(el('p', {}, 'Choose the kind of job:'),
      el('ul', { class: 'job-types' }, types.map((candidate) => el('li', {},
        el('a', { href: `#/submit/${encodeURIComponent(candidate.job_type)}` }, candidate.job_type),
        candidate.description ? el('span', { class: 'muted' }, ` - ${candidate.description}`) : null))));
    return null;
  }
  main.querySelector('h1').textContent = `Submit ${type.job_type}`;
  main.append(
    el('p', {}, el('a', { href: '#/submit' }, 'Other job types')),
    type.description ? el('p', { class: 'muted' }, type.description) : null,
    type.stages && type.stages.length
      ? el('p', { class: 'muted' }, `Stages: ${type.stages.map((stage, index) => `${index + 1}. ${stage.name}`).join(', ')}`)
      : null,
    buildForm(type, message));
  return null;
}

function fieldId(name) {
  return `param-${name}`;
}

function buildForm(type, topMessage) {
  const schema = type.parameters || {};
  const properties = schema.properties || {};
  const required = new Set(schema.required || []);
  const fields = Object.entries(properties).map(([name, property]) => field(name, property, required.has(name)));
  const submitButton = el('button', { type: 'submit', class: 'primary', id: 'submit-button' }, `Submit ${type.job_type}`);
  const form = el('form', { id: 'submit-form', novalidate: true, 'data-job-type': type.job_type },
    fields.length ? fields.map((entry) => entry.node) : el('p', { class: 'muted' }, 'This job type takes no parameters.'),
    el('div', { class: 'actions' }, submitButton));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    topMessage.textContent = '';
    for (const entry of fields) {
      entry.clearError();
    }
    const parameters = {};
    for (const entry of fields) {
      const problem = entry.collect(parameters);
      if (problem) {
        entry.showError(problem);
        entry.focus();
        return;
      }
    }
    submitButton.disabled = true;
    try {
      const answer = await postJson(`/api/jobs/submit/${encodeURIComponent(type.job_type)}`, parameters);
      go(`#/jobs/${encodeURIComponent(answer.job_id)}`);
    } catch (error) {
      const target = error.status === 400 && error.field && fields.find((entry) => entry.name === error.field);
      if (target) {
        target.showError(error.message);
        target.focus();
      } else {
        topMessage.textContent = error.message;
        topMessage.scrollIntoView({ block: 'nearest' });
      }
    } finally {
      submitButton.disabled = false;
    }
  });
  return form;
}

/**
 * One parameter's label, input, hint and error line. collect() puts the value into parameters and returns
 * a problem in words, or null; an empty optional field is left out, so the API applies its default.
 */
function field(name, property, isRequired) {
  const id = fieldId(name);
  const type = property.type;
  const hintParts = [];
  if (property.description) hintParts.push(property.description);
  if (property.minimum !== undefined && property.minimum !== null && property.maximum !== undefined && property.maximum !== null) {
    hintParts.push(`from ${property.minimum} to ${property.maximum}`);
  }
  if (property.default !== undefined && type !== 'boolean') {
    hintParts.push(`default ${Array.isArray(property.default) ? property.default.join(', ') || 'none' : property.default}`);
  }
  if (type === 'array') hintParts.push('one per line');
  const hint = el('p', { class: 'hint', id: `${id}-hint` }, hintParts.join('; '));
  const error = el('p', { class: 'error', id: `${id}-error`, role: 'alert', hidden: true });
  const describedBy = `${id}-hint ${id}-error`;
  let input;
  if (Array.isArray(property.enum)) {
    input = el('select', { id, name, 'aria-describedby': describedBy },
      isRequired ? null : el('option', { value: '' }, property.default !== undefined ? `default (${property.default})` : 'not set'),
      property.enum.map((choice) => el('option', { value: String(choice), selected: isRequired && choice === property.default }, String(choice))));
  } else if (type === 'boolean') {
    input = el('select', { id, name, 'aria-describedby': describedBy },
      el('option', { value: '' }, property.default !== undefined ? `default (${property.default ? 'yes' : 'no'})` : 'not set'),
      el('option', { value: 'true' }, 'yes'), el('option', { value: 'false' }, 'no'));
  } else if (type === 'integer' || type === 'number') {
    input = el('input', { id, name, type: 'number', inputmode: type === 'integer' ? 'numeric' : 'decimal',
      step: type === 'integer' ? '1' : 'any', min: property.minimum, max: property.maximum,
      placeholder: property.default !== undefined ? String(property.default) : null,
      required: isRequired, 'aria-describedby': describedBy });
  } else if (type === 'array') {
    input = el('textarea', { id, name, rows: 3, 'aria-describedby': describedBy, required: isRequired });
  } else {
    input = el('input', { id, name, type: 'text', maxlength: property.maxLength,
      placeholder: property.default !== undefined ? String(property.default) : null,
      required: isRequired, 'aria-describedby': describedBy });
  }
  const node = el('div', { class: 'field', 'data-field': name },
    el('label', { for: id }, name, isRequired ? ' (required)' : ''), input, hint, error);

  return {
    name,
    node,
    focus: () => input.focus(),
    clearError() {
      error.hidden = true;
      error.textContent = '';
      node.removeAttribute('data-invalid');
      input.removeAttribute('aria-invalid');
    },
    showError(text) {
      error.hidden = false;
      error.textContent = text;
      node.setAttribute('data-invalid', '');
      input.setAttribute('aria-invalid', 'true');
    },
    collect(parameters) {
      const raw = input.value.trim();
      if (raw === '') {
        return isRequired ? `${name} is required` : null;
      }
      if (Array.isArray(property.enum) && type !== 'boolean') {
        const choice = property.enum.find((candidate) => String(candidate) === raw);
        parameters[name] = choice === undefined ? raw : choice;
      } else if (type === 'boolean') {
        parameters[name] = raw === 'true';
      } else if (type === 'integer' || type === 'number') {
        // The raw text goes as a number when it is one; otherwise as typed, so the API's own message
        // (which names the field and its rule) is what the user reads.
        const number = Number(raw);
        parameters[name] = Number.isFinite(number) ? number : raw;
      } else if (type === 'array') {
        parameters[name] = raw.split('\n').map((line) => line.trim()).filter(Boolean);
      } else {
        parameters[name] = input.value;
      }
      return null;
    },
  };
}

