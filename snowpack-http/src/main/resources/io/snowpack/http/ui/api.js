// The REST API as the console calls it: where it is mounted, the operator's token, JSON in and out.

const TOKEN_KEY = 'snowpack.token';

/** The API's base path: the page's path without its trailing /ui (empty at the root, /snowpack on a Spring host). */
export const base = location.pathname.replace(/\/ui(\/.*)?$/, '');

/** An error answer of the API: its HTTP status, its error code and its detail. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code);
    this.status = status;
    this.code = code;
  }
}

let unauthorized = () => {};

/** Calls fn whenever the API answers 401 (no token, or a refused one). */
export function onUnauthorized(fn) {
  unauthorized = fn;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

async function call(method, url, body) {
  const headers = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) {
    headers.Authorization = 'Bearer ' + bearer;
  }
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (response.status === 401) {
    unauthorized(Boolean(bearer));
  }
  if (!response.ok) {
    throw new ApiError(response.status, json && json.error ? json.error : 'http_' + response.status,
        json && json.detail ? json.detail : text.slice(0, 200));
  }
  return { json, response };
}

/** GET path (below the API's base) as JSON. */
export async function get(path) {
  return (await call('GET', base + path)).json;
}

/** POST or PUT a JSON body to path; the answer as JSON. */
export async function send(method, path, body) {
  return (await call(method, base + path, body)).json;
}

/** Every cached table: page after page, following Snowpack-Next (a path from the server's root) to the end. */
export async function allTables() {
  const tables = [];
  let url = base + '/tables?limit=1000';
  while (url) {
    const { json, response } = await call('GET', url);
    tables.push(...json);
    url = response.headers.get('Snowpack-Next');
  }
  return tables;
}

/** The path of one table's endpoints. */
export function tablePath(database, table) {
  return '/tables/' + encodeURIComponent(database) + '/' + encodeURIComponent(table);
}
