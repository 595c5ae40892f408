// The catalog's Leaflet map (EPSG:3857): the bundled world outline as the offline base layer, an online tile
// layer as a second choice when geoetl is configured with one, footprints of STAC items, and drawing a
// search box with the mouse (no plugin: Leaflet's own mouse events).

/* global L */

const SEA = '#cfe2ee';

/** Plain text for the places Leaflet renders as HTML (the attribution control). */
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A geometry drawn across the antimeridian rather than around the world: a ring whose longitudes span more
 * than 180 degrees gets its western longitudes moved by 360 (Leaflet draws beyond +-180 in EPSG:3857).
 */
export function unwrapAntimeridian(geometry) {
  if (!geometry || !geometry.coordinates) {
    return geometry;
  }
  const ring = (points) => {
    const lons = points.map((p) => p[0]);
    if (Math.max(...lons) - Math.min(...lons) <= 180) {
      return points;
    }
    return points.map((p) => [p[0] < 0 ? p[0] + 360 : p[0], ...p.slice(1)]);
  };
  switch (geometry.type) {
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map(ring) };
    case 'MultiPolygon': {
      // The parts of a split footprint (one each side of 180) are moved together.
      const all = geometry.coordinates.flat(2);
      const lons = all.map((p) => p[0]);
      if (Math.max(...lons) - Math.min(...lons) <= 180) {
        return geometry;
      }
      return {
        ...geometry,
        coordinates: geometry.coordinates.map((polygon) =>
          polygon.map((points) => points.map((p) => [p[0] < 0 ? p[0] + 360 : p[0], ...p.slice(1)]))),
      };
    }
    case 'LineString':
      return { ...geometry, coordinates: ring(geometry.coordinates) };
    default:
      return geometry;
  }
}

/** Creates the map in `container`; returns {map, footprints, features, box, destroy}. */
export async function createMap(container, config) {
  const map = L.map(container, { worldCopyJump: false, minZoom: 1, maxZoom: 18, boxZoom: false });
  container.style.background = SEA;
  map.setView([20, 0], 2);
  map.attributionControl.setPrefix('Leaflet');

  const outline = L.geoJSON(null, {
    interactive: false,
    style: { color: '#9aa3b2', weight: 0.6, fillColor: '#f6f4ee', fillOpacity: 1 },
  });
  outline.getAttribution = () => 'Natural Earth';
  outline.addTo(map);
  const bases = { 'World outline (offline)': outline };
  if (config && config.tile_url) {
    bases['Online map'] = L.tileLayer(config.tile_url, {
      attribution: escapeHtml(config.tile_attribution || ''),
      maxZoom: 19,
      crossOrigin: false,
    });
  }
  const overlays = {};
  const footprints = L.featureGroup().addTo(map);
  const features = L.featureGroup().addTo(map);
  const box = L.featureGroup().addTo(map);
  overlays['Item footprints'] = footprints;
  overlays['Vector features'] = features;
  L.control.layers(bases, overlays, { collapsed: true }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  try {
    const response = await fetch('/console/world-110m.geojson');
    outline.addData(await response.json());
  } catch (error) {
    console.warn('world outline not loaded', error);
  }
  return { map, footprints, features, box };
}

/**
 * Draws items' footprints into `group`, each a path with class "footprint" and data-item
 * "<collection>/<item>", and calls onPick(item) when one is clicked. Items without geometry are skipped
 * (the caller lists them). Returns the number drawn.
 */
export function drawFootprints(group, items, onPick) {
  let drawn = 0;
  for (const item of items) {
    if (!item.geometry) {
      continue;
    }
    const key = `${item.collection}/${item.id}`;
    const layer = L.geoJSON(unwrapAntimeridian(item.geometry), {
      style: { className: 'footprint', color: '#1f5fbf', weight: 1.5, fillOpacity: 0.12 },
      pointToLayer: (point, latlng) => L.circleMarker(latlng, { radius: 6, className: 'footprint' }),
    });
    layer.eachLayer((path) => {
      path.on('add', () => {
        const element = path.getElement();
        if (element) {
          element.setAttribute('data-item', key);
        }
      });
      path.on('click', (event) => {
        L.DomEvent.stopPropagation(event);
        onPick(item);
      });
      path.bindTooltip(item.properties && item.properties.title ? String(item.properties.title) : item.id,
        { sticky: true });
    });
    layer.addTo(group);
    drawn += 1;
  }
  return drawn;
}

/** Marks the footprint of `key` as selected (and no other). */
export function highlight(group, key) {
  group.eachLayer((layer) => layer.eachLayer && layer.eachLayer((path) => {
    const element = path.getElement && path.getElement();
    if (element) {
      element.classList.toggle('selected', element.getAttribute('data-item') === key);
    }
  }));
}

/**
 * Box drawing: start() waits for a mouse drag on the map (dragging the map is off meanwhile) and calls
 * done([west, south, east, north]); Escape or cancel() stops it. show(bbox) draws a box from the inputs.
 */
export function boxDrawing(map, group, { done, cancelled }) {
  let active = false;
  let start = null;
  let rectangle = null;

  const style = { className: 'search-box', color: '#b3261e', weight: 2, fillOpacity: 0.06, dashArray: '6 4' };

  function show(bbox) {
    group.clearLayers();
    rectangle = null;
    if (bbox) {
      rectangle = L.rectangle([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { ...style, interactive: false });
      rectangle.addTo(group);
    }
  }

  function stop() {
    active = false;
    start = null;
    map.dragging.enable();
    map.getContainer().classList.remove('drawing');
    map.off('mousedown', down);
    map.off('mousemove', move);
    map.off('mouseup', up);
    document.removeEventListener('keydown', key);
  }

  function down(event) {
    start = event.latlng;
    show(null);
    rectangle = L.rectangle(L.latLngBounds(start, start), { ...style, interactive: false }).addTo(group);
  }

  function move(event) {
    if (start && rectangle) {
      rectangle.setBounds(L.latLngBounds(start, event.latlng));
    }
  }

  function up(event) {
    if (!start) {
      return;
    }
    const bounds = L.latLngBounds(start, event.latlng);
    stop();
    const round = (value) => Math.round(value * 1e5) / 1e5;
    const clampLon = (value) => Math.max(-180, Math.min(180, value));
    const clampLat = (value) => Math.max(-90, Math.min(90, value));
    done([round(clampLon(bounds.getWest())), round(clampLat(bounds.getSouth())),
      round(clampLon(bounds.getEast())), round(clampLat(bounds.getNorth()))]);
  }

  function key(event) {
    if (event.key === 'Escape' && active) {
      stop();
      cancelled();
    }
  }

  return {
    start() {
      if (active) {
        return;
      }
      active = true;
      map.dragging.disable();
      map.getContainer().classList.add('drawing');
      map.on('mousedown', down);
      map.on('mousemove', move);
      map.on('mouseup', up);
      document.addEventListener('keydown', key);
    },
    cancel() {
      if (active) {
        stop();
        show(null);
      }
    },
    get active() {
      return active;
    },
    show,
  };
}
