import { api, isFinal, watch } from './api.js';
import { showError } from './banner.js';
import { bytes, h, progressBar, replace, safeUrl, seconds, when } from './dom.js';

function player(url, contentType, poster, id) {
  const src = safeUrl(url);
  if (!src) return null;
  const video = h('video', { controls: true, muted: true, playsInline: true, preload: 'metadata', id, src });
  const posterUrl = poster && safeUrl(poster);
  if (posterUrl) video.poster = posterUrl;
  const playable = !contentType || video.canPlayType(contentType) !== '';
  return h('div', {},
    playable ? video : h('p', { class: 'muted' }, `This browser cannot play ${contentType}; download it instead.`),
    h('a', { href: src, download: '' }, 'Download'));
}

function details(el, p) {
  const r = p.result;
  replace(el,
    h('h2', {}, p.displayName || p.id),
    h('dl', {},
      h('dt', {}, 'id'), h('dd', {}, p.id),
      h('dt', {}, 'state'), h('dd', { id: 'production-state', class: `state-${p.state}` }, p.state),
      h('dt', {}, 'progress'), h('dd', { id: 'production-progress' }, progressBar(p.progress, p.stage)),
      h('dt', {}, 'priority'), h('dd', {}, p.priority ?? ''),
      h('dt', {}, 'node'), h('dd', {}, p.nodeId ?? ''),
      h('dt', {}, 'attempts'), h('dd', {}, p.attempts ?? 0),
      h('dt', {}, 'created'), h('dd', {}, when(p.createTime)),
      h('dt', {}, 'ended'), h('dd', {}, when(p.endTime)),
      p.error ? [h('dt', {}, 'error'), h('dd', { class: 'state-FAILED' }, `${p.error.code}: ${p.error.message}`)] : null),
    isFinal(p.state) ? null : h('button', {
      type: 'button', onclick: async () => { try { await api('POST', `/v1/productions/${encodeURIComponent(p.id)}:cancel`, {}); } catch (e) { showError(e); } },
    }, 'Cancel'),
    r?.url ? h('section', { class: 'box' },
      h('h3', {}, 'Output'),
      h('p', { class: 'muted' }, `${r.width}×${r.height}, ${seconds(r.duration)}, ${bytes(r.sizeBytes)}, ${r.contentType}`),
      player(r.url, r.contentType, r.posterUrl, 'output-video')) : null,
    (r?.renditions ?? []).length === 0 ? null : h('section', { class: 'box' },
      h('h3', {}, 'Renditions'),
      r.renditions.map(x => h('div', { class: 'rendition' },
        h('h4', {}, `${x.name}: ${x.width}×${x.height}, ${bytes(x.sizeBytes)}`),
        player(x.url, x.contentType, null, null)))),
    (r?.stills ?? []).length === 0 ? null : h('section', { class: 'box' },
      h('h3', {}, 'Stills'),
      h('div', { class: 'frames' }, r.stills.map(s => h('figure', {}, h('img', { src: safeUrl(s.url), alt: `still at ${seconds(s.time)}` }), h('figcaption', {}, seconds(s.time)))))));
}

// One production: its state and progress live over SSE, then its output and renditions in players.
export function productionPage(el, id) {
  let stop = null;
  let left = false;
  (async () => {
    const p = await api('GET', `/v1/productions/${encodeURIComponent(id)}`);
    if (left) return;
    details(el, p);
    if (!isFinal(p.state)) {
      stop = watch(id, async ev => {
        const state = ev.production.state;
        if (isFinal(state)) {
          // The final event's production has the result; read it fresh for URLs minted now.
          details(el, await api('GET', `/v1/productions/${encodeURIComponent(id)}`));
        } else {
          replace(document.getElementById('production-state'), state);
          replace(document.getElementById('production-progress'), progressBar(ev.production.progress, ev.production.stage));
        }
      }, showError);
    }
  })().catch(showError);
  return () => { left = true; stop?.(); };
}
