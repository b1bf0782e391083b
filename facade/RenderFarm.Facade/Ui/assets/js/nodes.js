import { api } from './api.js';
import { bytes, h, replace, when } from './dom.js';
import { every } from './live.js';

// The nodes every coordinator records (admin scope): state, slots in use, running jobs, capabilities.
export function nodesPage(el) {
  const body = h('div');
  el.append(h('h2', {}, 'Nodes'), body);
  return every(3000, async () => {
    const nodes = [];
    let pageToken = '';
    do {
      const page = await api('GET', `/v1/nodes?pageSize=100&pageToken=${encodeURIComponent(pageToken)}`);
      nodes.push(...(page.nodes ?? []));
      pageToken = page.nextPageToken ?? '';
    } while (pageToken);

    replace(body, nodes.length === 0 ? h('p', { class: 'muted' }, 'No node is connected.') :
      h('table', { id: 'nodes-table' },
        h('thead', {}, h('tr', {}, ['node', 'state', 'slots in use', 'current jobs', 'capabilities', 'labels', 'last heartbeat'].map(c => h('th', {}, c)))),
        h('tbody', {}, nodes.map(n => {
          const leases = n.runningLeases ?? [];
          const caps = n.capabilities ?? {};
          return h('tr', { 'data-node': n.id },
            h('td', {}, n.id, h('div', { class: 'muted' }, `${n.coordinatorId ?? ''} · v${n.version ?? '?'}`)),
            h('td', {}, n.state),
            h('td', {}, `${leases.length} / ${n.slots ?? 0}`),
            h('td', {}, leases.length === 0 ? h('span', { class: 'muted' }, 'idle') :
              leases.map(l => h('div', {}, h('a', { href: `#/productions/${encodeURIComponent(l.productionId)}` }, l.productionId)))),
            h('td', {},
              h('div', {}, `${caps.cpuCores ?? '?'} cores, ${bytes(caps.memoryBytes)}`),
              (caps.gpus ?? []).map(g => h('div', {}, `GPU ${g.name} (${bytes(g.memoryBytes)})`)),
              h('div', { class: 'muted' }, (caps.encoders ?? []).join(', '))),
            h('td', {}, Object.entries(n.labels ?? {}).map(([k, v]) => h('div', {}, `${k}=${v}`))),
            h('td', {}, when(n.lastHeartbeatTime)));
        }))));
  });
}
