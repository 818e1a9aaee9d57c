// Words the page shows for the API's codes, and dates in the officer's terms.
import { h } from './dom.js';

export const LIGHTS = {
  red: '逾期',
  yellow: '临期',
  green: '正常',
  none: '未设期限',
  done: '已办结',
};
// Overdue first: the order of the default sort and of the charts.
export const LIGHT_ORDER = ['red', 'yellow', 'green', 'none', 'done'];

export const STATUSES = {
  assigned: '已交办',
  in_progress: '办理中',
  completion_reported: '已报办结',
  closed: '已办结',
  cancelled: '已撤销',
};
export const STATUS_ORDER = ['assigned', 'in_progress', 'completion_reported', 'closed', 'cancelled'];

export const ROLES = { lead: '牵头', participant: '参与' };
export const MODES = { lead: '牵头负责', separately: '分别负责', responsible: '共同负责' };

export const EVENTS = {
  DocumentRegistered: '文件登记',
  TaskCreated: '任务创建',
  UnitAssigned: '分配单位',
  TaskReassigned: '改派',
  TaskRevised: '条款修订',
  TaskAcknowledged: '签收',
  ProgressReported: '报告进展',
  TaskUrged: '催办',
  ExtensionRequested: '申请延期',
  ExtensionApproved: '批准延期',
  ExtensionRejected: '驳回延期',
  DeadlineSet: '设定期限',
  CompletionReported: '报告办结',
  CompletionApproved: '批准办结',
  TaskClosed: '任务办结',
  TaskReturned: '退回',
  TaskReopened: '重新打开',
  TaskCancelled: '撤销',
  DeadlineApproaching: '期限临近',
  TaskOverdue: '已逾期',
  ReportingCycleSet: '设定报送周期',
  ProgressReportDue: '应报进展',
  ProgressReportOverdue: '进展逾期未报',
  DraftRecorded: '拟办登记',
  DraftCorrected: '拟办更正',
  DraftPublished: '交办',
  UnitNameMapped: '单位名称对应',
  CompletionSubmitted: '提交办结（待负责人签发）',
  CompletionSignedOff: '负责人签发',
  SignOffRefused: '负责人退回承办人',
  ChildTaskCreated: '分解/转办子任务',
  ContributionReported: '配合单位报送',
};

export function lightBadge(light) {
  return h('span', { class: `light light-${light}`, title: LIGHTS[light] || light },
    h('span', { class: 'light-dot' }), h('span', { class: 'light-text' }, LIGHTS[light] || light));
}

export function statusBadge(status) {
  return h('span', { class: `status status-${status}` }, STATUSES[status] || status);
}

// "2016-06-30" stays as printed; null means the clause set no deadline.
export function deadlineText(deadline) {
  return deadline || '—';
}

// An ISO instant in local time, minutes precision.
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// The calendar date (YYYY-MM-DD) of an instant in China Standard Time (UTC+8, no daylight
// saving): deadlines are dates there, and the server counts overdue days the same way.
export function cstDate(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return new Date(t + 8 * 3600000).toISOString().slice(0, 10);
}

// Days from the server's today (the date of its `as_of`, never the browser's clock) to an ISO
// date, negative when past; null without a date or without the server's time.
export function daysUntil(date, asOf) {
  if (!date || !asOf) return null;
  const today = cstDate(asOf);
  if (!today) return null;
  return Math.round((Date.parse(date + 'T00:00:00Z') - Date.parse(today + 'T00:00:00Z')) / 86400000);
}

// "逾期 31 天" past the deadline, "剩 5 天" before it (today: "今天到期"); '' without one or done.
export function dueText(task, asOf) {
  if (!task.deadline || task.light === 'done' || task.status === 'closed' || task.status === 'cancelled') return '';
  const days = daysUntil(task.deadline, asOf);
  if (days === null) return '';
  if (days < 0) return `逾期 ${-days} 天`;
  if (days === 0) return '今天到期';
  return `剩 ${days} 天`;
}

// When an event happened in business time: its `at` (or `created_at`), the `now` the server
// decided it at (its --now clock), else when the store recorded it.
export function eventTime(e) {
  const t = e?.data?.at ?? e?.data?.created_at ?? e?.recorded_at;
  return typeof t === 'number' ? new Date(t).toISOString() : t || '';
}

// An event's time with how long before the server's `as_of` it was: "2016-07-31 12:00（刚刚）".
export function whenAgo(iso, asOf) {
  const rel = ago(iso, asOf);
  return rel ? `${when(iso)}（${rel}）` : when(iso);
}

// How long before the server's `as_of` an instant was: "刚刚", "5 分钟前", "3 小时前", "2 天前".
export function ago(iso, asOf) {
  const t = Date.parse(iso);
  const now = Date.parse(asOf);
  if (Number.isNaN(t) || Number.isNaN(now) || t > now + 60000) return '';
  const minutes = Math.floor((now - t) / 60000);
  if (minutes < 1) return '刚刚';
  if (minutes < 60) return `${minutes} 分钟前`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} 小时前`;
  return `${Math.floor(minutes / 1440)} 天前`;
}

// Who recorded an event: the person by display name (a task's history gives `person_name`) or
// else by login (from the actor, as live events carry only it) and what they acted for,
// "王芳（省发展改革委）"; a machine's actor as actorText says it.
export function personText(e, unitName) {
  const name = e?.person_name || e?.person || e?.actor?.match(/\/person:(.+)$/)?.[1];
  if (!name) return actorText(e?.actor, unitName);
  return `${name}（${actorText(e.actor, unitName)}）`;
}

// What an actor acted for: 督办机关, 系统 or the unit's name; a person's part
// ("unit:fgw/person:wang.fang") is left out (personText names them).
export function actorText(actor, unitName) {
  if (!actor) return '';
  if (actor.startsWith('simulation:')) return actorText(actor.slice(11), unitName) + '（模拟）';
  actor = actor.replace(/\/person:.*$/, '');
  if (actor === 'supervisor') return '督办机关';
  if (actor === 'system') return '系统';
  const unit = actor.startsWith('unit:') ? actor.slice(5) : actor;
  return unitName(unit);
}
