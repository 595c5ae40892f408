// The catalog view (#/catalog, #/catalog/<collection>/<item>): a map with the STAC collections' footprints,
// item details with the thumbnail, a search by drawn box and time range, and the loaded vector tables
// through the OGC API Features endpoint.

import { json, postJson } from './api.js';
import { el, fill, when } from './dom.js';
import { boxDrawing, createMap, drawFootprints, highlight } from './catalog-map.js';
import { sameOriginPath, showItem } from './catalog-item.js';
import { showFeatures } from './catalog-features.js';

/** Most footprints drawn for one collection: more would make the map slow to draw and to use. */
const MAX_FOOTPRINTS = 2000;
const PAGE = 500;
const SEARCH_PAGE = 50;

function extentText(collection) {
  const box = collection.extent && collection.extent.spatial && collection.extent.spatial.bbox
    && collection.extent.spatial.bbox[0];
  const interval = collection.extent && collection.extent.temporal && collection.extent.temporal.interval
    && collection.extent.temporal.interval[0];
  const parts = [];
  if (Array.isArray(box) && box.length >= 4) {
    parts.push(`${box.slice(0, 4).map((v) => Number(v).toFixed(2)).join(', ')}`);
  }
  if (Array.isArray(interval) && (interval[0] || interval[1])) {
    parts.push(`${interval[0] ? when(interval[0]) : '..'} to ${interval[1] ? when(interval[1]) : '..'}`);
  }
  return parts.join('; ');
}

function field(id, label, input, hint) {
  return el('div', { class: 'field' }, el('label', { for: id }, label), input,
    hint ? el('p', { class: 'hint' }, hint) : null);
}

