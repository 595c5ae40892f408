// The jobs list (#/jobs?status=&job_type=&before=) and, for #/jobs/<id>, the job page (job.js). The list is
// one GET /api/jobs per refresh (it carries stage names, task counts, progress and error summaries), so a
// page of fifty running jobs costs the API one query every two seconds, not fifty.

import { json } from './api.js';
import { el, fill, every, when } from './dom.js';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'completed_with_errors', 'failed', 'cancelled'];
const ENDED = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled']);
const REFRESH_MS = 2000;

export function isEnded(status) {
  return ENDED.has(status);
}

export function statusPill(status) {
  return el('span', { class: `status status-${status}`, 'data-status': status }, status.replaceAll('_', ' '));
}

/** "stage 2 of 2: reply" */
export function stageText(job) {
  if (!job.stage) {
    return 'not started';
  }
  const of = job.total_stages ? ` of ${job.total_stages}` : '';
  return `stage ${job.stage}${of}${job.stage_name ? `: ${job.stage_name}` : ''}`;
}

export async function render(main, route) {
  if (route.path.length > 0) {
    const { renderJob } = await import('./job.js');
    return renderJob(main, route.path[0], route);
  }
  return renderList(main, route);
}

/** Task counts in words, leaving out the zeros: "3 of 4 completed, 1 failed". */
function taskText(tasks) {
  if (!tasks || !tasks.total) {
    return 'no tasks yet';
  }
  const parts = [`${tasks.completed} of ${tasks.total} completed`];
  for (const name of ['processing', 'queued', 'pending', 'failed', 'cancelled']) {
    if (tasks[name]) {
      parts.push(`${tasks[name]} ${name}`);
    }
  }
  return parts.join(', ');
}

function shortId(jobId) {
  return jobId.length > 12 ? `${jobId.slice(0, 12)}...` : jobId;
}

