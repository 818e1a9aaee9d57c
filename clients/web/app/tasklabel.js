// What a task is called on screen. Task ids are `<document>|<n>` (docs/api.md: ids no longer
// depend on the printed label), so an id says nothing a person recognises: show the clause's
// label and heading instead. Views remember what they loaded (inbox rows, a document's task
// list, a task); a task nobody loaded yet is asked for once (GET /tasks/{id}) and the element
// filled in when the answer comes. Older ids (`doc|part|label`) still read well as a fallback.
import { path } from './api.js';

const known = new Map(); // task id -> {label, heading, document}
const asked = new Map(); // task id -> Promise of the entry (or null when refused)

// t: an inbox row or document task row ({task, label, heading, document}).
export function rememberTask(t) {
  if (t?.task && (t.label || t.heading)) {
    known.set(t.task, { label: t.label || '', heading: t.heading || '', document: t.document || '' });
  }
}

// The short line for a task: "(四) 确保农业生产用地基本稳定"; while unknown, a readable stand-in.
export function taskTitle(task) {
  const k = known.get(task);
  if (k) return [k.label, k.heading].filter(Boolean).join(' ');
  const parts = task.split('|');
  if (parts.length >= 3) return `${parts[0]} ${parts[parts.length - 1]}`;
  if (parts.length === 2) return `${parts[0]} 第${parts[1]}项`;
  return task;
}

// Sets el's text to the task's title now, and again once the server has said what it is.
export function fillTaskTitle(app, el, task) {
  el.textContent = taskTitle(task);
  if (known.has(task) || !app.api) return;
  if (!asked.has(task)) {
    asked.set(task, app.api.get(path('tasks', task)).then((t) => {
      rememberTask({ task, label: t.source?.label, heading: t.source?.heading, document: t.source?.document });
      return known.get(task) || null;
    }, () => null)); // a task the unit may not read keeps its stand-in
  }
  asked.get(task).then((k) => { if (k) el.textContent = taskTitle(task); });
}