export async function render(main, route) {
  let config = {};
  try {
    const response = await fetch('/console/config.json');
    config = response.ok ? await response.json() : {};
  } catch (unavailable) {
    config = {};
  }

  const mapElement = el('div', { class: 'map catalog-map', id: 'catalog-map', role: 'region',
    'aria-label': 'Map of the catalog' });
  const mapStatus = el('p', { class: 'map-status muted', role: 'status', id: 'map-status' });
  const featuresStatus = el('p', { class: 'muted', role: 'status', id: 'features-status' });
  const collectionsList = el('ul', { class: 'plain collections', id: 'collections' },
    el('li', { class: 'muted' }, 'Loading collections...'));
  const itemsHeading = el('h2', { id: 'items-heading' }, 'Items');
  const itemsNote = el('p', { class: 'muted', id: 'items-note' }, 'Choose a collection or search.');
  const itemsList = el('ul', { class: 'plain items', id: 'items' });
  const moreButton = el('button', { type: 'button', id: 'more-results', hidden: true }, 'More results');
  const details = el('section', { class: 'item-details', id: 'item-details', 'aria-labelledby': 'item-title',
    hidden: true });

  // Search form.
  const bboxInputs = ['West', 'South', 'East', 'North'].map((name) => el('input', {
    id: `bbox-${name.toLowerCase()}`, type: 'number', step: 'any', min: name === 'West' || name === 'East' ? -180 : -90,
    max: name === 'West' || name === 'East' ? 180 : 90, inputmode: 'decimal', class: 'bbox' }));
  const drawButton = el('button', { type: 'button', id: 'draw-box' }, 'Draw a box');
  const clearBoxButton = el('button', { type: 'button', id: 'clear-box' }, 'Clear box');
  const fromInput = el('input', { type: 'date', id: 'search-from' });
  const toInput = el('input', { type: 'date', id: 'search-to' });
  const collectionFilter = el('select', { id: 'search-collection' }, el('option', { value: '' }, 'All collections'));
  const searchError = el('p', { class: 'error', role: 'alert', id: 'search-error' });
  const drawHint = el('p', { class: 'hint', id: 'draw-hint', hidden: true },
    'Drag on the map to draw the box; Escape cancels.');
  const searchForm = el('form', { id: 'search-form', novalidate: true },
    el('fieldset', { class: 'bbox-fields' }, el('legend', {}, 'Area (longitude, latitude in degrees)'),
      el('div', { class: 'bbox-grid' }, bboxInputs.map((input, index) =>
        field(input.id, ['West', 'South', 'East', 'North'][index], input)))),
    el('div', { class: 'actions' }, drawButton, clearBoxButton), drawHint,
    el('div', { class: 'row' }, field('search-from', 'From', fromInput), field('search-to', 'To', toInput)),
    field('search-collection', 'Collection', collectionFilter),
    searchError,
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', id: 'search-button' }, 'Search')));

  const featureSelect = el('select', { id: 'features-collection' }, el('option', { value: '' }, 'None'));

  fill(main,
    el('h1', {}, 'Catalog'),
    el('div', { class: 'split catalog' },
      el('div', { class: 'catalog-left' }, mapElement, mapStatus, details),
      el('div', { class: 'panel catalog-panel' },
        el('h2', {}, 'Collections'), collectionsList,
        el('details', { class: 'search', open: true }, el('summary', {}, el('h2', {}, 'Search')), searchForm),
        el('h2', {}, 'Vector tables'),
        field('features-collection', 'Show the features of', featureSelect,
          'Features inside the map view, refreshed when it moves.'),
        featuresStatus,
        itemsHeading, itemsNote, itemsList, moreButton)));

  const { map, footprints, features, box } = await createMap(mapElement, config);

  let stopFeatures = null;
  let releaseItem = null;
  // Only the newest choice counts: an item or a table chosen while an earlier one still loads replaces it.
  let itemOpenings = 0;
  let featureChoices = 0;
  // Set when the user leaves the view: nothing may start loading features afterwards.
  let left = false;
  let listing = 0; // which listing (collection or search) is current, so late pages of an older one are dropped
  let nextSearch = null;
  let shown = new Map(); // "collection/item" -> item of the current listing

  function itemKey(item) {
    return `${item.collection}/${item.id}`;
  }

  function addToList(items) {
    for (const item of items) {
      const key = itemKey(item);
      const datetime = item.properties && (item.properties.datetime || item.properties.start_datetime);
      itemsList.append(el('li', {},
        el('button', { type: 'button', class: 'item-button link', 'data-item': key, onclick: () => openItem(item) },
          item.id),
        el('span', { class: 'muted' }, ' ', item.collection, datetime ? ` - ${when(datetime)}` : '',
          item.geometry ? '' : ' - no footprint')));
      shown.set(key, item);
    }
  }

  function startListing(heading, note) {
    listing += 1;
    footprints.clearLayers();
    fill(itemsList);
    shown = new Map();
    nextSearch = null;
    moreButton.hidden = true;
    itemsHeading.textContent = heading;
    itemsNote.textContent = note;
    return listing;
  }

  function fitTo(group) {
    const bounds = group.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [60, 60], maxZoom: 12, animate: false });
    }
  }

  async function openItem(item) {
    await openItemById(item.collection, item.id);
  }

  async function openItemById(collectionId, itemId) {
    const key = `${collectionId}/${itemId}`;
    // The address changes without a hashchange (which would draw the view again), so it can be shared.
    history.replaceState(null, '',
      `#/catalog/${encodeURIComponent(collectionId)}/${encodeURIComponent(itemId)}`);
    highlight(footprints, key);
    for (const button of itemsList.querySelectorAll('button[data-item]')) {
      button.classList.toggle('selected', button.getAttribute('data-item') === key);
    }
    if (releaseItem) {
      releaseItem();
      releaseItem = null;
    }
    const opening = ++itemOpenings;
    details.hidden = false;
    // Each item renders into a node of its own, so an earlier item answering late writes into a detached one.
    const panel = el('div');
    fill(details, panel);
    const release = await showItem(panel, collectionId, itemId, closeItem);
    if (opening !== itemOpenings || left) {
      release();
      return;
    }
    releaseItem = release;
  }

  function closeItem() {
    if (releaseItem) {
      releaseItem();
      releaseItem = null;
    }
    details.hidden = true;
    fill(details);
    highlight(footprints, null);
    history.replaceState(null, '', '#/catalog');
  }

  async function showCollection(collection) {
    const mine = startListing(`Items in ${collection.title || collection.id}`, 'Loading items...');
    for (const button of collectionsList.querySelectorAll('button[data-collection]')) {
      button.setAttribute('aria-pressed', String(button.dataset.collection === collection.id));
    }
    let path = `/api/stac/collections/${encodeURIComponent(collection.id)}/items?limit=${PAGE}`;
    let count = 0;
    let drawn = 0;
    let withoutGeometry = 0;
    let cut = false;
    try {
      while (path) {
        const page = await json(path);
        if (mine !== listing) {
          return;
        }
        const items = (page.features || []).slice(0, MAX_FOOTPRINTS - count);
        addToList(items);
        drawn += drawFootprints(footprints, items, openItem);
        withoutGeometry += items.filter((item) => !item.geometry).length;
        count += items.length;
        const next = (page.links || []).find((link) => link.rel === 'next');
        if (next && count >= MAX_FOOTPRINTS) {
          cut = true;
          break;
        }
        path = next ? sameOriginPath(next.href) : null;
      }
    } catch (error) {
      itemsNote.textContent = `The items could not be loaded: ${error.message}`;
      itemsNote.className = 'error';
      return;
    }
    itemsNote.className = 'muted';
    itemsNote.textContent = [
      `${count} item${count === 1 ? '' : 's'}${cut ? ` (the first ${MAX_FOOTPRINTS}; the collection has more - search to narrow it down)` : ''}`,
      `${drawn} drawn on the map`,
      withoutGeometry ? `${withoutGeometry} without a footprint (listed, not drawn)` : null,
    ].filter(Boolean).join(', ') + '.';
    mapStatus.textContent = `${collection.title || collection.id}: ${drawn} footprint${drawn === 1 ? '' : 's'}`
      + (cut ? `, capped at ${MAX_FOOTPRINTS}` : '') + '.';
    fitTo(footprints);
  }

  // Collections.
  async function loadCollections() {
    let answer;
    try {
      answer = await json('/api/stac/collections');
    } catch (error) {
      fill(collectionsList, el('li', { class: 'error' }, `The collections could not be loaded: ${error.message}`));
      return [];
    }
    const collections = answer.collections || [];
    if (!collections.length) {
      fill(collectionsList, el('li', { class: 'muted' }, 'The catalog is empty: process a raster or a vector file first.'));
    } else {
      fill(collectionsList, collections.map((collection) => el('li', {},
        el('button', { type: 'button', class: 'collection-button', 'data-collection': collection.id,
          'aria-pressed': 'false', onclick: () => showCollection(collection) }, collection.title || collection.id),
        collection.description && collection.description !== collection.title
          ? el('div', { class: 'muted' }, collection.description) : null,
        extentText(collection) ? el('div', { class: 'muted small' }, extentText(collection)) : null)));
    }
    for (const collection of collections) {
      collectionFilter.append(el('option', { value: collection.id }, collection.title || collection.id));
    }
    return collections;
  }

  async function loadFeatureCollections() {
    try {
      const answer = await json('/api/features/collections');
      for (const collection of answer.collections || []) {
        featureSelect.append(el('option', { value: collection.id }, collection.title || collection.id));
      }
    } catch (error) {
      featuresStatus.textContent = `The vector tables could not be listed: ${error.message}`;
      featuresStatus.className = 'error';
    }
  }

  featureSelect.addEventListener('change', () => {
    if (stopFeatures) {
      stopFeatures();
      stopFeatures = null;
    }
    featuresStatus.textContent = '';
    const id = featureSelect.value;
    const choice = ++featureChoices;
    if (id) {
      const zoomed = fetchExtentAndZoom(id);
      zoomed.finally(() => {
        if (choice === featureChoices && !left && featureSelect.value === id) {
          stopFeatures = showFeatures(map, features, id, (message, isError) => {
            featuresStatus.textContent = message;
            featuresStatus.className = isError ? 'error' : 'muted';
          });
        }
      });
    }
  });

  /** Moves the map to a features collection's extent first, so its features are in view. */
  async function fetchExtentAndZoom(id) {
    try {
      const collection = await json(`/api/features/collections/${encodeURIComponent(id)}`);
      const bbox = collection.extent && collection.extent.spatial && collection.extent.spatial.bbox
        && collection.extent.spatial.bbox[0];
      if (Array.isArray(bbox) && bbox.length >= 4) {
        map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { padding: [20, 20], maxZoom: 14, animate: false });
      }
    } catch (error) {
      console.warn('no extent for', id, error);
    }
  }

  // Search.
  function bboxValue() {
    const values = bboxInputs.map((input) => input.value.trim());
    if (values.every((v) => v === '')) {
      return null;
    }
    const numbers = values.map(Number);
    if (values.some((v) => v === '') || numbers.some((v) => Number.isNaN(v))) {
      throw new Error('Give all four numbers of the area, or none.');
    }
    const [west, south, east, north] = numbers;
    if (south > north) {
      throw new Error('South must not be above north.');
    }
    if ([west, east].some((v) => v < -180 || v > 180) || [south, north].some((v) => v < -90 || v > 90)) {
      throw new Error('Longitudes go from -180 to 180 and latitudes from -90 to 90.');
    }
    return numbers;
  }

  function setBbox(bbox) {
    bboxInputs.forEach((input, index) => { input.value = bbox ? String(bbox[index]) : ''; });
  }

  const drawing = boxDrawing(map, box, {
    done: (bbox) => {
      setBbox(bbox);
      drawing.show(bbox);
      drawButton.textContent = 'Draw a box';
      drawButton.setAttribute('aria-pressed', 'false');
      drawHint.hidden = true;
    },
    cancelled: () => {
      drawButton.textContent = 'Draw a box';
      drawButton.setAttribute('aria-pressed', 'false');
      drawHint.hidden = true;
      try {
        drawing.show(bboxValue());
      } catch (invalid) {
        drawing.show(null);
      }
    },
  });
  drawButton.setAttribute('aria-pressed', 'false');
  drawButton.addEventListener('click', () => {
    if (drawing.active) {
      drawing.cancel();
      drawButton.textContent = 'Draw a box';
      drawButton.setAttribute('aria-pressed', 'false');
      drawHint.hidden = true;
      return;
    }
    drawing.start();
    drawButton.textContent = 'Cancel drawing';
    drawButton.setAttribute('aria-pressed', 'true');
    drawHint.hidden = false;
  });
  clearBoxButton.addEventListener('click', () => {
    setBbox(null);
    drawing.show(null);
  });
  for (const input of bboxInputs) {
    input.addEventListener('change', () => {
      try {
        searchError.textContent = '';
        drawing.show(bboxValue());
      } catch (invalid) {
        drawing.show(null);
      }
    });
  }

  async function runSearch(body, first) {
    const mine = first ? startListing('Search results', 'Searching...') : listing;
    moreButton.disabled = true;
    try {
      const page = await postJson('/api/stac/search', body);
      if (mine !== listing) {
        return;
      }
      const items = page.features || [];
      addToList(items);
      drawFootprints(footprints, items, openItem);
      const next = (page.links || []).find((link) => link.rel === 'next');
      nextSearch = next && next.body ? next.body : null;
      moreButton.hidden = !nextSearch;
      moreButton.disabled = false;
      const total = shown.size;
      itemsNote.className = 'muted';
      itemsNote.textContent = total ? `${total} item${total === 1 ? '' : 's'} found${nextSearch ? ' so far' : ''}.`
        : 'No item matches.';
      mapStatus.textContent = `Search: ${total} result${total === 1 ? '' : 's'}${nextSearch ? ' so far' : ''}.`;
      if (first) {
        fitTo(footprints);
      }
    } catch (error) {
      if (mine === listing) {
        itemsNote.className = 'error';
        itemsNote.textContent = `The search failed: ${error.message}`;
        moreButton.disabled = false;
      }
    }
  }

  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    searchError.textContent = '';
    let bbox;
    try {
      bbox = bboxValue();
    } catch (invalid) {
      searchError.textContent = invalid.message;
      return;
    }
    const from = fromInput.value;
    const to = toInput.value;
    if (from && to && from > to) {
      searchError.textContent = 'The start date is after the end date.';
      return;
    }
    const body = { limit: SEARCH_PAGE };
    if (bbox) {
      body.bbox = bbox;
    }
    if (from || to) {
      body.datetime = `${from ? `${from}T00:00:00Z` : '..'}/${to ? `${to}T23:59:59.999Z` : '..'}`;
    }
    if (collectionFilter.value) {
      body.collections = [collectionFilter.value];
    }
    runSearch(body, true);
  });
  moreButton.addEventListener('click', () => {
    if (nextSearch) {
      runSearch(nextSearch, false);
    }
  });

  const [collections] = await Promise.all([loadCollections(), loadFeatureCollections()]);

  // #/catalog/<collection>/<item>: that collection's footprints, and the item opened.
  if (route.path.length >= 2) {
    const [collectionId, ...rest] = route.path;
    const itemId = rest.join('/');
    const collection = collections.find((c) => c.id === collectionId) || { id: collectionId };
    showCollection(collection);
    openItemById(collectionId, itemId);
  }

  return () => {
    left = true;
    drawing.cancel();
    if (stopFeatures) {
      stopFeatures();
    }
    if (releaseItem) {
      releaseItem();
    }
    map.remove();
  };
}