async function renderList(main, route) {
  const query = route.query;
  const state = {
    status: query.get('status') || '',
    jobType: query.get('job_type') || '',
    before: query.get('before') || '',
    newer: [],
    sequence: 0,
  };

  const statusSelect = el('select', { id: 'filter-status', name: 'status' },
    el('option', { value: '' }, 'any status'),
    JOB_STATUSES.map((status) => el('option', { value: status, selected: status === state.status },
      status.replaceAll('_', ' '))));
  const typeSelect = el('select', { id: 'filter-type', name: 'job_type' },
    el('option', { value: '' }, 'any type'),
    state.jobType ? el('option', { value: state.jobType, selected: true }, state.jobType) : null);
  const message = el('p', { class: 'error', role: 'alert', id: 'jobs-error' });
  const summary = el('p', { class: 'muted', id: 'jobs-summary', 'aria-live': 'polite' });
  const body = el('tbody');
  const table = el('div', { class: 'table-wrap' }, el('table', { class: 'jobs', id: 'jobs-table' },
    el('caption', { class: 'visually-hidden' }, 'Jobs, newest first'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Job'), el('th', { scope: 'col' }, 'Status'),
      el('th', { scope: 'col' }, 'Stage'), el('th', { scope: 'col', class: 'progress-column' }, 'Progress'),
      el('th', { scope: 'col' }, 'Tasks'), el('th', { scope: 'col', class: 'hide-narrow' }, 'Created'))),
    body));
  const newerButton = el('button', { type: 'button', id: 'jobs-newer' }, 'Newer');
  const olderButton = el('button', { type: 'button', id: 'jobs-older' }, 'Older');
  let nextBefore = null;

  window.scrollTo(0, 0);
  main.append(
    el('div', { class: 'row heading-row' }, el('h1', {}, 'Jobs'),
      el('a', { href: '#/submit', class: 'button' }, 'Submit a job')),
    el('form', { class: 'row filters', role: 'search', 'aria-label': 'Filter jobs', onsubmit: (e) => e.preventDefault() },
      el('div', { class: 'field' }, el('label', { for: 'filter-status' }, 'Status'), statusSelect),
      el('div', { class: 'field' }, el('label', { for: 'filter-type' }, 'Job type'), typeSelect)),
    message, summary, table,
    el('div', { class: 'actions' }, newerButton, olderButton));

  // The filters live in the URL, so a filtered list can be bookmarked; replaceState changes it without a
  // hashchange, which would rebuild the page and lose the focus on the select.
  const keepInUrl = () => {
    const params = new URLSearchParams();
    if (state.status) params.set('status', state.status);
    if (state.jobType) params.set('job_type', state.jobType);
    if (state.before) params.set('before', state.before);
    const text = params.toString();
    history.replaceState(null, '', `#/jobs${text ? `?${text}` : ''}`);
  };

  const rows = new Map();
  const load = async () => {
    const params = new URLSearchParams();
    if (state.status) params.set('status', state.status);
    if (state.jobType) params.set('job_type', state.jobType);
    if (state.before) params.set('before', state.before);
    // A filter change may overtake a refresh still under way: only the newest request's answer is shown.
    const sequence = ++state.sequence;
    let answer;
    try {
      answer = await json(`/api/jobs?${params}`);
    } catch (error) {
      if (sequence === state.sequence) {
        message.textContent = `Could not load the jobs: ${error.message}`;
      }
      return;
    }
    if (sequence !== state.sequence) {
      return;
    }
    message.textContent = '';
    nextBefore = answer.next_before;
    olderButton.disabled = !nextBefore;
    newerButton.disabled = !state.before;
    showJobs(answer.jobs || []);
  };

  const showJobs = (jobs) => {
    const focused = document.activeElement;
    const seen = new Set();
    let previous = null;
    for (const job of jobs) {
      seen.add(job.job_id);
      let row = rows.get(job.job_id);
      if (!row) {
        row = newRow(job);
        rows.set(job.job_id, row);
      }
      updateRow(row, job);
      const expected = previous ? previous.nextSibling : body.firstChild;
      if (expected !== row) {
        body.insertBefore(row, expected);
      }
      previous = row;
    }
    for (const [jobId, row] of rows) {
      if (!seen.has(jobId)) {
        row.remove();
        rows.delete(jobId);
      }
    }
    if (focused && focused.isConnected && document.activeElement !== focused) {
      focused.focus();
    }
    const filters = [state.status && `status ${state.status.replaceAll('_', ' ')}`, state.jobType && `type ${state.jobType}`]
      .filter(Boolean).join(' and ');
    summary.textContent = jobs.length === 0
      ? `No jobs${filters ? ` with ${filters}` : ''}.`
      : `${jobs.length} job${jobs.length === 1 ? '' : 's'}${filters ? ` with ${filters}` : ''}${state.before ? ', older page' : ''}, refreshed every 2 s.`;
  };

  statusSelect.addEventListener('change', () => {
    state.status = statusSelect.value;
    state.before = '';
    state.newer = [];
    keepInUrl();
    load();
  });
  typeSelect.addEventListener('change', () => {
    state.jobType = typeSelect.value;
    state.before = '';
    state.newer = [];
    keepInUrl();
    load();
  });
  olderButton.addEventListener('click', () => {
    if (!nextBefore) return;
    state.newer.push(state.before);
    state.before = nextBefore;
    keepInUrl();
    load();
  });
  newerButton.addEventListener('click', () => {
    state.before = state.newer.pop() || '';
    keepInUrl();
    load();
  });

  json('/api/jobs/types').then((answer) => {
    const types = (answer.job_types || []).map((type) => type.job_type).sort();
    fill(typeSelect, el('option', { value: '' }, 'any type'),
      types.map((type) => el('option', { value: type, selected: type === state.jobType }, type)));
  }).catch((error) => {
    message.textContent = `Could not load the job types: ${error.message}`;
  });

  return every(REFRESH_MS, load);
}

function newRow(job) {
  const link = el('a', { href: `#/jobs/${encodeURIComponent(job.job_id)}`, class: 'job-link mono', title: job.job_id },
    shortId(job.job_id));
  const row = el('tr', { 'data-job-id': job.job_id },
    el('td', {}, el('div', { class: 'job-type' }, job.job_type), link),
    el('td', { class: 'job-status' }),
    el('td', { class: 'job-stage' }),
    el('td', { class: 'job-progress-cell' }, el('div', { class: 'job-progress' }, el('progress', { max: 100, value: 0 }),
      el('span', { class: 'percent' }))),
    el('td', { class: 'job-tasks' }),
    el('td', { class: 'job-created hide-narrow' }));
  return row;
}

function updateRow(row, job) {
  row.dataset.status = job.status;
  const [, statusCell, stageCell, progressCell, tasksCell, createdCell] = row.children;
  const pill = statusCell.firstChild;
  if (!pill || pill.dataset.status !== job.status) {
    fill(statusCell, statusPill(job.status));
  }
  stageCell.textContent = stageText(job);
  const percent = Math.round(job.progress_percent ?? (job.progress || 0) * 100);
  const bar = progressCell.querySelector('progress');
  bar.value = percent;
  bar.setAttribute('aria-label', `Progress of ${job.job_type} job ${shortId(job.job_id)}: ${percent}%`);
  progressCell.querySelector('.percent').textContent = `${percent}%`;
  fill(tasksCell, taskText(job.tasks),
    job.error_summary ? el('div', { class: 'error job-error' }, job.error_summary) : null);
  createdCell.textContent = when(job.created_at);
  createdCell.title = `updated ${when(job.updated_at)}`;
}
