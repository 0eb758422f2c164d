// The map: GridMap's own layers (no outside base map, so it works on an intranet), from vector tiles when
// the server offers them (/styles/default.json and /tiles/{layer}.json), otherwise from the OGC API items
// as GeoJSON. Layer groups with toggles, colours matching the legend, overlays for results.
import { api, allItems, showError, showMessage } from './api.js';
import { t } from './i18n.js';
import { bbox, emptyCollection } from './geometry.js';

const gridColor = ['step', ['to-number', ['get', 'households'], 0], '#f4a259', 300, '#6bbf59', 500.5, '#d1495b'];
const walkColor = ['step', ['to-number', ['coalesce', ['get', 'walk_seconds'], 1e9], 1e9],
  '#1a9850', 300.001, '#91cf60', 600.001, '#fee08b', 900.001, '#d73027'];

// Bottom to top. `on`: visible at start. Layer ids are `${group}-${kind}`.
export const groups = [
  { id: 'water', on: true, layers: [{ id: 'water-fill', type: 'fill', paint: { 'fill-color': '#a8d1f0' } }] },
  { id: 'grids', on: true, layers: [{ id: 'grids-fill', type: 'fill', paint: { 'fill-color': gridColor, 'fill-opacity': 0.4 } }] },
  { id: 'heatmap', on: false, layers: [{ id: 'heatmap-fill', type: 'fill', paint: { 'fill-color': walkColor, 'fill-opacity': 0.65 } }] },
  { id: 'buildings', on: true, layers: [{ id: 'buildings-fill', type: 'fill', paint: { 'fill-color': '#8f8f8f', 'fill-outline-color': '#555' } }] },
  { id: 'roads', on: true, layers: [{ id: 'roads-line', type: 'line', paint: { 'line-color': '#9a9384',
    'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.6, 17, 4] } }] },
  { id: 'compounds', on: true, layers: [
    { id: 'compounds-fill', type: 'fill', paint: { 'fill-color': '#8d6e63', 'fill-opacity': 0.06 } },
    { id: 'compounds-line', type: 'line', paint: { 'line-color': '#8d6e63', 'line-width': 1, 'line-dasharray': [2, 1] } }] },
  { id: 'grids-outline', parent: 'grids', layers: [{ id: 'grids-line', type: 'line', paint: { 'line-color': '#5a3d8a', 'line-width': 1.5 } }] },
  { id: 'communities', on: true, layers: [{ id: 'communities-line', type: 'line', paint: { 'line-color': '#1f4e79', 'line-width': 2.5 } }] },
  { id: 'streets', on: true, layers: [{ id: 'streets-line', type: 'line', paint: { 'line-color': '#111', 'line-width': 3.5, 'line-dasharray': [3, 2] } }] },
  { id: 'stations', on: true, layers: [{ id: 'stations-circle', type: 'circle', paint: { 'circle-color': '#c0392b',
    'circle-radius': 6, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } }] },
  { id: 'cameras', on: false, layers: [
    { id: 'cameras-cluster', type: 'circle', filter: ['has', 'point_count'], paint: { 'circle-color': '#34495e',
      'circle-opacity': 0.7, 'circle-radius': ['step', ['get', 'point_count'], 8, 10, 12, 50, 18] } },
    { id: 'cameras-circle', type: 'circle', filter: ['!', ['has', 'point_count']], paint: { 'circle-color': '#34495e', 'circle-radius': 3.5 } }] },
];
export const toggleable = ['streets', 'communities', 'grids', 'compounds', 'buildings', 'stations', 'cameras', 'roads', 'water', 'heatmap'];
export const clickableLayers = ['stations-circle', 'cameras-circle', 'buildings-fill', 'compounds-fill', 'grids-fill', 'heatmap-fill'];

const overlayLayers = [
  { id: 'isochrones-fill', source: 'isochrones', type: 'fill', paint: { 'fill-color': ['step', ['to-number', ['coalesce', ['get', 'minutes'], 15]], '#1a9850', 5.001, '#91cf60', 10.001, '#fee08b'], 'fill-opacity': 0.35 } },
  { id: 'isochrones-line', source: 'isochrones', type: 'line', paint: { 'line-color': '#2c7a3d', 'line-width': 1 } },
  { id: 'proposal-fill', source: 'proposal', type: 'fill', paint: { 'fill-color': gridColor, 'fill-opacity': 0.55 } },
  { id: 'proposal-line', source: 'proposal', type: 'line', paint: { 'line-color': '#222', 'line-width': 2, 'line-dasharray': [2, 1] } },
  { id: 'proposal-label', source: 'proposal', type: 'symbol', layout: { 'text-field': ['to-string', ['get', 'households']], 'text-size': 13 },
    paint: { 'text-color': '#111', 'text-halo-color': '#fff', 'text-halo-width': 1.5 } },
  { id: 'selection-line', source: 'selection', type: 'line', paint: { 'line-color': '#00bcd4', 'line-width': 4 } },
  { id: 'routes-line', source: 'routes', type: 'line', layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': ['-', 10, ['get', 'rank']] },
    paint: { 'line-color': ['match', ['get', 'rank'], 1, '#d62728', 2, '#1f77b4', '#9467bd'], 'line-width': ['match', ['get', 'rank'], 1, 6, 4] } },
  { id: 'points-circle', source: 'points', type: 'circle', paint: { 'circle-color': '#ff9800', 'circle-radius': 7, 'circle-stroke-color': '#000', 'circle-stroke-width': 2 } },
];
export const routeColors = ['#d62728', '#1f77b4', '#9467bd'];

export const state = { map: null, tiles: false, tileLayers: new Set(), loaded: new Set(), data: {} };
const tiled = ['water', 'streets', 'communities', 'roads', 'compounds', 'buildings', 'grids', 'stations', 'cameras'];

export async function createMap() {
  // One composite vector source for every layer the tile server has; the rest (heatmap) as GeoJSON.
  state.tiles = await probe('/styles/default.json');
  if (state.tiles) {
    // Servers before the heatmap tile layer answer 404 for a set that names it: then ask without it.
    for (const set of [[...tiled, 'heatmap'], tiled]) {
      try {
        const { data } = await api(`/tiles/${set.join(',')}.json`);
        for (const layer of data.vector_layers || []) state.tileLayers.add(layer.id);
        break;
      } catch { /* next set */ }
    }
    if (state.tileLayers.size === 0) state.tiles = false;
  }
  renderSourceNote();
  const map = new maplibregl.Map({
    container: 'map',
    style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#efece4' } }] },
    center: [116.3, 39.9], zoom: 12, attributionControl: false,
    // Lets the browser tests (and "save image") read the canvas pixels.
    preserveDrawingBuffer: true, canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false },
  });
  state.map = map;
  map.addControl(new maplibregl.NavigationControl(), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-left');
  await new Promise((resolve) => map.once('load', resolve));
  for (const group of groups) addGroup(group);
  for (const name of ['isochrones', 'proposal', 'selection', 'routes', 'points']) map.addSource(name, { type: 'geojson', data: emptyCollection() });
  for (const layer of overlayLayers) map.addLayer(layer, 'stations-circle');
  await fitToData();
  await Promise.all(groups.filter((g) => g.on).map((g) => loadGroup(sourceOf(g))));
  return map;
}

function sourceOf(group) { return group.parent || group.id; }

function addGroup(group) {
  const map = state.map;
  const name = sourceOf(group);
  const vector = state.tileLayers.has(name);
  const source = vector ? 'gridmap' : name;
  if (!map.getSource(source)) {
    map.addSource(source, vector
      ? { type: 'vector', url: `/tiles/${[...state.tileLayers].join(',')}.json` }
      : { type: 'geojson', data: emptyCollection(), ...(name === 'cameras' ? { cluster: true, clusterRadius: 40, clusterMaxZoom: 16 } : {}) });
  }
  const visible = group.on || (group.parent && groups.find((g) => g.id === group.parent).on);
  for (const layer of group.layers) {
    const spec = { ...layer, source, layout: { ...(layer.layout || {}), visibility: visible ? 'visible' : 'none' } };
    if (vector) spec['source-layer'] = name;
    map.addLayer(spec);
  }
}

export function renderSourceNote() {
  document.getElementById('source-note').textContent = state.tiles ? t('sourceTiles') : t('sourceGeoJson');
}

async function probe(path) {
  try { return (await fetch(path, { method: 'GET' })).ok; } catch { return false; }
}

/// GeoJSON mode loads a layer when it is first shown (vector tiles need nothing).
export async function loadGroup(id) {
  if (state.tileLayers.has(id) || state.loaded.has(id)) return true;
  try {
    const data = await allItems(id);
    state.data[id] = data;
    state.map.getSource(id).setData(data);
    state.loaded.add(id);
    return true;
  } catch (error) {
    showError(error, id === 'heatmap' ? 'featureHeatmap' : id);
    return false;
  }
}

export async function reloadGroup(id) {
  if (state.tileLayers.has(id)) {
    const source = state.map.getSource('gridmap');
    const tiles = (source.tiles || [`${location.origin}/tiles/${[...state.tileLayers].join(',')}/{z}/{x}/{y}.mvt`])
      .map((u) => u.replace(/[?&]v=\d+$/, ''));
    source.setTiles(tiles.map((u) => `${u}${u.includes('?') ? '&' : '?'}v=${Date.now()}`));
    return;
  }
  state.loaded.delete(id);
  await loadGroup(id);
}

export async function setGroupVisible(id, on) {
  for (const group of groups.filter((g) => g.id === id || g.parent === id)) {
    group.on = on;
    for (const layer of group.layers) if (state.map.getLayer(layer.id)) state.map.setLayoutProperty(layer.id, 'visibility', on ? 'visible' : 'none');
  }
  const checkbox = document.querySelector(`#layer-list input[data-layer="${id}"]`);
  if (checkbox) checkbox.checked = on;
  if (id === 'heatmap') document.getElementById('heatmap-toggle').checked = on;
  if (on) return loadGroup(id);
  return true;
}

async function fitToData() {
  try {
    const { data } = await api('/collections');
    const boxes = data.collections.filter((c) => c.extent && ['streets', 'communities', 'grids', 'buildings'].includes(c.id))
      .map((c) => c.extent.spatial.bbox[0]);
    if (boxes.length === 0) { showMessage(t('noData'), 'warning'); return; }
    const box = boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
    state.map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: 20, animate: false });
  } catch (error) { showError(error); }
}

export function isVisible(id) { return Boolean(groups.find((g) => g.id === id)?.on); }

/// A rendered feature's layer and id: vector tiles carry the id as the feature id, GeoJSON in both places.
export function layerOf(feature) { return feature.sourceLayer || feature.source; }
export function idOf(feature) { return Number(feature.id ?? feature.properties.id); }

export function setOverlay(name, data) { state.map.getSource(name).setData(data || emptyCollection()); }

export function fitGeometry(geometry, maxZoom = 17) {
  const box = bbox(geometry);
  state.map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: 60, maxZoom, duration: 0 });
}

export function popup(lngLat, html) {
  return new maplibregl.Popup({ maxWidth: '22rem' }).setLngLat(lngLat).setDOMContent(html).addTo(state.map);
}

/// Resolves at the next `idle` (everything drawn), after forcing a repaint so one always comes.
export function idle(timeoutMs = 15000) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    state.map.once('idle', () => { clearTimeout(timer); resolve(); });
    state.map.triggerRepaint();
  });
}

/// A coarse sample of the drawn map: `size`×`size` RGBA values of the WebGL canvas.
export function samplePixels(size = 64) {
  const canvas = document.createElement('canvas');
  canvas.width = size; canvas.height = size;
  const context = canvas.getContext('2d');
  context.drawImage(state.map.getCanvas(), 0, 0, size, size);
  return Array.from(context.getImageData(0, 0, size, size).data);
}
