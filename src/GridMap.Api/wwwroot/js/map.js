// The map: GridMap's own layers (no outside base map, so it works on an intranet). What is drawn and how —
// layers, colours, widths, draw order, titles, legend and the grid household bounds — comes from the server's
// default style (/styles/default.json, written from the one layer declaration in GridMap.Data/Layers.cs), so
// the viewer keeps no copy of it. Layers come from the style's vector tiles; one the tiles lack comes from
// the OGC API items as GeoJSON. Overlays for results are the viewer's own.
import { api, allItems, showError, showMessage } from './api.js';
import { currentLanguage, t } from './i18n.js';
import { bbox, emptyCollection } from './geometry.js';

// Filled from the style's metadata and layers by createMap().
export const layerList = []; // the toggles, bottom of the list first: { id, title: { zh, en }, visible }
export const legend = []; // { layer, color, shape, label: { zh, en } }
export const gridBounds = { min: 0, max: Infinity }; // households a grid should hold
export const clickableLayers = [];
const styleLayers = []; // the style's MapLibre layers, bottom to top, without the background
const backgroundLayers = [];
let gridColor = '#888';
let walkColors = ['#888', '#888', '#888'];

function overlayLayers() {
  return [
    // Isochrones in the heatmap's colours for 5, 10 and 15 minutes (its first three legend entries).
    { id: 'isochrones-fill', source: 'isochrones', type: 'fill', paint: { 'fill-color': ['step', ['to-number', ['coalesce', ['get', 'minutes'], 15]], walkColors[0], 5.001, walkColors[1], 10.001, walkColors[2]], 'fill-opacity': 0.35 } },
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
}
export const routeColors = ['#d62728', '#1f77b4', '#9467bd'];

export const state = { map: null, tiles: false, tileSource: null, tileLayers: new Set(), loaded: new Set(), data: {} };

/// Takes the layers, legend, bounds and tile source from the default style.
function readStyle(style) {
  const metadata = style.metadata || {};
  layerList.push(...(metadata['gridmap:layers'] || []).map((layer) => ({ ...layer })));
  legend.push(...(metadata['gridmap:legend'] || []));
  Object.assign(gridBounds, metadata['gridmap:grid_households'] || {});
  for (const layer of style.layers || []) {
    const { metadata: layerMetadata, ...spec } = layer;
    if (spec.type === 'background') { backgroundLayers.push(spec); continue; }
    styleLayers.push(spec);
    if (layerMetadata?.['gridmap:clickable']) clickableLayers.push(spec.id);
  }
  gridColor = styleLayers.find((l) => l.id === 'grids-fill')?.paint?.['fill-color'] ?? gridColor;
  const heatmapColors = legend.filter((entry) => entry.layer === 'heatmap').map((entry) => entry.color);
  if (heatmapColors.length >= 3) walkColors = heatmapColors;
  state.tileSource = style.sources?.gridmap || null;
  state.tiles = Boolean(state.tileSource);
  for (const layer of styleLayers) if (state.tiles && layer.source === 'gridmap') state.tileLayers.add(layer['source-layer']);
}

export async function createMap() {
  const { data: style } = await api('/styles/default.json');
  readStyle(style);
  renderSourceNote();
  const map = new maplibregl.Map({
    container: 'map',
    style: { version: 8, sources: {}, layers: backgroundLayers },
    center: [116.3, 39.9], zoom: 12, attributionControl: false,
    // Lets the browser tests (and "save image") read the canvas pixels.
    preserveDrawingBuffer: true, canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false },
  });
  state.map = map;
  map.addControl(new maplibregl.NavigationControl(), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-left');
  await new Promise((resolve) => map.once('load', resolve));
  if (state.tiles) map.addSource('gridmap', state.tileSource);
  for (const layer of styleLayers) addStyleLayer(layer);
  for (const name of ['isochrones', 'proposal', 'selection', 'routes', 'points']) map.addSource(name, { type: 'geojson', data: emptyCollection() });
  const below = map.getLayer('stations-circle') ? 'stations-circle' : undefined;
  for (const layer of overlayLayers()) map.addLayer(layer, below);
  await fitToData();
  await Promise.all(layerList.filter((l) => l.visible).map((l) => loadGroup(l.id)));
  return map;
}

function addStyleLayer(spec) {
  const map = state.map;
  const name = spec['source-layer'];
  const layer = { ...spec, layout: { ...(spec.layout || {}), visibility: isVisible(name) ? 'visible' : 'none' } };
  if (!state.tileLayers.has(name)) {
    // Not in the tiles: the collection's items as GeoJSON, loaded when first shown.
    if (!map.getSource(name)) map.addSource(name, { type: 'geojson', data: emptyCollection() });
    layer.source = name;
    delete layer['source-layer'];
  }
  map.addLayer(layer);
}

/// The layer's title in the current language, as the server declares it.
export function layerTitle(id) {
  const layer = layerList.find((l) => l.id === id);
  return layer ? layer.title[currentLanguage()] || layer.title.zh : id;
}

export function inGridBounds(households) { return households >= gridBounds.min && households <= gridBounds.max; }

export function renderSourceNote() {
  document.getElementById('source-note').textContent = state.tiles ? t('sourceTiles') : t('sourceGeoJson');
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
    showError(error, id === 'heatmap' ? 'featureHeatmap' : layerTitle(id));
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
  const entry = layerList.find((l) => l.id === id);
  if (entry) entry.visible = on;
  for (const layer of styleLayers.filter((l) => l['source-layer'] === id)) {
    if (state.map.getLayer(layer.id)) state.map.setLayoutProperty(layer.id, 'visibility', on ? 'visible' : 'none');
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

export function isVisible(id) { return Boolean(layerList.find((l) => l.id === id)?.visible); }

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
