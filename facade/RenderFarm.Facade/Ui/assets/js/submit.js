import { api } from './api.js';
import { showError } from './banner.js';
import { h, replace, safeUrl, seconds } from './dom.js';

const Priorities = ['NORMAL', 'HIGH', 'LOW'];

function parseBody(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`The canvas is not valid JSON: ${e.message}`);
  }
}

// A canvas file is either {"canvas": …, "output": …} or a bare canvas.
function request(text) {
  const body = parseBody(text);
  return body && typeof body === 'object' && 'canvas' in body ? body : { canvas: body };
}

function planView(plan) {
  const preview = plan.preview ?? {};
  const frames = preview.frames ?? [];
  return h('div', { id: 'plan' },
    h('h3', {}, 'Plan'),
    h('p', {}, `${plan.estimate?.duration ?? 0} s, ${plan.estimate?.frames ?? 0} frames, about ${Number(plan.estimate?.renderSeconds ?? 0).toFixed(1)} s to render`),
    (plan.warnings ?? []).length === 0 ? h('p', { class: 'muted' }, 'No warnings.') :
      h('ul', { class: 'warnings' }, plan.warnings.map(w => h('li', {}, `${w.code} at ${w.path}: ${w.message}`))),
    h('p', { class: 'muted' }, `Preview: ${preview.state ?? 'none'}${preview.errorMessage ? ` (${preview.errorMessage})` : ''}`),
    h('div', { class: 'frames' }, frames.map(f => h('figure', {},
      h('img', { src: safeUrl(f.url), alt: `preview at ${seconds(f.time)}` }), h('figcaption', {}, seconds(f.time))))));
}

async function waitForPreviews(plan, show) {
  for (let i = 0; i < 60 && plan.preview?.state === 'PENDING'; i++) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    plan = await api('GET', `/v1/plans/${encodeURIComponent(plan.id)}`);
    show(plan);
  }
  return plan;
}

function canvasForm() {
  const text = h('textarea', { id: 'canvas-json', spellcheck: 'false', 'aria-label': 'canvas JSON' });
  const name = h('input', { id: 'display-name', value: 'dashboard' });
  const priority = h('select', { id: 'priority' }, Priorities.map(p => h('option', {}, p)));
  const planOut = h('div');
  let plan = null;
  fetch('sample-canvas.json').then(r => r.text()).then(t => { if (!text.value) text.value = t; }).catch(showError);

  const create = async (path, body) => {
    const production = await api('POST', path, { ...body, displayName: name.value, priority: priority.value });
    location.hash = `#/productions/${encodeURIComponent(production.id)}`;
  };
  const guarded = fn => async e => { e.preventDefault(); showError(null); try { await fn(); } catch (err) { showError(err); } };

  return h('form', { class: 'box', id: 'canvas-form', onsubmit: guarded(() => create('/v1/productions', request(text.value))) },
    h('h3', {}, 'Canvas'),
    h('p', { class: 'muted' }, 'A canvas as JSON (optionally with "output"). The sample renders with no media of its own.'),
    text,
    h('label', {}, 'Display name ', name),
    h('label', {}, 'Priority ', priority),
    h('button', { type: 'button', id: 'plan-button', onclick: guarded(async () => {
      const show = p => replace(planOut, planView(p));
      plan = await api('POST', '/v1/plans', request(text.value));
      show(plan);
      plan = await waitForPreviews(plan, show);
    }) }, 'Plan'), ' ',
    h('button', { type: 'submit', id: 'render-button' }, 'Render'), ' ',
    h('button', { type: 'button', id: 'render-plan-button', onclick: guarded(async () => {
      if (!plan) throw new Error('Plan the canvas first.');
      await create(`/v1/plans/${encodeURIComponent(plan.id)}:render`, { fingerprint: plan.fingerprint });
    }) }, 'Render the plan'),
    planOut);
}

function fieldInput(field) {
  const type = { NUMBER: 'number', URL: 'url' }[field.type] ?? 'text';
  const input = h('input', { name: field.name, type, required: field.required, 'data-field-type': field.type });
  if (type === 'number') input.step = 'any';
  if (field.default !== undefined && field.default !== null) input.value = String(field.default);
  return h('label', {}, `${field.name}${field.required ? ' *' : ''} `, input, field.description ? h('span', { class: 'muted' }, ` ${field.description}`) : null);
}

function templateForm() {
  const select = h('select', { id: 'template' }, h('option', { value: '' }, 'Choose a template'));
  const fields = h('div', { id: 'template-fields' });
  let template = null;
  api('GET', '/v1/templates?pageSize=100')
    .then(page => select.append(...(page.templates ?? []).map(t => h('option', { value: t.id }, t.displayName || t.id))))
    .catch(showError);
  select.addEventListener('change', async () => {
    template = null;
    fields.replaceChildren();
    if (!select.value) return;
    try {
      template = await api('GET', `/v1/templates/${encodeURIComponent(select.value)}`);
      replace(fields, template.description ? h('p', { class: 'muted' }, template.description) : null, (template.fields ?? []).map(fieldInput));
    } catch (e) {
      showError(e);
    }
  });

  return h('form', { class: 'box', id: 'template-form', onsubmit: async e => {
    e.preventDefault();
    showError(null);
    try {
      if (!template) throw new Error('Choose a template.');
      const merge = {};
      for (const input of fields.querySelectorAll('input')) {
        if (input.value === '') continue;
        merge[input.name] = input.dataset.fieldType === 'NUMBER' ? Number(input.value) : input.value;
      }
      const production = await api('POST', `/v1/templates/${encodeURIComponent(template.id)}:render`, { merge, displayName: template.displayName ?? '' });
      location.hash = `#/productions/${encodeURIComponent(production.id)}`;
    } catch (err) {
      showError(err);
    }
  } },
    h('h3', {}, 'Template'),
    h('label', {}, 'Template ', select),
    fields,
    h('button', { type: 'submit', id: 'render-template-button' }, 'Render the template'));
}

// Submits a canvas (plan first for warnings and preview frames, or render at once) or a template.
export function submitPage(el) {
  el.append(h('h2', {}, 'Submit'), canvasForm(), templateForm());
  return null;
}
