// One job's page (#/jobs/<id>): header, stages as a timeline, its tasks paged with filters, errors in words,
// the result, and the actions the API accepts in the job's state (JobControl's rules: cancel while queued or
// processing, retry when failed or completed_with_errors, resubmit when completed, completed_with_errors or
// failed). Refreshes every 2 s until the job has ended.

import { json, postJson } from './api.js';
import { el, fill, every, when, duration } from './dom.js';
import { isEnded, statusPill, stageText } from './jobs.js';

const REFRESH_MS = 2000;
const TASK_PAGE = 25;
const stageNames = new Map();
const TASK_STATUSES = ['pending', 'queued', 'processing', 'completed', 'failed', 'cancelled'];

/** The actions JobControl accepts for a job in this status. */
function allowedActions(status) {
  const actions = [];
  if (status === 'queued' || status === 'processing') actions.push('cancel');
  if (status === 'failed' || status === 'completed_with_errors') actions.push('retry');
  if (status === 'completed' || status === 'completed_with_errors' || status === 'failed') actions.push('resubmit');
  return actions;
}

const ACTION_TEXT = {
  cancel: 'Cancel job',
  retry: 'Retry failed tasks',
  resubmit: 'Resubmit (run again)',
};

export async function renderJob(main, jobId) {
  const heading = el('h1', {}, 'Job ', el('span', { class: 'mono job-id' }, jobId));
  const message = el('p', { class: 'error', role: 'alert', id: 'job-error' });
  const actionNote = el('p', { class: 'muted', id: 'action-note', 'aria-live': 'polite' });
  const header = el('section', { class: 'job-header', 'aria-label': 'Job' });
  const actions = el('div', { class: 'actions', id: 'job-actions' });
  const timeline = el('ol', { class: 'timeline', id: 'stages' });
  const errors = el('section', { id: 'job-errors', 'aria-label': 'Errors', hidden: true });
  const result = el('section', { id: 'job-result', 'aria-label': 'Result', hidden: true });
  const tasks = taskSection(jobId);

  const facts = el('section', { class: 'job-facts', 'aria-label': 'Times and parameters' });
  window.scrollTo(0, 0);
  main.append(el('p', {}, el('a', { href: '#/jobs' }, 'All jobs')), heading, message, header, actions,
    actionNote, errors,
    el('div', { class: 'job-grid' },
      el('section', { 'aria-label': 'Stages' }, el('h2', {}, 'Stages'), timeline, result),
      facts),
    tasks.section);

  let current = null;
  let shownActions = null;
  let stopRefresh = null;
  let ticker = null;
  // Set when the user leaves: nothing may re-arm a refresh afterwards (an action's answer may come later).
  let left = false;
  // Only the newest status answer is shown: the refresh and an action's reload can overlap.
  let loads = 0;

  const act = async (action) => {
    if (action === 'cancel' && !window.confirm(`Cancel job ${jobId}? Tasks not yet finished are cancelled.`)) {
      return;
    }
    actionNote.textContent = `${ACTION_TEXT[action]}...`;
    try {
      const answer = await postJson(`/api/jobs/${encodeURIComponent(jobId)}/${action}`);
      actionNote.textContent = `${ACTION_TEXT[action]}: the job is now ${answer.status.replaceAll('_', ' ')}.`;
      actionNote.className = 'ok';
    } catch (error) {
      actionNote.textContent = `The API refused to ${action}: ${error.message}`;
      actionNote.className = 'error';
    }
    shownActions = null;
    await load();
    if (!left && !isEnded(current && current.status) && !stopRefresh) {
      stopRefresh = every(REFRESH_MS, load);
    }
  };

  const load = async () => {
    const mine = ++loads;
    let job;
    try {
      job = await json(`/api/jobs/status/${encodeURIComponent(jobId)}`);
      if (mine !== loads || left) {
        return;
      }
      message.textContent = '';
    } catch (error) {
      if (mine !== loads || left) {
        return;
      }
      message.textContent = error.status === 404 ? `There is no job ${jobId}.` : `Could not load the job: ${error.message}`;
      if (error.status === 404 && stopRefresh) {
        stopRefresh();
        stopRefresh = null;
      }
      return;
    }
    current = job;
    main.dataset.jobStatus = job.status;
    showHeader(header, job);
    showFacts(facts, job);
    const allowed = allowedActions(job.status).join(',');
    if (allowed !== shownActions) {
      // Rebuilt only when the allowed set changes, so a focused button keeps its focus across refreshes.
      shownActions = allowed;
      fill(actions, allowedActions(job.status).map((action) => el('button', {
        type: 'button', id: `action-${action}`, class: action === 'cancel' ? 'danger' : '',
        onclick: () => act(action),
      }, ACTION_TEXT[action])));
    }
    showStages(timeline, job);
    showErrors(errors, job);
    showResult(result, job);
    tasks.setStages(job.total_stages || (job.stages || []).length);
    await tasks.refresh();
    if (isEnded(job.status) && stopRefresh) {
      stopRefresh();
      stopRefresh = null;
    }
  };

  // The names of stages that have not started yet come from the job type (the status has started ones).
  json('/api/jobs/types').then((answer) => {
    for (const type of answer.job_types || []) {
      stageNames.set(type.job_type, (type.stages || []).map((stage) => stage.name));
    }
  }).catch(() => {});
  stopRefresh = every(REFRESH_MS, load);
  // A running stage's duration counts up between refreshes.
  ticker = setInterval(() => {
    for (const node of timeline.querySelectorAll('[data-running-since]')) {
      node.textContent = `running for ${duration(Date.now() - new Date(node.dataset.runningSince).getTime())}`;
    }
  }, 1000);
  return () => {
    left = true;
    if (stopRefresh) stopRefresh();
    clearInterval(ticker);
  };
}

