// One STAC item in plain words: its main properties, raster bands, assets with downloads and its thumbnail.
// Asset bytes may need the API key, which an <img src> or a plain link cannot send, so thumbnails and
// downloads are fetched through api.js and shown as object URLs.

import { ApiError, json, objectUrl } from './api.js';
import { el, fill, when } from './dom.js';

/** The path of an href on this origin (asset links point at the API), or null for another origin. */
export function sameOriginPath(href) {
  try {
    const url = new URL(href, location.href);
    return url.origin === location.origin ? url.pathname + url.search : null;
  } catch (notAUrl) {
    return null;
  }
}

function number(value, digits = 4) {
  if (typeof value !== 'number') {
    return value === null || value === undefined ? '' : String(value);
  }
  return Number.isInteger(value) ? value.toLocaleString('en-GB') : value.toLocaleString('en-GB', {
    maximumSignificantDigits: digits + 2,
  });
}

function text(value) {
  if (value === null || value === undefined) {
    return 'none';
  }
  if (Array.isArray(value)) {
    return value.every((v) => typeof v !== 'object' || v === null) ? value.map(number).join(', ')
      : JSON.stringify(value);
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return typeof value === 'number' ? number(value) : String(value);
}

/** The properties a reader asks about first, in words; the rest follow under their own names. */
const KNOWN = [
  ['title', 'Title', text],
  ['datetime', 'Date and time', when],
  ['start_datetime', 'From', when],
  ['end_datetime', 'To', when],
  ['proj:code', 'Coordinate system', text],
  ['proj:shape', 'Size (rows, columns)', (v) => (Array.isArray(v) ? v.map(number).join(' x ') : text(v))],
  ['gsd', 'Ground sample distance', text],
  ['created', 'Created', when],
  ['updated', 'Updated', when],
];
const HIDDEN = new Set(['proj:wkt2', 'proj:projjson', 'proj:transform', 'proj:epsg']);

function definitionList(rows) {
  return el('dl', { class: 'properties' }, rows.map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

function propertyRows(properties) {
  const rows = [];
  for (const [key, label, format] of KNOWN) {
    if (properties[key] !== undefined && properties[key] !== null) {
      rows.push([label, format(properties[key])]);
    }
  }
  const known = new Set(KNOWN.map(([key]) => key));
  for (const [key, value] of Object.entries(properties)) {
    if (!known.has(key) && !HIDDEN.has(key) && value !== null && typeof value !== 'object') {
      rows.push([key, text(value)]);
    } else if (!known.has(key) && !HIDDEN.has(key) && Array.isArray(value) && value.length <= 8) {
      rows.push([key, text(value)]);
    }
  }
  return rows;
}

/** raster:bands of every asset that has them, one table row per band. */
function bandsTable(item) {
  const rows = [];
  for (const [key, asset] of Object.entries(item.assets || {})) {
    (asset['raster:bands'] || []).forEach((band, index) => {
      const stats = band.statistics || {};
      rows.push(el('tr', {},
        el('td', {}, `${key} ${index + 1}`),
        el('td', {}, text(band.data_type)),
        el('td', {}, band.nodata === undefined ? '' : text(band.nodata)),
        el('td', {}, number(stats.minimum)),
        el('td', {}, number(stats.maximum)),
        el('td', {}, number(stats.mean)),
        el('td', { class: 'hide-narrow' }, band.spatial_resolution === undefined ? '' : number(band.spatial_resolution))));
    });
  }
  if (!rows.length) {
    return null;
  }
  return [el('h3', {}, 'Raster bands'), el('div', { class: 'table-wrap' }, el('table', {},
    el('thead', {}, el('tr', {}, el('th', {}, 'Band'), el('th', {}, 'Type'), el('th', {}, 'No data'),
      el('th', {}, 'Min'), el('th', {}, 'Max'), el('th', {}, 'Mean'), el('th', { class: 'hide-narrow' }, 'Resolution'))),
    el('tbody', {}, rows)))];
}

/** Saves an asset: fetched with the key when it is on this origin, else a plain link. */
async function download(href, name, status) {
  const path = sameOriginPath(href);
  status.textContent = 'Downloading...';
  try {
    const url = await objectUrl(path);
    const link = el('a', { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    status.textContent = '';
  } catch (error) {
    status.textContent = error instanceof ApiError && error.status === 404 ? 'The file is no longer there.'
      : `Download failed: ${error.message}`;
  }
}

function assetsTable(item) {
  const entries = Object.entries(item.assets || {});
  if (!entries.length) {
    return el('p', { class: 'muted' }, 'No assets.');
  }
  return el('div', { class: 'table-wrap' }, el('table', { class: 'assets' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Asset'), el('th', { class: 'hide-narrow' }, 'Type'),
      el('th', {}, 'Roles'), el('th', {}, ''))),
    el('tbody', {}, entries.map(([key, asset]) => {
      const path = sameOriginPath(asset.href);
      const fileName = String(asset.href || key).split('?')[0].split('/').pop() || key;
      const status = el('span', { class: 'muted', role: 'status' });
      const action = path
        ? el('button', { type: 'button', class: 'link', 'data-asset': key,
          onclick: () => download(asset.href, `${item.id}-${fileName}`, status) }, 'Download')
        : webLink(asset.href);
      return el('tr', {},
        el('td', {}, el('strong', {}, asset.title || key), asset.title ? el('div', { class: 'muted mono' }, key) : null),
        el('td', { class: 'hide-narrow mono' }, asset.type || ''),
        el('td', {}, (asset.roles || []).join(', ')),
        el('td', {}, action, ' ', status));
    }))));
}

/** A link for an asset elsewhere, only for http(s) URLs: a javascript: or data: href stays text. */
function webLink(href) {
  let url = null;
  try {
    url = new URL(String(href), location.href);
  } catch (malformed) {
    return el('span', { class: 'muted mono' }, String(href || ''));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return el('span', { class: 'muted mono' }, String(href));
  }
  return el('a', { href: url.href, rel: 'noopener noreferrer' }, 'Open');
}

/**
 * Shows item `itemId` of `collectionId` in `panel`. Returns a function that releases its object URLs.
 * onClose is called by the panel's close button.
 */
export async function showItem(panel, collectionId, itemId, onClose) {
  const urls = [];
  const heading = el('h2', { tabindex: '-1', id: 'item-title' }, itemId);
  fill(panel, heading, el('p', { class: 'muted' }, 'Loading...'));
  let item;
  try {
    item = await json(`/api/stac/collections/${encodeURIComponent(collectionId)}/items/${encodeURIComponent(itemId)}`);
  } catch (error) {
    fill(panel, heading, el('p', { class: 'error', role: 'alert' }, error.status === 404
      ? `There is no item ${itemId} in ${collectionId}.` : error.message));
    return () => {};
  }
  const properties = item.properties || {};
  const thumbnailSlot = el('div', { class: 'thumbnail-slot' });
  const rawJson = el('details', { class: 'raw' }, el('summary', {}, 'Raw JSON'),
    el('pre', {}, JSON.stringify(item, null, 2)));
  fill(panel,
    el('div', { class: 'item-head' }, heading,
      el('button', { type: 'button', class: 'close', 'aria-label': 'Close item details', onclick: onClose }, 'Close')),
    el('p', { class: 'muted' }, 'Collection ', el('span', { class: 'mono' }, item.collection || collectionId),
      item.geometry ? null : ' - this item has no footprint'),
    thumbnailSlot,
    definitionList(propertyRows(properties)),
    bandsTable(item),
    el('h3', {}, 'Assets'),
    assetsTable(item),
    rawJson);
  heading.focus();

  const thumbnail = (item.assets || {}).thumbnail;
  if (thumbnail && thumbnail.href) {
    const path = sameOriginPath(thumbnail.href);
    if (path) {
      fill(thumbnailSlot, el('p', { class: 'muted' }, 'Loading thumbnail...'));
      try {
        const url = await objectUrl(path);
        urls.push(url);
        if (!thumbnailSlot.isConnected) {
          URL.revokeObjectURL(url);
          return () => {};
        }
        fill(thumbnailSlot, el('img', { class: 'thumbnail', src: url, alt: `Thumbnail of ${item.id}`,
          'data-item': `${item.collection}/${item.id}` }));
      } catch (error) {
        fill(thumbnailSlot, el('p', { class: 'error' }, `The thumbnail could not be loaded: ${error.message}`));
      }
    }
  }
  return () => urls.forEach((url) => URL.revokeObjectURL(url));
}
