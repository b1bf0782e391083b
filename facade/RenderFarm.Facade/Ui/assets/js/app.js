import { api, session } from './api.js';
import { showError, whenUnauthorized } from './banner.js';
import { productionsPage } from './productions.js';
import { productionPage } from './production.js';
import { submitPage } from './submit.js';
import { queuePage } from './queue.js';
import { nodesPage } from './nodes.js';

const $ = id => document.getElementById(id);
let leave = null;

function signOut(clearBanner = true) {
  session.key = null;
  leave?.();
  leave = null;
  $('page').replaceChildren();
  $('tabs').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('sign-in').hidden = false;
  if (clearBanner) showError(null);
}

async function signIn(key) {
  session.key = key;
  try {
    const usage = await api('GET', '/v1/usage');
    $('who').textContent = `tenant ${usage.tenant}`;
  } catch (e) {
    session.key = null;
    showError(e);
    return false;
  }

  showError(null);
  $('sign-in').hidden = true;
  $('tabs').hidden = false;
  $('sign-out').hidden = false;
  return true;
}

const routes = [
  [/^#\/productions\/([0-9A-Za-z_-]+)$/, 'productions', (el, m) => productionPage(el, m[1])],
  [/^#\/productions$/, 'productions', el => productionsPage(el)],
  [/^#\/submit$/, 'submit', el => submitPage(el)],
  [/^#\/queue$/, 'queue', el => queuePage(el)],
  [/^#\/nodes$/, 'nodes', el => nodesPage(el)],
];

function route() {
  if (!session.key) return;
  leave?.();
  leave = null;
  showError(null);
  const hash = location.hash || '#/productions';
  const [re, tab, render] = routes.find(([r]) => r.test(hash)) ?? routes[1];
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.tab === tab);
  const page = $('page');
  page.replaceChildren();
  page.dataset.page = tab;
  // A page returns what stops its timers and streams when it is left.
  leave = render(page, hash.match(re) ?? []) ?? null;
}

whenUnauthorized(() => signOut(false));
window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', e => showError(e.reason));
$('sign-in').addEventListener('submit', async e => {
  e.preventDefault();
  if (await signIn($('api-key').value.trim())) {
    $('api-key').value = '';
    route();
  }
});
$('sign-out').addEventListener('click', () => signOut());

if (session.key && await signIn(session.key)) route();
else $('sign-in').hidden = false;
