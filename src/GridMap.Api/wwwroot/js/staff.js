// Staff: the three nearest stations by walking time from a clicked point, with routes, and the grid of
// the point with its grid head and AB-post neighbour grids.
import { api, showError, showMessage } from './api.js';
import { t } from './i18n.js';
import { featureCollection } from './geometry.js';
import { routeColors, setOverlay, state } from './map.js';

let last = null;

export function init() {}

export async function nearestAt(lngLat) {
  const point = { type: 'Feature', geometry: { type: 'Point', coordinates: [lngLat.lng, lngLat.lat] }, properties: {} };
  setOverlay('points', featureCollection([point]));
  setOverlay('routes', null);
  last = { point, result: null, grid: null, neighbors: null };
  render();
  const [lon, lat] = [lngLat.lng.toFixed(6), lngLat.lat.toFixed(6)];
  state.lastNearest = [lon, lat];
  try {
    const { data } = await api(`/nearest?lon=${lon}&lat=${lat}&k=3`);
    last.result = data;
    if (data.stations.length === 0) showMessage(t('noStationReachable'), 'warning');
    setOverlay('routes', featureCollection(data.stations.filter((s) => s.route)
      .map((s, i) => ({ type: 'Feature', geometry: s.route, properties: { rank: i + 1, station_id: s.id } }))));
    render();
    if (data.grid?.id != null) await loadGrid(data.grid.id);
  } catch (error) {
    showError(error, 'featureNearest');
  }
}

async function loadGrid(id) {
  try {
    last.grid = (await api(`/collections/grids/items/${id}`)).data;
    render();
    const { data } = await api(`/grids/${id}/neighbors`);
    const list = Array.isArray(data) ? data : data.neighbors || data.features || [];
    last.neighbors = list.map((n) => n.properties || n);
    render();
  } catch (error) {
    showError(error, 'featureNeighbors');
  }
}

export function render() {
  const list = document.getElementById('nearest-list');
  const gridBox = document.getElementById('nearest-grid');
  list.replaceChildren();
  gridBox.replaceChildren();
  if (!last?.result) return;
  last.result.stations.forEach((station, i) => {
    const item = document.createElement('li');
    item.dataset.stationId = station.id;
    item.dataset.walkSeconds = station.walk_seconds;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = routeColors[i] || '#999';
    const name = document.createElement('strong');
    name.textContent = station.name;
    const detail = document.createElement('div');
    detail.className = 'walk';
    detail.textContent = t('walk', { min: (station.walk_seconds / 60).toFixed(1), m: Math.round(station.distance_m) });
    item.append(swatch, name, detail);
    list.append(item);
  });
  const heading = document.createElement('h3');
  heading.textContent = t('gridOfPoint');
  gridBox.append(heading);
  const line = (text) => { const p = document.createElement('p'); p.textContent = text; gridBox.append(p); return p; };
  if (!last.result.grid) { line(t('noGrid')); return; }
  const grid = last.grid?.properties;
  const nameLine = line(`${t('grid')}: ${last.result.grid.name}${grid ? ` (${grid.households} ${t('households')})` : ''}`);
  nameLine.id = 'nearest-grid-name';
  if (grid?.grid_head) line(`${t('gridHead')}: ${grid.grid_head}${grid.grid_head_phone ? ` · ${t('phone')} ${grid.grid_head_phone}` : ''}`);
  if (last.neighbors) {
    const names = last.neighbors.map((n) => n.name || n.code || n.id).join('、');
    line(`${t('neighbors')}: ${names || t('none')}`).id = 'nearest-neighbors';
  }
}
