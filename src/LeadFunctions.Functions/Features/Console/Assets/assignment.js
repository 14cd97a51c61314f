// Why a record has its owner (SPEC 11), for the record page: the assignment's status and reason as
// the API words it, and when the owner must answer (or first did).
import { h, when } from './ui.js';

const statuses = { assigned: 'Assigned', waiting: 'Waiting', manual: 'Manual' };

/**
 * The assignment in words: "Assigned: country BE matched team Benelux; Lea had 3 of 20 in the
 * last 30 days", then the answer it is due (or got), and how often it went back to the rules.
 * Empty for a record routing never saw.
 */
export function assignmentParts(lead, now = new Date()) {
  const assignment = lead.assignment;
  if (!assignment?.status) return [];
  const status = statuses[assignment.status] ?? assignment.status;
  const parts = [assignment.reason ? `${status}: ${assignment.reason}` : status];
  if (lead.firstResponseAt) {
    parts.push(`first answered ${when(lead.firstResponseAt)}`);
  } else if (assignment.respondBy) {
    // Past the deadline the timed pass sends it back to the rules; until then it says so.
    parts.push(`${new Date(assignment.respondBy) < now ? 'answer was due' : 'answer by'} ${when(assignment.respondBy)}`);
  }
  const times = assignment.reassignments ?? 0;
  if (times > 0) parts.push(`sent back to the rules ${times === 1 ? 'once' : `${times} times`}`);
  return parts;
}

/** The record page's "Assignment" term and its line, to follow the salesperson and team; none when routing never saw the record. */
export function assignmentFields(lead) {
  const parts = assignmentParts(lead);
  if (!parts.length) return [];
  const [why, ...after] = parts;
  return [
    h('dt', { text: 'Assignment' }),
    h('dd', { class: 'why' }, h('span', { text: why }), after.map((part) => h('span', { class: 'muted', text: ` · ${part}` }))),
  ];
}