function showHeader(header, job) {
  const percent = Math.round(job.progress_percent ?? (job.progress || 0) * 100);
  const current = (job.stages || []).find((stage) => stage.stage === job.stage);
  fill(header,
    el('p', { class: 'row job-summary' }, statusPill(job.status),
      el('span', { class: 'job-type' }, job.job_type),
      el('span', { id: 'job-stage' }, stageText({ ...job, stage_name: current && current.name })),
      job.generation > 1 ? el('span', { class: 'muted' }, `run ${job.generation}`) : null),
    el('div', { class: 'job-progress' },
      el('progress', { max: 100, value: percent, 'aria-label': `Progress of the job: ${percent}%`, id: 'job-progress' }),
      el('span', { class: 'percent' }, `${percent}%`)));
}

function showFacts(facts, job) {
  fill(facts,
    el('h2', {}, 'Times'),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Created'), el('dd', {}, when(job.created_at)),
      el('dt', {}, 'Updated'), el('dd', {}, when(job.updated_at)),
      job.started_at ? [el('dt', {}, 'Started'), el('dd', {}, when(job.started_at))] : null,
      job.ended_at ? [el('dt', {}, 'Ended'), el('dd', {}, when(job.ended_at),
        job.started_at ? ` (took ${duration(new Date(job.ended_at) - new Date(job.started_at))})` : '')] : null),
    el('h2', {}, 'Parameters'),
    keyValues(job.parameters, 'parameters'));
}

/** A readable key/value list of an object; nested values as compact text, never HTML. */
function keyValues(object, id) {
  const entries = Object.entries(object || {});
  if (entries.length === 0) {
    return el('p', { class: 'muted' }, 'none');
  }
  return el('dl', { class: 'facts', id }, entries.map(([key, value]) => [
    el('dt', {}, key.replaceAll('_', ' ')), el('dd', {}, valueNode(key, value))]));
}

function valueNode(key, value) {
  if (value === null || value === undefined) {
    return el('span', { class: 'muted' }, 'none');
  }
  if (typeof value === 'string') {
    if (/^\/(api|stac|features|collections)\//.test(value) || /_(url|href|link)$/.test(key)) {
      // Outputs are links into this service's own API (relative paths); anything else stays text.
      // Only a path that stays on this service makes a link ('//host', '/\\host' and '/<tab>/host' leave it).
      return sameOriginPath(value) ? el('a', { href: sameOriginPath(value) }, value) : value;
    }
    return value;
  }
  if (typeof value !== 'object') {
    return String(value);
  }
  if (Array.isArray(value) && value.length === 0) {
    return el('span', { class: 'muted' }, 'none');
  }
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) {
    return value.join(', ');
  }
  return el('details', {}, el('summary', {}, Array.isArray(value) ? `${value.length} items` : 'details'),
    Array.isArray(value) ? el('ol', {}, value.map((item) => el('li', {}, valueNode('', item))))
      : keyValues(value));
}

