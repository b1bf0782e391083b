import { api } from './api.js';
import { h, replace } from './dom.js';
import { every } from './live.js';

// Waiting productions by tenant and priority (admin scope), refreshed every few seconds.
export function queuePage(el) {
  const body = h('div');
  el.append(h('h2', {}, 'Queue'), body);
  return every(3000, async () => {
    const queue = await api('GET', '/v1/queue');
    const waiting = queue.waiting ?? [];
    const byTenant = new Map();
    for (const q of waiting) {
      const row = byTenant.get(q.tenant) ?? { high: 0, normal: 0, low: 0, unknown: 0 };
      row[q.priority] = (row[q.priority] ?? 0) + Number(q.count);
      byTenant.set(q.tenant, row);
    }
    const total = waiting.reduce((n, q) => n + Number(q.count), 0);
    replace(body,
      h('div', { class: 'cards' },
        h('div', { class: 'card' }, h('b', { id: 'queue-waiting' }, total), 'waiting'),
        h('div', { class: 'card' }, h('b', { id: 'queue-running' }, queue.running ?? 0), 'running'),
        h('div', { class: 'card' }, h('b', {}, queue.delayed ?? 0), 'retrying after backoff')),
      h('h3', {}, 'By tenant and priority'),
      byTenant.size === 0 ? h('p', { class: 'muted' }, 'Nothing is waiting.') :
        h('table', { id: 'queue-table' },
          h('thead', {}, h('tr', {}, ['tenant', 'high', 'normal', 'low', 'unknown'].map(c => h('th', {}, c)))),
          h('tbody', {}, [...byTenant].map(([tenant, p]) =>
            h('tr', {}, h('td', {}, tenant), h('td', {}, p.high), h('td', {}, p.normal), h('td', {}, p.low), h('td', {}, p.unknown))))),
      waiting.length === 0 ? null : h('details', {},
        h('summary', {}, 'By placement class'),
        h('table', {},
          h('thead', {}, h('tr', {}, ['tenant', 'priority', 'placement class', 'waiting'].map(c => h('th', {}, c)))),
          h('tbody', {}, waiting.map(q => h('tr', {}, h('td', {}, q.tenant), h('td', {}, q.priority), h('td', {}, q.placementClass), h('td', {}, q.count)))))));
  });
}
