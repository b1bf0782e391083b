// Builds DOM nodes. Text always goes in as text nodes and attributes through setAttribute, never
// through innerHTML, so a display name, error message or canvas text is shown, never run.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// Only http(s) URLs (and same-origin paths) become links or media sources: never javascript: or data:.
export function safeUrl(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export function progressBar(fraction, label) {
  const pct = Math.round(Math.max(0, Math.min(1, fraction ?? 0)) * 100);
  // CSSOM, not a style attribute: the policy allows no inline styles.
  const fill = h('span');
  fill.style.width = `${pct}%`;
  return h('span', { class: 'progress-wrap' },
    h('span', { class: 'progress', role: 'progressbar', 'aria-valuenow': pct, 'aria-valuemin': 0, 'aria-valuemax': 100 }, fill),
    ' ', h('span', { class: 'pct', 'data-pct': pct }, `${pct} %`), label ? h('span', { class: 'muted' }, ` ${label}`) : null);
}

export function when(timestamp) {
  return timestamp ? new Date(timestamp).toLocaleString() : '';
}

export function bytes(n) {
  const v = Number(n ?? 0);
  if (v >= 1 << 30) return `${(v / (1 << 30)).toFixed(1)} GiB`;
  if (v >= 1 << 20) return `${(v / (1 << 20)).toFixed(1)} MiB`;
  if (v >= 1 << 10) return `${(v / (1 << 10)).toFixed(1)} KiB`;
  return `${v} B`;
}

export function seconds(t) {
  return `${Number(t ?? 0).toFixed(2).replace(/\.?0+$/, '')} s`;
}
