// Leaders: shares of households within 5/10/15 minutes for the city, each street and community, the
// compounds left outside (clickable), the walking-time heatmap and station isochrones on demand.
import { api, allItems, showError, showMessage } from './api.js';
import { t } from './i18n.js';
import { featureCollection } from './geometry.js';
import { fitGeometry, setGroupVisible, setOverlay, state } from './map.js';

let report = null;
let stations = [];

export function init() {
  document.getElementById('coverage-load').onclick = load;
  document.getElementById('heatmap-toggle').onchange = async (event) => {
    const ok = await setGroupVisible('heatmap', event.target.checked);
    if (!ok) { event.target.checked = false; setGroupVisible('heatmap', false); }
  };
  document.getElementById('isochrone-show').onclick = showIsochrone;
  document.getElementById('isochrone-clear').onclick = () => setOverlay('isochrones', null);
}

export async function open() {
  if (stations.length === 0) {
    try {
      stations = (state.data.stations || await allItems('stations')).features.map((f) => f.properties);
      const select = document.getElementById('isochrone-station');
      select.replaceChildren(...stations.map((s) => new Option(s.name, s.id)));
    } catch (error) { showError(error); }
  }
  if (!report) await load();
}

export function chooseStation(id) { document.getElementById('isochrone-station').value = String(id); }

async function load() {
  try {
    report = (await api('/coverage?minutes=5,10,15')).data;
    render();
  } catch (error) {
    showError(error, 'featureCoverage');
  }
}

const share = (within, households) => (households > 0 ? (100 * within / households).toFixed(1) : '—');

export function render() {
  const table = document.getElementById('coverage-table');
  const list = document.getElementById('uncovered-list');
  table.replaceChildren();
  list.replaceChildren();
  document.getElementById('unreached-list').replaceChildren();
  if (!report) return;
  const minutes = report.minutes || [5, 10, 15];
  const head = table.createTHead().insertRow();
  for (const text of [t('name'), t('households'), ...minutes.map((n) => `≤${n}′ %`)]) {
    const th = document.createElement('th'); th.textContent = text; head.append(th);
  }
  const body = table.createTBody();
  const addRow = (kind, name, entry) => {
    const row = body.insertRow();
    row.className = kind;
    row.dataset.kind = kind;
    if (entry.id != null) row.dataset.id = entry.id;
    row.dataset.households = entry.households;
    row.insertCell().textContent = name;
    row.insertCell().textContent = entry.households;
    for (const n of minutes) {
      const cell = row.insertCell();
      cell.dataset.minutes = n;
      cell.dataset.within = entry.within?.[n] ?? entry.within?.[String(n)] ?? 0;
      cell.textContent = share(Number(cell.dataset.within), entry.households);
      cell.title = `${cell.dataset.within} / ${entry.households}`;
    }
  };
  addRow('total', t('city'), report.total);
  for (const street of report.streets || []) addRow('street', `${t('street')} ${street.name}`, street);
  for (const community of report.communities || []) addRow('community', community.name, community);
  for (const compound of report.uncovered_compounds || []) {
    const item = document.createElement('li');
    item.dataset.id = compound.id;
    item.textContent = t('uncoveredItem', { name: compound.name, households: compound.households,
      min: compound.walk_seconds == null ? '∞' : (compound.walk_seconds / 60).toFixed(1) });
    if (compound.unreachable_reason) item.textContent += ` (${t(`reason_${compound.unreachable_reason}`)})`;
    item.onclick = () => showCompound(compound.id);
    list.append(item);
  }
  renderUnreached(report);
  document.getElementById('coverage-summary').textContent =
    `${t('city')}: ${minutes.map((n) => `${t('within', { n })} ${share(report.total.within[n], report.total.households)}%`).join(' · ')}`;
}

// Issue 11: every unit without a walking time is counted under its reason, and stations off the network say why.
function renderUnreached(report) {
  const list = document.getElementById('unreached-list');
  const add = (text, reason) => {
    const item = document.createElement('li');
    if (reason) item.dataset.reason = reason;
    item.textContent = text;
    list.append(item);
  };
  for (const [reason, counts] of Object.entries(report.unreached || {})) {
    if (counts.units > 0) add(t('unreachedItem', { reason: t(`reason_${reason}`), units: counts.units, households: counts.households }), reason);
  }
  if (list.children.length === 0) add(t('unreachedNone'));
  for (const station of report.stations_off_network || []) {
    add(t('stationOffNetwork', { name: station.name, reason: t(`reason_${station.unreachable_reason}`) }), station.unreachable_reason);
  }
}

async function showCompound(id) {
  try {
    const feature = (await api(`/collections/compounds/items/${id}`)).data;
    setOverlay('selection', featureCollection([feature]));
    fitGeometry(feature.geometry);
  } catch (error) { showError(error); }
}

async function showIsochrone() {
  const id = document.getElementById('isochrone-station').value;
  if (!id) { showMessage(t('noStationChosen'), 'warning'); return; }
  try {
    const { data } = await api(`/stations/${id}/isochrone?minutes=5,10,15`);
    const collection = data.type === 'FeatureCollection' ? data
      : featureCollection(data.type === 'Feature' ? [data] : (data.isochrones || []));
    // Largest first so the 5-minute ring is drawn on top.
    collection.features.sort((a, b) => (b.properties?.minutes ?? 0) - (a.properties?.minutes ?? 0));
    setOverlay('isochrones', collection);
    if (collection.features[0]) fitGeometry(collection.features[0].geometry, 16);
    const station = stations.find((s) => String(s.id) === id);
    showMessage(t('isochroneDrawn', { name: station?.name || id }));
  } catch (error) {
    showError(error, 'featureIsochrone');
  }
}
