// Planners: sign in with an API key, propose and apply a community split, move buildings between grids
// (each save sends If-Match; a stale save is refused by the server and shown with what changed), and
// restore an earlier version of a grid. A building move or a dragged boundary is shown first with the new
// household totals, range and contiguity as PostGIS counts them; only Save sends the PATCHes.
import { api, allItems, apiKey, ApiError, setApiKey, showError, showMessage } from './api.js';
import { t } from './i18n.js';
import { featureCollection } from './geometry.js';
import { fitGeometry, gridBounds, idOf, inGridBounds, reloadGroup, setOverlay, state } from './map.js';

let proposal = null;
let selected = null; // { id, etag, feature }
let lastMove = null; // { target, source } households after the last move
let history = null;
let pending = null; // an unsaved edit: { kind: 'move', buildingId, preview, source } or { kind: 'boundary', geometry, check }
let drag = null; // the vertex being dragged: { p, r, i }
let checkSeq = 0;
let lastCheckAt = 0;
const $ = (id) => document.getElementById(id);

export function init() {
  $('login').onclick = async () => {
    const key = $('api-key').value.trim();
    if (!key) { showMessage(t('keyNeeded'), 'warning'); return; }
    setApiKey(key);
    try {
      const { data } = await api('/viewer/session');
      if (!data.authenticated) { setApiKey(null); showMessage(t('keyRefused'), 'error'); return; }
      if (!['planner', 'admin'].includes(data.role)) showMessage(t('keyCannotEdit', { role: data.role }), 'warning');
      else showMessage(t('keySaved', { name: data.name, role: data.role }));
    } catch (error) {
      // An older server without /viewer/session: keep the key; writes will say if it is refused.
      if (!(error instanceof ApiError && error.missing)) { setApiKey(null); showError(error); return; }
      showMessage(t('keySaved', { name: '', role: '' }));
    }
    $('api-key').value = '';
    render();
    open();
  };
  $('logout').onclick = () => { setApiKey(null); $('edit-toggle').checked = false; clearSelection(); render(); };
  $('split-propose').onclick = propose;
  $('proposal-apply').onclick = applyProposal;
  $('proposal-discard').onclick = discardProposal;
  $('edit-toggle').onchange = () => { if (!$('edit-toggle').checked) clearSelection(); render(); };
  $('history-show').onclick = showHistory;
  $('boundary-edit').onclick = startBoundary;
  $('edit-save').onclick = savePending;
  $('edit-cancel').onclick = cancelPending;
  render();
}

export async function open() {
  if (!apiKey() || $('split-community').options.length > 0) return;
  try {
    const communities = state.data.communities || await allItems('communities');
    $('split-community').replaceChildren(...communities.features
      .map((f) => f.properties).sort((a, b) => String(a.name).localeCompare(String(b.name), 'zh'))
      .map((c) => new Option(c.name, c.id)));
  } catch (error) { showError(error); }
}

export function editing() { return Boolean(apiKey()) && $('edit-toggle').checked; }

export function render() {
  const signedIn = Boolean(apiKey());
  $('login-box').hidden = signedIn;
  $('signed-in').hidden = !signedIn;
  renderProposal();
  renderSelection();
  renderHistory();
}

// ---- automatic split ----

async function propose() {
  const id = $('split-community').value;
  if (!id) { showMessage(t('chooseCommunity'), 'warning'); return; }
  try {
    const body = { min: Number($('split-min').value), max: Number($('split-max').value) };
    proposal = (await api(`/communities/${id}/split`, { method: 'POST', body })).data;
    proposal.community_name = $('split-community').selectedOptions[0]?.textContent;
    setOverlay('proposal', proposal.grids);
    const geometries = (proposal.grids?.features || []).map((f) => f.geometry).filter(Boolean);
    if (geometries.length) fitGeometry({ type: 'GeometryCollection', geometries }, 16);
    renderProposal();
  } catch (error) { showError(error, 'featureSplit'); }
}

