// Entry point: language, tabs, layer list, search, clicks. Each user's tools live in their own module.
import { allItems, showError } from './api.js';
import { applyLanguage, currentLanguage, onLanguageChange, t, toggleLanguage } from './i18n.js';
import { center, featureCollection } from './geometry.js';
import { clickableLayers, createMap, fitGeometry, gridBounds, idOf, idle, isVisible, layerList, layerOf, layerTitle, legend, popup, renderSourceNote, samplePixels, setGroupVisible, setOverlay, state } from './map.js';
import * as staff from './staff.js';
import * as coverage from './coverage.js';
import * as planner from './planner.js';

let activeTab = 'layers';
const searchLayers = ['compounds', 'grids', 'stations'];
let searchIndex = [];

applyLanguage();
document.getElementById('lang').onclick = toggleLanguage;
onLanguageChange(() => { renderLayerList(); renderLegend(); renderSourceNote(); staff.render(); coverage.render(); planner.render(); });

for (const button of document.querySelectorAll('.tabs button')) {
  button.onclick = () => selectTab(button.dataset.tab);
}

function selectTab(name) {
  activeTab = name;
  for (const button of document.querySelectorAll('.tabs button')) button.classList.toggle('active', button.dataset.tab === name);
  for (const section of document.querySelectorAll('.tab')) section.hidden = section.id !== `tab-${name}`;
  if (name === 'coverage') coverage.open();
  if (name === 'planner') planner.open();
}

function renderLayerList() {
  const list = document.getElementById('layer-list');
  list.replaceChildren();
  for (const { id } of layerList) {
    const group = isVisible(id);
    const item = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.layer = id;
    box.checked = group;
    box.onchange = () => setGroupVisible(id, box.checked);
    label.append(box, ` ${layerTitle(id)}`);
    item.append(label);
    list.append(item);
  }
}

/// The legend as the server's style declares it: a swatch or dot per colour, text in the current language.
function renderLegend() {
  const list = document.getElementById('legend');
  list.replaceChildren();
  for (const entry of legend) {
    const item = document.createElement('li');
    const swatch = document.createElement('i');
    if (entry.shape === 'dot') swatch.className = 'dot';
    swatch.style.background = entry.color;
    const label = document.createElement('span');
    label.textContent = entry.label[currentLanguage()] || entry.label.zh;
    item.append(swatch, label);
    list.append(item);
  }
}

function onMapClick(event) {
  if (activeTab === 'staff') return staff.nearestAt(event.lngLat);
  if (activeTab === 'planner' && planner.editing()) return planner.editClick(event);
  const layers = clickableLayers.filter((id) => state.map.getLayer(id) && state.map.getLayoutProperty(id, 'visibility') !== 'none');
  const [feature] = state.map.queryRenderedFeatures(event.point, { layers });
  if (!feature) return;
  if (activeTab === 'coverage' && feature.layer.id === 'stations-circle') coverage.chooseStation(idOf(feature));
  popup(event.lngLat, attributesTable(layerOf(feature), { id: idOf(feature), ...feature.properties }));
}

export function attributesTable(layer, properties) {
  const box = document.createElement('div');
  const heading = document.createElement('strong');
  heading.textContent = `${layerTitle(layer)}${properties.name ? ` · ${properties.name}` : ''}`;
  const table = document.createElement('table');
  table.className = 'popup-table';
  for (const [key, value] of Object.entries(properties)) {
    if (value === null || value === undefined || value === '') continue;
    const row = table.insertRow();
    row.insertCell().textContent = key;
    row.insertCell().textContent = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  box.append(heading, table);
  return box;
}

async function buildSearchIndex() {
  searchIndex = [];
  for (const layer of searchLayers) {
    try {
      const data = state.data[layer] || await allItems(layer);
      for (const feature of data.features) {
        const p = feature.properties;
        if (p.name || p.code) searchIndex.push({ layer, feature, text: `${p.name || ''} ${p.code || ''}`.toLowerCase() });
      }
    } catch (error) { showError(error); }
  }
}

function setupSearch() {
  const input = document.getElementById('search');
  const results = document.getElementById('search-results');
  input.oninput = () => {
    const query = input.value.trim().toLowerCase();
    results.replaceChildren();
    if (!query) { results.hidden = true; return; }
    for (const entry of searchIndex.filter((e) => e.text.includes(query)).slice(0, 12)) {
      const item = document.createElement('li');
      item.textContent = `${entry.feature.properties.name || entry.feature.properties.code} · ${layerTitle(entry.layer)}`;
      item.onclick = () => { results.hidden = true; input.value = entry.feature.properties.name || ''; goTo(entry); };
      results.append(item);
    }
    results.hidden = results.children.length === 0;
  };
  input.onkeydown = (event) => { if (event.key === 'Enter' && results.firstElementChild) results.firstElementChild.click(); };
}

function goTo(entry) {
  const geometry = entry.feature.geometry;
  fitGeometry(geometry);
  setOverlay('selection', featureCollection([entry.feature]));
  if (activeTab === 'staff') { const [lon, lat] = center(geometry); staff.nearestAt({ lng: lon, lat }); return; }
  popup(center(geometry), attributesTable(entry.layer, entry.feature.properties));
}

async function start() {
  try {
    const map = await createMap();
    renderLayerList();
    renderLegend();
    document.getElementById('split-min').value = gridBounds.min;
    document.getElementById('split-max').value = gridBounds.max;
    map.on('click', onMapClick);
    map.on('mousemove', (event) => {
      const layers = clickableLayers.filter((id) => map.getLayer(id));
      map.getCanvas().style.cursor = map.queryRenderedFeatures(event.point, { layers }).length ? 'pointer' : '';
    });
    staff.init();
    coverage.init();
    planner.init();
    setupSearch();
    await buildSearchIndex();
    await idle();
  } catch (error) {
    showError(error);
  }
}

// For the end-to-end tests and the console: the map, a readiness promise and a pixel sampler.
window.gridmap = { state, idle, samplePixels, selectTab, ready: start() };
