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

/** #/jobs/abc?status=failed -> {view: 'jobs', path: ['abc'], query: URLSearchParams}. */
export function currentRoute() {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [pathPart, queryPart] = hash.split('?', 2);
  const segments = pathPart.split('/').filter(Boolean);
  const view = VIEWS[segments[0]] ? segments[0] : 'jobs';
  return { view, path: segments.slice(1), query: new URLSearchParams(queryPart || '') };
}

/** Changes the route (and so the view) from code, as a link would. */
export function go(hash) {
  location.hash = hash;
}

async function show() {
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
  const main = document.getElementById('view');
  try {
    const module = await VIEWS[route.view]();
    main.replaceChildren();
    leave = (await module.render(main, route)) || null;
  } catch (error) {
    fill(main, el('h1', {}, 'Something went wrong'), el('p', { class: 'error', role: 'alert' }, error.message));
  }
}

document.getElementById('key-button').addEventListener('click', () => changeKey().then(show));
document.getElementById('key-button').hidden = !sessionStorage.getItem('geoetl.apiKey');
window.addEventListener('hashchange', show);
show();
