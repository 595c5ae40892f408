// The OGC API Features layer: the features of one loaded table inside the map's view, fetched again
// (debounced) when the view moves, at most LIMIT at a time. Popups show the properties as text.

/* global L */

import { json } from './api.js';
import { el } from './dom.js';

const LIMIT = 500;
const DEBOUNCE_MS = 400;

function popup(feature) {
  const rows = Object.entries(feature.properties || {}).map(([key, value]) =>
    el('tr', {}, el('th', {}, key), el('td', {}, value === null ? '' : typeof value === 'object'
      ? JSON.stringify(value) : String(value))));
  return el('div', { class: 'feature-popup' },
    el('strong', {}, `Feature ${feature.id === undefined ? '' : feature.id}`),
    rows.length ? el('table', {}, el('tbody', {}, rows)) : el('p', { class: 'muted' }, 'No properties.'));
}

/**
 * Shows collection `id` of the features endpoint in `group`, bounded by `map`'s view. report(text, isError)
 * says how many features are shown and whether the limit cut them off. Returns the function that stops it.
 */
export function showFeatures(map, group, id, report) {
  let timer = null;
  let generation = 0;
  let stopped = false;

  async function load() {
    const mine = ++generation;
    const bounds = map.getBounds();
    const clamp = (value, limit) => Math.max(-limit, Math.min(limit, value));
    const west = clamp(bounds.getWest(), 180);
    const east = clamp(bounds.getEast(), 180);
    const bbox = [west, clamp(bounds.getSouth(), 90), east, clamp(bounds.getNorth(), 90)]
      .map((v) => v.toFixed(6)).join(',');
    report('Loading features...', false);
    try {
      const page = await json(`/api/features/collections/${encodeURIComponent(id)}/items?bbox=${bbox}&limit=${LIMIT}`);
      if (stopped || mine !== generation) {
        return;
      }
      group.clearLayers();
      L.geoJSON(page, {
        style: { className: 'feature', color: '#9a3d00', weight: 1.5, fillOpacity: 0.2 },
        pointToLayer: (point, latlng) => L.circleMarker(latlng, { radius: 5, className: 'feature' }),
        onEachFeature: (feature, layer) => {
          layer.bindPopup(() => popup(feature));
          layer.on('add', () => {
            const element = layer.getElement && layer.getElement();
            if (element) {
              element.setAttribute('data-feature', `${id}/${feature.id}`);
            }
          });
        },
      }).addTo(group);
      const cut = (page.links || []).some((link) => link.rel === 'next');
      const count = (page.features || []).length;
      report(cut ? `Showing the first ${count} features in view; there are more here: zoom in to see them all.`
        : `${count} feature${count === 1 ? '' : 's'} of ${id} in view.`, false);
    } catch (error) {
      if (!stopped && mine === generation) {
        report(`Features could not be loaded: ${error.message}`, true);
      }
    }
  }

  const moved = () => {
    clearTimeout(timer);
    timer = setTimeout(load, DEBOUNCE_MS);
  };
  map.on('moveend', moved);
  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
    map.off('moveend', moved);
    group.clearLayers();
  };
}