function stageStatus(stage, job) {
  const counts = stage.tasks_by_status || {};
  if (!stage.ended_at) {
    return isEnded(job.status) ? job.status : 'processing';
  }
  if (counts.failed) {
    // The stage a failed job stopped in failed, whatever its other tasks did.
    const stoppedHere = job.status === 'failed' && stage.stage === job.stage;
    return counts.completed && !stoppedHere ? 'completed_with_errors' : 'failed';
  }
  return 'completed';
}

function showStages(timeline, job) {
  const stages = job.stages || [];
  const total = Math.max(job.total_stages || 0, stages.length);
  const items = [];
  for (let number = 1; number <= total; number++) {
    const stage = stages.find((candidate) => candidate.stage === number);
    if (!stage) {
      const name = (stageNames.get(job.job_type) || [])[number - 1];
      items.push(el('li', { class: 'stage waiting', 'data-stage': number },
        el('span', { class: 'stage-name' }, `Stage ${number}${name ? `: ${name}` : ''}`), ' ',
        el('span', { class: 'status' }, isEnded(job.status) ? 'not run' : 'waiting')));
      continue;
    }
    const status = stageStatus(stage, job);
    const counts = Object.entries(stage.tasks_by_status || {}).map(([name, count]) => `${count} ${name}`).join(', ');
    const timing = stage.ended_at
      ? el('span', { class: 'stage-duration' }, `took ${duration(stage.duration_ms)}`)
      : isEnded(job.status)
        ? el('span', { class: 'stage-duration' }, 'stopped')
        : el('span', { class: 'stage-duration', 'data-running-since': stage.started_at },
          `running for ${duration(Date.now() - new Date(stage.started_at).getTime())}`);
    items.push(el('li', { class: `stage stage-${status}`, 'data-stage': number, 'data-status': status },
      el('span', { class: 'stage-name' }, `Stage ${number}${stage.name ? `: ${stage.name}` : ''}`), ' ',
      statusPill(status), ' ', timing,
      el('div', { class: 'muted' }, `${stage.task_count} task${stage.task_count === 1 ? '' : 's'}${counts ? ` (${counts})` : ''}`
        + `; started ${when(stage.started_at)}${stage.ended_at ? `, ended ${when(stage.ended_at)}` : ''}`)));
  }
  fill(timeline, items.length ? items : el('li', { class: 'muted' }, 'No stage has started yet.'));
}

function showErrors(section, job) {
  const details = job.error_details;
  if (!details) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const { message, ...rest } = details;
  fill(section, el('h2', {}, job.status === 'cancelled' ? 'Why it stopped' : 'What went wrong'),
    el('p', { class: 'error job-error-message' }, message || 'The job ended without a message.'),
    Object.keys(rest).length ? el('details', {}, el('summary', {}, 'Details'), keyValues(rest)) : null,
    job.status !== 'cancelled' && (job.stages || []).some((stage) => (stage.tasks_by_status || {}).failed)
      ? el('p', { class: 'muted' }, 'The failed tasks and their errors are in the tasks table below (filter by status "failed").')
      : null);
}

function showResult(section, job) {
  if (!job.result_data || Object.keys(job.result_data).length === 0) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  fill(section, el('h2', {}, 'Result'), keyValues(job.result_data, 'result-data'));
}

