// The REST API through the gateway, with the signed-in user's token. The dashboard shows nothing the API lacks.
import { token, signInAgain } from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
  }
}

async function request(path, params, accept, init) {
  const url = new URL(path, window.location.origin);
  Object.entries(params || {}).forEach(([k, v]) => {
    if (v !== undefined && v !== null && v !== '') {
      url.searchParams.set(k, v);
    }
  });
  const headers = { Authorization: 'Bearer ' + (await token()), Accept: accept, ...((init && init.headers) || {}) };
  const response = await fetch(url, { ...(init || {}), headers });
  if (response.status === 401) {
    await signInAgain();
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (e) {
      // not a problem body
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

/** A JSON answer. */
export async function get(path, params) {
  return (await request(path, params, 'application/json')).json();
}

/** A POST with a JSON body (or a file's bytes with their content type); its JSON answer. */
export async function post(path, body, params, contentType) {
  return send('POST', path, body, params, contentType);
}

/** A DELETE; its JSON answer (null for 204). */
export async function remove(path) {
  const response = await request(path, {}, 'application/json', { method: 'DELETE' });
  return response.status === 204 ? null : response.json();
}

/** A PUT with a JSON body; its JSON answer. */
export async function put(path, body) {
  return send('PUT', path, body);
}

async function send(method, path, body, params, contentType) {
  const json = contentType === undefined;
  const response = await request(path, params, 'application/json', {
    method, body: json ? JSON.stringify(body) : body, headers: { 'Content-Type': json ? 'application/json' : contentType },
  });
  return response.status === 204 ? null : response.json();
}

/** A report as CSV, saved as a file by the browser. */
export async function download(path, params, filename) {
  const blob = await (await request(path, { ...params, format: 'csv' }, 'text/csv')).blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}