function renderProposal() {
  $('proposal').hidden = !proposal;
  if (!proposal) return;
  const features = proposal.grids?.features || [];
  $('proposal-summary').textContent = t('proposalSummary', { id: proposal.id, count: features.length,
    feasible: proposal.feasible ? t('feasible') : t('infeasible') });
  $('proposal-problems').replaceChildren(...(proposal.problems || []).map((p) => {
    const item = document.createElement('li');
    item.textContent = `${p.cause}${p.unit_ids?.length ? `: ${p.unit_ids.join(', ')}` : ''}`;
    return item;
  }));
  const table = $('proposal-table');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const text of [t('grid'), t('households'), t('area'), t('compactness'), t('cut'), t('barriers'), t('neighborsShort')]) {
    const th = document.createElement('th'); th.textContent = text; head.append(th);
  }
  const body = table.createTBody();
  features.forEach((feature, i) => {
    const p = feature.properties;
    const row = body.insertRow();
    row.dataset.households = p.households;
    const min = Number($('split-min').value), max = Number($('split-max').value);
    const cells = [p.name || p.code || `#${i + 1}`, p.households, Math.round(p.area_m2 ?? 0),
      p.polsby_popper == null ? '—' : Number(p.polsby_popper).toFixed(2), p.compounds_cut ?? 0, p.barriers_crossed ?? 0,
      Array.isArray(p.neighbors) ? p.neighbors.length : (p.neighbors ?? '')];
    cells.forEach((value, c) => {
      const cell = row.insertCell();
      cell.textContent = value;
      if (c === 1 && (p.households < min || p.households > max)) cell.className = 'bad';
    });
  });
}

async function applyProposal() {
  if (!proposal) return;
  try {
    await api(`/proposals/${proposal.id}/apply`, { method: 'POST' });
    showMessage(t('applied', { community: proposal.community_name || proposal.community_id || '' }));
    proposal = null;
    setOverlay('proposal', null);
    clearSelection();
    await reloadGroup('grids');
    render();
  } catch (error) { showError(error, 'featureSplit'); }
}

async function discardProposal() {
  if (!proposal) return;
  const id = proposal.id;
  proposal = null;
  setOverlay('proposal', null);
  render();
  try { await api(`/proposals/${id}`, { method: 'DELETE' }); } catch (error) {
    // The server may keep proposals only until they expire; nothing to discard there is fine.
    if (!(error instanceof ApiError && (error.missing || error.status === 404))) showError(error, 'featureSplit');
  }
  showMessage(t('discarded'));
}

// ---- manual edit ----

export async function editClick(event) {
  const map = state.map;
  const query = (layer) => (map.getLayer(layer) ? map.queryRenderedFeatures(event.point, { layers: [layer] }) : []);
  const [building] = query('buildings-fill');
  const [grid] = query('grids-fill');
  if (pending?.kind === 'boundary') return; // vertices are dragged; Save or Cancel ends the boundary edit
  if (selected && building) return moveBuilding(idOf(building));
  if (grid) return selectGrid(idOf(grid));
  if (building) showMessage(t('selectGridFirst'), 'warning');
}

async function selectGrid(id) {
  cancelPending();
  try {
    const { data, etag } = await api(`/collections/grids/items/${id}`);
    selected = { id, etag, feature: data };
    history = null;
    setOverlay('selection', featureCollection([data]));
    render();
  } catch (error) { showError(error); }
}

function clearSelection() {
  cancelPending();
  selected = null;
  history = null;
  lastMove = null;
  if (state.map) setOverlay('selection', null);
}

function renderSelection() {
  const box = $('edit-grid');
  box.replaceChildren();
  $('history-show').hidden = !selected;
  if (!selected) return;
  const p = selected.feature.properties;
  const line = document.createElement('p');
  line.id = 'selected-grid';
  line.dataset.id = selected.id;
  line.dataset.households = p.households;
  line.dataset.version = String(selected.etag).replace(/\W/g, '');
  line.textContent = t('selectedGrid', { name: p.name, version: line.dataset.version, households: p.households,
    range: rangeText(p.households) });
  box.append(line);
  if (lastMove?.source) {
    const other = document.createElement('p');
    other.id = 'source-grid';
    other.dataset.id = lastMove.source.id;
    other.dataset.households = lastMove.source.households;
    other.textContent = `${lastMove.source.name}: ${lastMove.source.households} ${t('households')}`;
    box.append(other);
  }
  const help = document.createElement('p');
  help.className = 'note';
  help.textContent = pending?.kind === 'boundary' ? t('boundaryHelp') : t('clickBuilding');
  box.append(help);
  renderPending();
}

