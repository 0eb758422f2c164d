// fetch() with the planner's key, problem+json turned into readable messages, and a visible message area.
import { t } from './i18n.js';

const keyStorage = 'gridmap.key';

export function apiKey() { return sessionStorage.getItem(keyStorage); }
export function setApiKey(key) { key ? sessionStorage.setItem(keyStorage, key) : sessionStorage.removeItem(keyStorage); }

export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.path = path;
    // A route that does not exist answers 404/405 without a problem body: the feature has not landed.
    // (ASP.NET's own "Not Found" problem has no detail; ours always say what was not found.)
    this.missing = (status === 404 || status === 405) && !problem?.detail;
  }
}

/// Returns { data, etag, status }; throws ApiError for any non-2xx answer.
export async function api(path, { method = 'GET', body, ifMatch, reason, contentType = 'application/json', headers: extra = {} } = {}) {
  const headers = { Accept: 'application/json, application/geo+json, application/problem+json', ...extra };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (ifMatch) headers['If-Match'] = ifMatch;
  if (reason) headers['X-Change-Reason'] = encodeURIComponent(reason);
  if (body !== undefined) headers['Content-Type'] = contentType;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get('Content-Type') || '';
  const text = await response.text();
  let data = null;
  if (text && type.includes('json')) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) {
    const problem = data && (data.title || data.detail) ? data : null;
    throw new ApiError(response.status, problem, path);
  }
  return { data, etag: response.headers.get('ETag'), status: response.status };
}

/// Every page of a collection (following offset) as one FeatureCollection.
export async function allItems(layer, pageSize = 5000, cap = 60000) {
  const features = [];
  for (let offset = 0; offset < cap; offset += pageSize) {
    const { data } = await api(`/collections/${layer}/items?limit=${pageSize}&offset=${offset}`);
    features.push(...data.features);
    if (data.features.length < pageSize) break;
  }
  return { type: 'FeatureCollection', features };
}

export function showMessage(text, kind = 'info', timeoutMs = kind === 'info' ? 6000 : 0) {
  const area = document.getElementById('messages');
  const message = document.createElement('div');
  message.className = `message ${kind}`;
  message.dataset.kind = kind;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = '×';
  close.onclick = () => message.remove();
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
  message.append(close, body);
  area.append(message);
  while (area.children.length > 6) area.firstElementChild.remove();
  if (timeoutMs > 0) setTimeout(() => message.remove(), timeoutMs);
  return message;
}

/// Shows what went wrong in words: a missing endpoint, a refused key, or the server's problem detail.
export function showError(error, featureKey) {
  if (error instanceof ApiError) {
    if (error.missing)
      return showMessage(t('notAvailable', { feature: t(featureKey || 'title'), path: error.path.split('?')[0] }), 'warning');
    if (error.status === 401 || error.status === 403)
      return showMessage(t('unauthorized', { status: error.status, detail: error.problem?.detail || error.problem?.title || '' }), 'error');
    const detail = [error.problem?.title, error.problem?.detail].filter(Boolean).join(' ')
      + (error.problem?.field ? ` [${error.problem.field}]` : '');
    return showMessage(t('serverError', { status: error.status, detail: detail || error.message }), 'error');
  }
  console.error(error);
  return showMessage(String(error?.message || error), 'error');
}
