// api.js - the client of /api/v1: the signed-in session and its CSRF token, JSON requests, lists
// across pages, uploads with progress, and errors in the UI's language. A 401 on any request hands
// over to the shell (onUnauthenticated), which keeps what the user typed and shows the login page.
import { getLang } from './ui.js';

let me = null; // {user, csrf_token, expires_at} of the signed-in user, or null
let unauthenticated = () => {};

export const session = () => me;
export function setSession(s) { me = s; }
// fn(expired) runs when a request answers 401 (the session ended) - set once by the shell.
export function onUnauthenticated(fn) { unauthenticated = fn; }

// An error answer of the API: status, machine code, `where` and the message in the UI's language,
// as the server words it: the domain speaks of fields, never of command-line options.
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super((getLang() === 'en' ? e.message_en : e.message) || `HTTP ${status}`);
    this.status = status; this.code = e.code; this.where = e.where;
    this.body = body; // issue 14 §1 (xaudit): the whole answer, e.g. an infeasible round's violations
  }
}

// api('GET', '/units?cell=D01') -> the JSON answer; throws ApiError. State-changing requests
// carry the session's CSRF token.
export async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET' && me) opt.headers['X-CSRF-Token'] = me.csrf_token;
  if (body !== undefined) { opt.headers['Content-Type'] = 'application/json'; opt.body = JSON.stringify(body); }
  const r = await fetch('/api/v1' + path, opt);
  const j = await r.json().catch(() => null);
  if (r.status === 401 && path !== '/session' && path !== '/me') { unauthenticated(true); throw new ApiError(401, j); }
  if (!r.ok) throw new ApiError(r.status, j);
  return j;
}

// Every item of a paginated list (500 a page).
export async function all(path) {
  const sep = path.includes('?') ? '&' : '?';
  let items = [], page = 1, total = 0;
  do {
    const j = await api('GET', `${path}${sep}per_page=500&page=${page}`);
    items = items.concat(j.items); total = j.total; page++;
  } while (items.length < total);
  return items;
}

// Posts a file as the raw request body (imports). onProgress(percent | null) follows the upload
// (null once it is sent and the server works on it). Resolves to the JSON answer; rejects with
// ApiError (401 also hands over to the shell) or a plain Error when the network failed.
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1' + path);
    if (me) xhr.setRequestHeader('X-CSRF-Token', me.csrf_token);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total)); };
    xhr.upload.onload = () => onProgress(null);
    xhr.onload = () => {
      let j = null;
      try { j = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 401) unauthenticated(true);
      if (xhr.status >= 200 && xhr.status < 300) resolve(j); else reject(new ApiError(xhr.status, j));
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}