// ---- unsaved edits: live totals, Save / Cancel ----

function rangeText(households) { return inGridBounds(households) ? t('inRange') : t('outOfRange', gridBounds); }

function previewLine(id, gridId, name, households, parts) {
  const line = document.createElement('p');
  line.id = id;
  line.dataset.id = gridId;
  line.dataset.households = households;
  line.dataset.parts = parts;
  line.dataset.inRange = String(inGridBounds(households));
  line.className = `preview ${inGridBounds(households) ? 'ok' : 'bad'}`;
  line.textContent = t('previewLine', { name, households, range: rangeText(households),
    shape: parts === 1 ? t('contiguous') : t('notContiguousShort', { parts }) });
  return line;
}

function renderPending() {
  const box = $('edit-preview');
  box.replaceChildren();
  $('edit-save').hidden = !pending;
  $('edit-cancel').hidden = !pending;
  $('boundary-edit').hidden = !selected || Boolean(pending);
  if (!pending) return;
  const note = Object.assign(document.createElement('p'), { className: 'note', textContent: t('unsaved') });
  if (pending.kind === 'move') {
    const { preview, source } = pending;
    box.append(note, previewLine('preview-target', preview.target.id, selected.feature.properties.name, preview.target.households, preview.target.parts));
    if (preview.source) box.append(previewLine('preview-source', preview.source.id, source?.feature.properties.name ?? `#${preview.source.id}`, preview.source.households, preview.source.parts));
    box.dataset.contiguous = String(preview.target.parts === 1 && (!preview.source || preview.source.parts === 1));
    return;
  }
  box.append(note);
  const check = pending.check;
  if (!check) { box.append(Object.assign(document.createElement('p'), { textContent: t('loading') })); return; }
  if (!check.valid) {
    const line = Object.assign(document.createElement('p'), { id: 'boundary-preview', className: 'preview bad',
      textContent: t('boundaryInvalidShort', { reason: check.reason }) });
    line.dataset.valid = 'false';
    box.append(line);
    return;
  }
  const line = previewLine('boundary-preview', selected.id, selected.feature.properties.name, check.households, check.parts);
  line.dataset.valid = 'true';
  line.dataset.geometry = JSON.stringify(check.geometry);
  box.append(line);
}

async function savePending() {
  if (!pending) return;
  if (pending.kind === 'move') return saveMove(pending);
  return saveBoundary();
}

function cancelPending() {
  const was = pending;
  pending = null;
  drag = null;
  setHandles(null);
  if (was && selected && state.map) setOverlay('selection', featureCollection([selected.feature]));
  if (was) render();
}

// ---- vertex editing of a grid boundary ----

function ensureHandleLayer() {
  const map = state.map;
  if (map.getSource('vertices')) return;
  map.addSource('vertices', { type: 'geojson', data: featureCollection([]) });
  map.addLayer({ id: 'vertices-circle', source: 'vertices', type: 'circle',
    paint: { 'circle-color': '#fff', 'circle-radius': 6, 'circle-stroke-color': '#00838f', 'circle-stroke-width': 2 } });
  map.on('mouseenter', 'vertices-circle', () => { map.getCanvas().style.cursor = 'move'; });
  map.on('mouseleave', 'vertices-circle', () => { map.getCanvas().style.cursor = ''; });
  map.on('mousedown', 'vertices-circle', (event) => {
    if (pending?.kind !== 'boundary') return;
    event.preventDefault(); // no map pan while a vertex moves
    const { p, r, i } = event.features[0].properties;
    drag = { p, r, i };
  });
  map.on('mousemove', (event) => {
    if (!drag) return;
    moveVertex(drag, [event.lngLat.lng, event.lngLat.lat]);
    if (Date.now() - lastCheckAt > 300) checkBoundary();
  });
  map.on('mouseup', () => {
    if (!drag) return;
    drag = null;
    checkBoundary();
  });
}

/// The polygons of a Polygon or MultiPolygon as one list (rings of coordinates).
function polygonsOf(geometry) { return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates; }

