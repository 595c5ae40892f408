// Upload files (#/upload): drop them or pick them; each is POSTed raw to /api/uploads?name=<folder/name>, the
// body streamed from the File (fetch sends a Blob without the page reading it). Auto-ingest then finds the
// blob; the upload's ingest_history link tells which job it submitted, shown here with a link to its page.
//
// A shapefile is several files. Auto-ingest skips the sidecars and submits the .shp once its .shx, .dbf and
// .prj are listed next to it (io.geoetl.ingest.IngestRules), so the parts of one shapefile go to the same
// folder and the .shp goes last: by the time auto-ingest lists the .shp, its siblings are all there.

import { request, json, ApiError } from './api.js';
import { el, fill, every } from './dom.js';
import { statusPill, isEnded } from './jobs.js';

const SHAPEFILE_PARTS = ['shx', 'dbf', 'prj', 'cpg', 'sbn', 'sbx', 'qix', 'shp.xml'];
const POLL_MS = 1500;

function extension(name) {
  const lower = name.toLowerCase();
  if (lower.endsWith('.shp.xml')) return 'shp.xml';
  const dot = lower.lastIndexOf('.');
  return dot < 0 ? '' : lower.slice(dot + 1);
}

/** Sidecars first, each .shp after every other file: auto-ingest submits a .shp once its siblings exist. */
export function uploadOrder(files) {
  const rank = (file) => {
    const ext = extension(file.name);
    if (ext === 'shp') return 2;
    if (SHAPEFILE_PARTS.includes(ext)) return 0;
    return 1;
  };
  return [...files].sort((a, b) => rank(a) - rank(b));
}

/** The folder as the user typed it, as a prefix: "" or "some/folder/". */
function folderPrefix(text) {
  const trimmed = text.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed ? `${trimmed}/` : '';
}

/** An upload's refusal in words: what happened and what to do. */
function refusal(error, name) {
  switch (error.status) {
    case 409: return `${name} already exists. Tick "Replace files that already exist" or use "Replace it" to overwrite.`;
    case 413: return `${name} is too large for this geoetl: ${error.message}`;
    case 400: return `The name ${name} was refused: ${error.message}`;
    default: return `Upload of ${name} failed: ${error.message}`;
  }
}

