import { api, isFinal, watch } from './api.js';
import { showError } from './banner.js';
import { h, progressBar, replace, when } from './dom.js';
import { every } from './live.js';

// A browser opens at most six HTTP/1.1 connections to a host; leave room for the API calls.
const MaxStreams = 4;

// The tenant's productions, newest first; unfinished ones follow their progress over SSE.
export function productionsPage(el) {
  const body = h('div');
  el.append(h('h2', {}, 'Productions'), body);
  const streams = new Map();
  const rows = new Map();

  const row = p => h('tr', { 'data-production': p.id },
    h('td', {}, h('a', { href: `#/productions/${encodeURIComponent(p.id)}` }, p.displayName || p.id)),
    h('td', { class: `state state-${p.state}` }, p.state),
    h('td', { class: 'progress-cell' }, progressBar(p.progress, p.stage)),
    h('td', {}, p.priority ?? ''),
    h('td', {}, when(p.createTime)),
    h('td', { class: 'muted' }, p.error?.message ?? ''));

  const update = p => {
    const old = rows.get(p.id);
    const fresh = row(p);
    rows.set(p.id, fresh);
    old?.replaceWith(fresh);
  };

  const stopAll = every(5000, async () => {
    const page = await api('GET', '/v1/productions?pageSize=50');
    const list = page.productions ?? [];
    rows.clear();
    replace(body, list.length === 0 ? h('p', { class: 'muted' }, 'No productions yet: submit one.') :
      h('table', { id: 'productions-table' },
        h('thead', {}, h('tr', {}, ['name', 'state', 'progress', 'priority', 'created', ''].map(c => h('th', {}, c)))),
        h('tbody', {}, list.map(p => { const r = row(p); rows.set(p.id, r); return r; }))));
    for (const p of list) {
      if (!isFinal(p.state) && !streams.has(p.id) && streams.size < MaxStreams) {
        streams.set(p.id, watch(p.id, ev => {
          update(ev.production);
          if (isFinal(ev.production.state)) streams.delete(p.id);
        }, e => { streams.delete(p.id); showError(e); }));
      }
    }
  });

  return () => { stopAll(); for (const stop of streams.values()) stop(); };
}