function setHandles(geometry) {
  if (!state.map?.getSource('vertices')) return;
  const features = [];
  if (geometry) {
    polygonsOf(geometry).forEach((rings, p) => rings.forEach((ring, r) => ring.slice(0, -1).forEach((c, i) =>
      features.push({ type: 'Feature', properties: { p, r, i }, geometry: { type: 'Point', coordinates: c } }))));
  }
  state.map.getSource('vertices').setData(featureCollection(features));
}

function moveVertex({ p, r, i }, lngLat) {
  const ring = polygonsOf(pending.geometry)[p][r];
  ring[i] = lngLat;
  if (i === 0) ring[ring.length - 1] = lngLat; // the ring stays closed
  setOverlay('selection', featureCollection([{ type: 'Feature', properties: {}, geometry: pending.geometry }]));
  setHandles(pending.geometry);
}

function startBoundary() {
  if (!selected?.feature.geometry) return;
  ensureHandleLayer();
  pending = { kind: 'boundary', geometry: structuredClone(selected.feature.geometry), check: null };
  setHandles(pending.geometry);
  render();
  checkBoundary();
}

/// Asks the server what the dragged polygon would hold; an older answer never overwrites a newer one.
async function checkBoundary() {
  if (pending?.kind !== 'boundary') return null;
  const seq = ++checkSeq;
  lastCheckAt = Date.now();
  const geometry = structuredClone(pending.geometry);
  try {
    const { data } = await api(`/grids/${selected.id}/preview`, { method: 'POST', body: { geometry } });
    if (seq !== checkSeq || pending?.kind !== 'boundary') return null;
    pending.check = { ...data, geometry };
    renderPending();
    return pending.check;
  } catch (error) { showError(error, 'featureBoundary'); return null; }
}

async function saveBoundary() {
  // Save what is on screen: check it now unless the last answer is for exactly this polygon.
  let check = pending.check;
  if (!check || JSON.stringify(check.geometry) !== JSON.stringify(pending.geometry)) check = await checkBoundary();
  if (!check) return;
  if (!check.valid) { showMessage(t('boundaryInvalid', { reason: check.reason }), 'error'); return; }
  const target = selected;
  try {
    const saved = await api(`/collections/grids/items/${target.id}`, { method: 'PATCH', ifMatch: target.etag,
      reason: `edit boundary of grid ${target.id}`, body: { type: 'Feature', geometry: check.geometry } });
    selected = { id: target.id, etag: saved.etag, feature: saved.data };
  } catch (error) {
    if (error instanceof ApiError && error.status === 412) { cancelPending(); return conflict(target); }
    showError(error, 'featureBoundary');
    return;
  }
  showMessage(t('boundarySaved', { name: selected.feature.properties.name, households: selected.feature.properties.households }));
  history = null;
  cancelPending();
  render();
  await reloadGroup('grids');
}

async function moveBuilding(buildingId) {
  const target = selected;
  let preview;
  let source = null;
  try {
    preview = (await api(`/grids/${target.id}/move-preview?building=${buildingId}`)).data;
    if (preview.source) {
      const current = await api(`/collections/grids/items/${preview.source.id}`);
      source = { etag: current.etag, feature: current.data };
    }
  } catch (error) { showError(error, 'featureMove'); return; }
  if (selected !== target) return;
  pending = { kind: 'move', buildingId, preview, source, target };
  setOverlay('selection', featureCollection([{ type: 'Feature', properties: {}, geometry: preview.target.geometry },
    ...(preview.source ? [{ type: 'Feature', properties: {}, geometry: preview.source.geometry }] : [])]));
  render();
}