export function render(main) {
  const folderInput = el('input', { id: 'upload-folder', type: 'text', placeholder: 'for example uploads/2026', autocomplete: 'off',
    'aria-describedby': 'upload-folder-hint' });
  const overwriteBox = el('input', { id: 'upload-overwrite', type: 'checkbox' });
  const fileInput = el('input', { id: 'upload-files', type: 'file', multiple: true });
  const zone = el('div', { class: 'dropzone', id: 'dropzone' },
    el('p', {}, el('strong', {}, 'Drop files here')),
    el('p', { class: 'muted' }, 'or choose them:'),
    el('label', { for: 'upload-files', class: 'visually-hidden' }, 'Files to upload'), fileInput,
    el('p', { class: 'muted small' }, 'A shapefile: drop its .shp, .shx, .dbf and .prj (and .cpg) together.'));
  const results = el('ul', { class: 'uploads', id: 'upload-results', 'aria-live': 'polite' });
  const polls = new Set();
  // Set when the user leaves the page: uploads still sending finish, but start no polling.
  let left = false;

  window.scrollTo(0, 0);
  main.append(el('h1', {}, 'Upload files'),
    el('p', { class: 'muted' }, 'Files go to the folder auto-ingest watches; it starts a job for each geospatial file.'),
    el('div', { class: 'row' },
      el('div', { class: 'field' }, el('label', { for: 'upload-folder' }, 'Folder (optional)'), folderInput,
        el('p', { class: 'hint', id: 'upload-folder-hint' }, 'Files go under this folder; a shapefile\'s parts must share one.')),
      el('div', { class: 'field checkbox' }, el('label', { for: 'upload-overwrite' }, overwriteBox, ' Replace files that already exist'))),
    zone,
    el('h2', {}, 'Uploads'),
    results);

  const start = async (fileList) => {
    const files = uploadOrder(fileList);
    const prefix = folderPrefix(folderInput.value);
    // One after the other, in order: the .shp must arrive after its siblings.
    const items = files.map((file) => ({ file, name: prefix + file.name, row: el('li', { class: 'upload' }) }));
    for (const item of items) {
      results.prepend(item.row);
    }
    for (const item of items) {
      await upload(item, overwriteBox.checked);
    }
  };

  const upload = async (item, overwrite) => {
    const { file, name, row } = item;
    const status = el('span', { class: 'upload-status' }, 'uploading...');
    const progress = el('progress', { 'aria-label': `Upload of ${name}` });
    fill(row, el('span', { class: 'mono upload-name' }, name), ' ', el('span', { class: 'muted' }, size(file.size)), ' ',
      progress, ' ', status);
    row.dataset.name = name;
    row.dataset.state = 'uploading';
    // On a phone the list is below the drop zone: bring the row into view.
    row.scrollIntoView({ block: 'nearest' });
    const params = new URLSearchParams({ name });
    if (overwrite) params.set('overwrite', 'true');
    let answer;
    try {
      const response = await request(`/api/uploads?${params}`, {
        method: 'POST',
        body: file,
        headers: { 'Content-Type': file.type || 'application/octet-stream' },
      });
      const text = await response.text();
      let body = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch (notJson) {
        body = { message: `HTTP ${response.status}` };
      }
      if (!response.ok) {
        throw new ApiError(response.status, body);
      }
      answer = body;
    } catch (error) {
      progress.remove();
      row.dataset.state = 'refused';
      const text = error instanceof ApiError ? refusal(error, name) : `Upload of ${name} failed: ${error.message}`;
      fill(status, el('span', { class: 'error' }, text));
      if (error.status === 409) {
        status.append(' ', el('button', { type: 'button', class: 'replace', onclick: () => upload(item, true) }, 'Replace it'));
      }
      return;
    }
    progress.value = 1;
    progress.max = 1;
    row.dataset.state = 'stored';
    fill(status, el('span', { class: 'ok' }, 'stored'), ' ', el('span', { class: 'ingest muted' },
      answer.auto_ingest ? 'waiting for auto-ingest...' : 'auto-ingest is off here, so no job starts'));
    if (answer.auto_ingest && answer.ingest_history) {
      followIngest(row, status.querySelector('.ingest'), answer.ingest_history);
    }
  };

  // Polls the upload's ingest history until auto-ingest decided (submitted, skipped), then the job's status
  // until it ends.
  const followIngest = (row, target, historyPath) => {
    let jobId = null;
    let stop = null;
    const tick = async () => {
      if (!jobId) {
        const history = await json(historyPath);
        const event = (history.events || [])[0];
        if (!event) return;
        if (event.status === 'skipped' || event.status === 'waiting') {
          fill(target, `auto-ingest ${event.status} it: ${reasonText(event.reason)}`);
          row.dataset.ingest = event.status;
          if (event.status === 'skipped') finish();
          return;
        }
        if (event.status !== 'submitted' || !event.job_id) return;
        jobId = event.job_id;
        row.dataset.jobId = jobId;
      }
      const job = await json(`/api/jobs/status/${encodeURIComponent(jobId)}`);
      row.dataset.jobStatus = job.status;
      fill(target, `${job.job_type} job `, el('a', { href: `#/jobs/${encodeURIComponent(jobId)}`, class: 'mono' }, jobId.slice(0, 12)),
        ' ', statusPill(job.status));
      if (isEnded(job.status)) finish();
    };
    const finish = () => {
      if (stop) {
        stop();
        polls.delete(stop);
      }
    };
    if (left) {
      // The user left while this file was uploading: its row is gone, nothing to follow.
      return;
    }
    stop = every(POLL_MS, tick);
    polls.add(stop);
  };

  fileInput.addEventListener('change', () => {
    const files = [...fileInput.files];
    fileInput.value = '';
    if (files.length) start(files);
  });
  for (const name of ['dragenter', 'dragover']) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add('over');
    });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    const files = event.dataTransfer ? [...event.dataTransfer.files] : [];
    if (files.length) start(files);
  });
  // A file dropped outside the zone would otherwise make the browser open it and leave the console.
  const ignoreDrop = (event) => event.preventDefault();
  window.addEventListener('dragover', ignoreDrop);
  window.addEventListener('drop', ignoreDrop);

  return () => {
    left = true;
    for (const stop of polls) stop();
    window.removeEventListener('dragover', ignoreDrop);
    window.removeEventListener('drop', ignoreDrop);
  };
}

/** Auto-ingest's reason codes in words; any other reason is shown as it comes. */
function reasonText(reason) {
  if (reason === 'target_owned_by_other_source') {
    return 'its table would have the name of a table another file already fills; rename the file and upload it again';
  }
  return reason || 'no reason given';
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