/** The tasks table: filters for stage and status, pages of TASK_PAGE by task id (next_after). */
function taskSection(jobId) {
  const stageSelect = el('select', { id: 'task-stage' }, el('option', { value: '' }, 'any stage'));
  const statusSelect = el('select', { id: 'task-status' }, el('option', { value: '' }, 'any status'),
    TASK_STATUSES.map((status) => el('option', { value: status }, status)));
  const body = el('tbody');
  const note = el('p', { class: 'muted', id: 'tasks-note' });
  const firstButton = el('button', { type: 'button', id: 'tasks-first' }, 'First page');
  const nextButton = el('button', { type: 'button', id: 'tasks-next' }, 'Next page');
  const state = { after: '', nextAfter: null, stages: 0, sequence: 0, signature: '' };

  const refresh = async () => {
    const params = new URLSearchParams({ limit: String(TASK_PAGE) });
    if (stageSelect.value) params.set('stage', stageSelect.value);
    if (statusSelect.value) params.set('status', statusSelect.value);
    if (state.after) params.set('after', state.after);
    // A filter change may overtake a refresh still under way: only the newest request's answer is shown.
    const sequence = ++state.sequence;
    let answer;
    try {
      answer = await json(`/api/db/tasks/${encodeURIComponent(jobId)}?${params}`);
    } catch (error) {
      note.textContent = `Could not load the tasks: ${error.message}`;
      return;
    }
    if (sequence !== state.sequence) {
      return;
    }
    state.nextAfter = answer.next_after;
    nextButton.disabled = !state.nextAfter;
    firstButton.disabled = !state.after;
    // Rows are rebuilt only when the tasks changed, so an opened "Details" or a focused one stays.
    const signature = `${params}|${JSON.stringify(answer.tasks)}`;
    if (signature !== state.signature) {
      state.signature = signature;
      const open = new Set([...body.querySelectorAll('details[open]')].map((node) => node.dataset.taskId));
      fill(body, (answer.tasks || []).map((task) => taskRow(task, open.has(task.task_id))));
    }
    note.textContent = answer.count === 0 ? 'No tasks match.' : `${answer.count} task${answer.count === 1 ? '' : 's'} on this page.`;
  };

  const restart = () => {
    state.after = '';
    refresh();
  };
  stageSelect.addEventListener('change', restart);
  statusSelect.addEventListener('change', restart);
  nextButton.addEventListener('click', () => {
    if (!state.nextAfter) return;
    state.after = state.nextAfter;
    refresh();
  });
  firstButton.addEventListener('click', restart);

  const section = el('section', { id: 'tasks', 'aria-label': 'Tasks' }, el('h2', {}, 'Tasks'),
    el('div', { class: 'row filters' },
      el('div', { class: 'field' }, el('label', { for: 'task-stage' }, 'Stage'), stageSelect),
      el('div', { class: 'field' }, el('label', { for: 'task-status' }, 'Status'), statusSelect)),
    note,
    el('div', { class: 'table-wrap' }, el('table', { id: 'tasks-table' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Task'), el('th', { scope: 'col' }, 'Stage'),
        el('th', { scope: 'col' }, 'Status'), el('th', { scope: 'col' }, 'Attempt'),
        el('th', { scope: 'col', class: 'hide-narrow' }, 'Took'), el('th', { scope: 'col' }, 'Error'))),
      body)),
    el('div', { class: 'actions' }, firstButton, nextButton));

  return {
    section,
    refresh,
    setStages(count) {
      if (count === state.stages) return;
      const selected = stageSelect.value;
      state.stages = count;
      fill(stageSelect, el('option', { value: '' }, 'any stage'),
        Array.from({ length: count }, (_, index) => el('option', { value: String(index + 1),
          selected: String(index + 1) === selected }, `stage ${index + 1}`)));
    },
  };
}

function taskRow(task, open) {
  const error = task.error_details;
  let errorCell = '';
  if (error) {
    const { message, ...rest } = error;
    errorCell = [el('span', { class: 'error' }, message || 'failed without a message'),
      Object.keys(rest).length ? el('details', { 'data-task-id': task.task_id, open },
        el('summary', {}, 'Details'), keyValues(rest)) : null];
  }
  const took = task.started_at && task.ended_at ? duration(new Date(task.ended_at) - new Date(task.started_at)) : '';
  return el('tr', { 'data-task-id': task.task_id, 'data-status': task.status },
    el('td', { class: 'mono' }, task.task_key || task.task_id),
    el('td', {}, String(task.stage)),
    el('td', {}, statusPill(task.status)),
    el('td', {}, String(task.attempt)),
    el('td', { class: 'hide-narrow' }, took),
    el('td', {}, errorCell));
}

/** The path and query of `value` when it is a relative path resolving to this origin, else null. */
function sameOriginPath(value) {
  if (!value.startsWith('/')) {
    return null;
  }
  try {
    const url = new URL(value, location.href);
    return url.origin === location.origin ? url.pathname + url.search : null;
  } catch (malformed) {
    return null;
  }
}
