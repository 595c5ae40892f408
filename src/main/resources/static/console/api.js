// Every call the console makes to geoetl's API goes through here: the API key (kept in sessionStorage,
// never a cookie, so another site cannot make the browser send it) and error answers as ApiError.

const KEY_STORAGE = 'geoetl.apiKey';

/** An error answer of the API: status, the JSON body's error code, message and details (field, ...). */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || (body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.details = (body && body.details) || {};
    this.body = body;
  }

  /** The parameter a 400 names, if any. */
  get field() {
    return this.details.field;
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_STORAGE);
}

let pendingKey = null;

/** Asks for the key once, however many requests were refused at the same moment. */
function askForKey(message) {
  if (!pendingKey) {
    pendingKey = new Promise((resolve) => {
      const dialog = document.getElementById('key-dialog');
      const form = document.getElementById('key-form');
      const input = document.getElementById('key-input');
      document.getElementById('key-error').textContent = message || '';
      input.value = '';
      const submitted = (event) => {
        event.preventDefault();
        if (!input.value) {
          return;
        }
        sessionStorage.setItem(KEY_STORAGE, input.value);
        form.removeEventListener('submit', submitted);
        dialog.close();
        pendingKey = null;
        document.getElementById('key-button').hidden = false;
        resolve();
      };
      form.addEventListener('submit', submitted);
      dialog.addEventListener('cancel', (event) => event.preventDefault());
      dialog.showModal();
      input.focus();
    });
  }
  return pendingKey;
}

/** Lets the user enter another key (the header's "API key" button). */
export function changeKey() {
  forgetKey();
  return askForKey('');
}

/**
 * fetch() with the key. A 401 asks for the key (again, if the stored one was refused) and retries, so
 * pages never handle it. Returns the Response for non-JSON bodies (blobs).
 */
export async function request(path, options = {}) {
  for (;;) {
    const headers = new Headers(options.headers || {});
    const key = apiKey();
    if (key) {
      headers.set('X-API-Key', key);
    }
    const response = await fetch(path, { ...options, headers });
    if (response.status !== 401) {
      return response;
    }
    await askForKey(key ? 'That key was refused. Enter the key geoetl was started with.' : '');
  }
}

/** A JSON call: the parsed body, or an ApiError for any status of 400 and above. */
export async function json(path, options = {}) {
  const response = await request(path, options);
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (notJson) {
    body = { error: 'not_json', message: `HTTP ${response.status}: ${text.slice(0, 200)}` };
  }
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}

/** POST with a JSON body (or none, for the job actions). */
export function postJson(path, value) {
  const options = { method: 'POST', headers: { 'Content-Type': 'application/json' } };
  if (value !== undefined) {
    options.body = JSON.stringify(value);
  }
  return json(path, options);
}

/** An object URL for a protected binary (asset bytes, thumbnails): img src cannot send a header. */
export async function objectUrl(path) {
  const response = await request(path);
  if (!response.ok) {
    throw new ApiError(response.status, null);
  }
  return URL.createObjectURL(await response.blob());
}
