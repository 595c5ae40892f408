// The console's router: the part of the URL after '#' names a view (#/jobs, #/jobs/<id>, #/submit/<type>,
// #/upload, #/catalog), each a module whose render(main, route) fills <main> and returns what stops its
// refreshing when the user leaves.

import { changeKey } from './api.js';
import { el, fill } from './dom.js';

const VIEWS = {
  jobs: () => import('./jobs.js'),
  submit: () => import('./submit.js'),
  upload: () => import('./upload.js'),
  catalog: () => import('./catalog.js'),
};

let leave = null;
/** Counts navigations: a view that finishes loading after the user moved on is stopped, never shown. */
let navigations = 0;

/**
 * #/jobs/abc?status=failed -> {view: 'jobs', path: ['abc'], query: URLSearchParams}. Each segment is decoded
 * on its own (a %2F stays inside its segment); a malformed escape leaves the segment as written.
 */
export function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const cut = hash.indexOf('?');
  const pathPart = cut < 0 ? hash : hash.slice(0, cut);
  const queryPart = cut < 0 ? '' : hash.slice(cut + 1);
  const segments = pathPart.split('/').filter(Boolean).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch (malformed) {
      return segment;
    }
  });
  const view = VIEWS[segments[0]] ? segments[0] : 'jobs';
  return { view, path: segments.slice(1), query: new URLSearchParams(queryPart) };
}

/** Changes the route (and so the view) from code, as a link would. */
export function go(hash) {
  location.hash = hash;
}

async function show() {
  const navigation = ++navigations;
  if (leave) {
    leave();
    leave = null;
  }
  const route = currentRoute();
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === route.view) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  // Each navigation renders into a container of its own: a view still loading when the user moves on
  // writes into a detached node, and its refreshing is stopped as soon as it says how.
  const container = el('div', { class: 'view' });
  fill(document.getElementById('view'), container);
  try {
    const module = await VIEWS[route.view]();
    if (navigation !== navigations) {
      return;
    }
    const stop = (await module.render(container, route)) || null;
    if (navigation !== navigations) {
      if (stop) {
        stop();
      }
      return;
    }
    leave = stop;
  } catch (error) {
    if (navigation === navigations) {
      fill(container, el('h1', {}, 'Something went wrong'), el('p', { class: 'error', role: 'alert' },
        error.message));
    }
  }
}

// The skip link moves the focus to the page's content; as a plain #view link it would change the route.
document.querySelector('a.skip').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('view').focus();
});
document.getElementById('key-button').addEventListener('click', () => changeKey().then(show));
document.getElementById('key-button').hidden = !sessionStorage.getItem('geoetl.apiKey');
window.addEventListener('hashchange', show);
show();
