// Editing a version's parameters as a new version: one field per parameter (numbers, texts, choices, JSON for
// lists and objects), a note saying what changed and why. The server checks the parameters against the
// model's kind and answers with the fields it refuses.
import { errorBox, h, labelled } from './dom.js';

const CHOICES = {
  direction: ['up', 'down', 'both'],
  shape: ['linear', 'exponential'],
  method: ['ewma', 'cusum'],
  estimator: ['level', 'trend'],
};

function field(key, value) {
  if (typeof value === 'number')
    return h('input', {
      type: 'number',
      step: 'any',
      name: key,
      value: String(value),
      'data-param': key,
      'data-type': 'number',
    });
  if (typeof value === 'boolean')
    return h('input', {
      type: 'checkbox',
      name: key,
      checked: value,
      'data-param': key,
      'data-type': 'boolean',
    });
  if (typeof value === 'string' && CHOICES[key])
    return h(
      'select',
      { class: 'select', name: key, 'data-param': key, 'data-type': 'string' },
      CHOICES[key].map((c) => h('option', { value: c, selected: c === value }, c)),
    );
  if (typeof value === 'string')
    return h('input', { type: 'text', name: key, value, 'data-param': key, 'data-type': 'string' });
  const text = JSON.stringify(value);
  return h(
    'textarea',
    { name: key, rows: text.length > 80 ? 4 : 1, 'data-param': key, 'data-type': 'json', class: 'json' },
    text,
  );
}

/** Reads the form back into parameters; throws on JSON that does not parse. */
function read(form) {
  const out = {};
  for (const el of form.querySelectorAll('[data-param]')) {
    const key = el.dataset.param;
    const type = el.dataset.type;
    if (type === 'number') {
      if (el.value.trim() === '') continue; // an emptied number is left out (optional)
      out[key] = Number(el.value);
    } else if (type === 'boolean') out[key] = el.checked;
    else if (type === 'json') {
      try {
        out[key] = JSON.parse(el.value);
      } catch {
        throw new Error(`${key}: not valid JSON`);
      }
    } else out[key] = el.value;
  }
  return out;
}

/**
 * The editor of version `v` of `model`; `submit({ params, note, basedOn })` saves it (and throws the API's error).
 */
export function paramsEditor(model, v, { submit, cancel }) {
  const error = h('div', { 'data-testid': 'editor-error' });
  const note = h('input', {
    type: 'text',
    name: 'note',
    placeholder: 'What changed, and why',
    'data-testid': 'editor-note',
  });
  const save = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'editor-save' },
    'Save as new version',
  );
  const entries = Object.entries(v.params ?? {});
  const form = h(
    'form',
    {
      class: 'params-editor',
      'data-testid': 'params-editor',
      onsubmit: async (e) => {
        e.preventDefault();
        error.replaceChildren();
        save.disabled = true;
        try {
          await submit({ params: read(form), note: note.value.trim() || undefined, basedOn: v.version });
        } catch (err) {
          error.replaceChildren(errorBox(err));
        } finally {
          save.disabled = false;
        }
      },
    },
    h('h4', {}, `Edit ${model.key} v${v.version} as a new version (${model.kind})`),
    h(
      'div',
      { class: 'param-grid' },
      entries.map(([k, value]) => labelled(k, field(k, value))),
    ),
    labelled('Note', note),
    error,
    h(
      'div',
      { class: 'form-row' },
      save,
      h('button', { type: 'button', class: 'btn btn-sm', onclick: cancel }, 'Cancel'),
    ),
  );
  return form;
}