/// One request, one transaction: POST /grids/{source}/move with both grids' ETags. A building outside every
/// grid has no source, so only the target changes (one PATCH).
async function saveMove({ buildingId, preview, source: sourceRead, target }) {
  const reason = `move building ${buildingId} into grid ${target.id}`;
  let source = null;
  try {
    if (preview.source) {
      const { data } = await api(`/grids/${preview.source.id}/move`, { method: 'POST', ifMatch: sourceRead.etag, reason,
        headers: { 'If-Match-Target': target.etag }, body: { to: target.id, buildings: [buildingId] } });
      selected = { id: target.id, etag: data.target.etag, feature: data.target.feature };
      source = data.source.feature;
    } else {
      const saved = await api(`/collections/grids/items/${target.id}`, { method: 'PATCH', ifMatch: target.etag, reason,
        body: { type: 'Feature', geometry: preview.target.geometry } });
      selected = { id: target.id, etag: saved.etag, feature: saved.data };
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 412) {
      cancelPending();
      return conflict(error.problem?.field === 'If-Match' && preview.source ? { id: preview.source.id, ...sourceRead } : target);
    }
    showError(error, 'featureMove');
    return;
  }
  pending = null;
  setOverlay('selection', featureCollection([selected.feature]));
  lastMove = { source: source ? { id: source.properties.id, name: source.properties.name, households: source.properties.households } : null };
  showMessage(t('moved', { building: buildingId, hh: preview.households, target: selected.feature.properties.name }));
  if (preview.target.parts > 1) showMessage(t('notContiguous', { name: selected.feature.properties.name, parts: preview.target.parts }), 'warning');
  if (preview.source && preview.source.parts > 1 && source) showMessage(t('notContiguous', { name: source.properties.name, parts: preview.source.parts }), 'warning');
  history = null;
  render();
  await reloadGroup('grids');
}

/// A stale save: the server refused it (412). Show what the other person changed, then reload the grid.
async function conflict(stale) {
  try {
    const { data, etag } = await api(`/collections/grids/items/${stale.id}`);
    const before = stale.feature.properties;
    const changed = Object.keys(data.properties).filter((k) => k !== 'households' && JSON.stringify(data.properties[k]) !== JSON.stringify(before[k]))
      .map((k) => `${k}: ${before[k] ?? '—'} → ${data.properties[k] ?? '—'}`);
    if (JSON.stringify(data.geometry) !== JSON.stringify(stale.feature.geometry)) changed.push(t('geometryChanged'));
    if (before.households !== data.properties.households) changed.push(`${t('households')}: ${before.households} → ${data.properties.households}`);
    showMessage(t('conflict', { name: data.properties.name, version: String(etag).replace(/\W/g, ''),
      changes: changed.length ? t('changedFields', { fields: changed.join('; ') }) : '' }), 'conflict');
    selected = { id: stale.id, etag, feature: data };
    setOverlay('selection', featureCollection([data]));
    render();
  } catch (error) { showError(error); }
}

async function showHistory() {
  if (!selected) return;
  try {
    history = (await api(`/grids/${selected.id}/history`)).data.versions;
    renderHistory();
  } catch (error) { showError(error, 'featureHistory'); }
}

function renderHistory() {
  const list = $('history-list');
  list.replaceChildren();
  if (!history || !selected) return;
  if (history.length === 0) { list.append(Object.assign(document.createElement('li'), { textContent: t('noHistory') })); return; }
  for (const version of history) {
    const item = document.createElement('li');
    item.dataset.version = version.version;
    item.textContent = t('historyItem', { version: version.version, by: version.changed_by || '—',
      at: new Date(version.changed_at).toLocaleString(), reason: version.change_reason ? ` · ${version.change_reason}` : '' });
    if (version.operation === 'UPDATE') {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = t('restore');
      button.onclick = () => restore(version);
      item.append(' ', button);
    }
    list.append(item);
  }
}

async function restore(version) {
  const keep = ['code', 'name', 'level', 'grid_head', 'grid_head_phone', 'community_id'];
  const properties = Object.fromEntries(keep.filter((k) => k in version.properties && !String(version.properties[k] ?? '').includes('****'))
    .map((k) => [k, version.properties[k]]));
  try {
    const saved = await api(`/collections/grids/items/${selected.id}`, { method: 'PATCH', ifMatch: selected.etag,
      reason: `restore version ${version.version}`, body: { type: 'Feature', geometry: version.geometry, properties } });
    selected = { id: selected.id, etag: saved.etag, feature: saved.data };
    showMessage(t('restored', { name: saved.data.properties.name, version: version.version }));
    setOverlay('selection', featureCollection([saved.data]));
    history = null;
    render();
    await reloadGroup('grids');
  } catch (error) {
    if (error instanceof ApiError && error.status === 412) return conflict(selected);
    showError(error, 'featureHistory');
  }
}
