// The API, called as whoever signed in (auth.js): a person's access token or an API key, in the
// Authorization header, never in a URL.
import { credential } from './auth.js';

/** The API's base: the console is served at /api/console, so the API is its folder. */
export const base = new URL('.', location.href);

/** An answer that is not a success, with its RFC 9457 problem. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The API answered ${status}.`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

/** Builds a path with the query parameters that have a value. */
function path(route, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, value);
  }
  const text = query.toString();
  return text ? `${route}?${text}` : route;
}

export async function api(method, route, body, headers = {}) {
  const sent = { ...headers };
  const token = await credential();
  if (token) sent.authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined && typeof body !== 'string') {
    payload = JSON.stringify(body);
    sent['content-type'] = 'application/json';
  } else {
    payload = body;
  }
  let response;
  try {
    response = await fetch(new URL(route, base), { method, headers: sent, body: payload, cache: 'no-store' });
  } catch {
    throw new ApiError(0, { title: 'No answer', detail: 'The function app did not answer: is it running?' });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text.slice(0, 300) };
  }
  if (!response.ok) {
    if (response.status === 401) dispatchEvent(new Event('console:unauthorized'));
    throw new ApiError(response.status, data);
  }
  return data;
}

export const get = (route, params) => api('GET', path(route, params));
export const post = (route, body = {}, headers) => api('POST', route, body, headers);
export const remove = (route) => api('DELETE', route);

// Who is signed in (GET /me), read once per sign-in: the header shows it, the pages ask its role.
let me;
export function loadMe(refresh = false) {
  if (!me || refresh) me = get('me').catch((error) => { me = undefined; throw error; });
  return me;
}
export const forgetMe = () => { me = undefined; };

const ranks = { sales: 1, manager: 2, admin: 3 };
/** Whether a role includes another (sales < manager < admin). */
export const includes = (role, needed) => (ranks[role] ?? 0) >= ranks[needed];

// Teams and salespeople, read once per page load: the dialogs show names, not ids.
let directory;
export function loadDirectory(refresh = false) {
  if (!directory || refresh) {
    directory = Promise.all([all('teams'), all('salespeople')])
      .then(([teams, salespeople]) => ({ teams, salespeople }))
      .catch((error) => { directory = undefined; throw error; });
  }
  return directory;
}

/** Every item of a directory list (a sales organisation's, so a few pages at most). */
async function all(route) {
  const items = [];
  let continuationToken;
  for (let page = 0; page < 20; page++) {
    const answer = await get(route, { pageSize: 200, continuationToken });
    items.push(...answer.items);
    continuationToken = answer.continuationToken;
    if (!continuationToken) break;
  }
  return items;
}
